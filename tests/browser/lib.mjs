// Browser-test harness of geocentre: Debian's chromium (/usr/bin/chromium), headless,
// driven by playwright-core, with MapLibre GL JS served from node_modules.
//
//   const s = await launch();                       // browser + fresh profile + 127.0.0.1-only network
//   const page = await openMapPage(s, { width: 512, height: 512 });
//   await createMap(page, { style, center: [lon, lat], zoom: 12 });
//   await waitForMapIdle(page);
//   const shot = await screenshot(page, 'my-case');  // PNG artefact + decoded pixels
//   pixelStats(shot.image, rect, { red: [255, 0, 0] });
//   s.diagnostics();                                 // console errors, failed/blocked requests
//   await s.close();
//
// See README.md beside this file for the flags and why.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const CHROMIUM = process.env.GEOCENTRE_CHROMIUM || '/usr/bin/chromium';
export const INSTALL_HINT = 'run scripts/install-deps.sh --test (installs Debian\'s chromium, node/npm, and '
  + 'tests/browser/node_modules with npm ci)';

// Where screenshots and other artefacts go.
export function artifactsDir() {
  const dir = process.env.GEOCENTRE_ARTIFACTS || path.join(REPO_ROOT, 'target', 'test-artifacts', 'browser');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// Left-overs to remove if the process exits early (runCli's watchdog): profiles, child servers.
const leftovers = { dirs: new Set(), procs: new Set() };
process.on('exit', () => {
  for (const p of leftovers.procs) {
    try { p.kill('SIGKILL'); } catch { /* gone */ }
  }
  for (const d of leftovers.dirs) fs.rmSync(d, { recursive: true, force: true });
});

// --------------------------------------------------------------------------
// Dependencies
// --------------------------------------------------------------------------

const require = createRequire(import.meta.url);

function resolvePackageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new Error(`npm package ${name} not found under tests/browser/node_modules: ${INSTALL_HINT}`);
  }
}

export function versions() {
  const v = (name) => JSON.parse(fs.readFileSync(path.join(resolvePackageDir(name), 'package.json'), 'utf8')).version;
  return { node: process.version, 'playwright-core': v('playwright-core'), 'maplibre-gl': v('maplibre-gl') };
}

async function loadPlaywright() {
  const dir = resolvePackageDir('playwright-core');
  // playwright-core is CommonJS; its index.mjs re-exports it.
  const mod = await import(path.join(dir, 'index.mjs'));
  return mod.chromium;
}

// --------------------------------------------------------------------------
// Browser
// --------------------------------------------------------------------------

// Flags passed to chromium on top of playwright-core's own defaults (which already include
// --disable-background-networking, --disable-component-update, --no-first-run, --disable-sync,
// --headless and --no-sandbox; repeated here so that the list does not depend on them).
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  // No network but 127.0.0.1: chromium's own background traffic off (rust-notes), no proxy,
  // every host name but localhost resolves to nothing (the request router also aborts them).
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--no-pings',
  '--no-proxy-server',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  // WebGL without a GPU: ANGLE on SwiftShader (software Vulkan) in the GPU process, pinned so that
  // a machine with a GPU renders the same pixels. Chromium is deprecating the automatic SwiftShader
  // fallback for WebGL (issues.chromium.org/40277080): --enable-unsafe-swiftshader keeps it allowed.
  // Not --disable-gpu (rust-notes): WebGL still falls back to SwiftShader with it, but compositing
  // goes to software; naming the backend is the explicit, stable way. See README.md.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  // /dev/shm may be small in containers; Debian's wrapper script fails to test its size when
  // findmnt prints several lines, so say it here.
  '--disable-dev-shm-usage',
  '--force-color-profile=srgb',
  '--hide-scrollbars',
  '--mute-audio',
  '--font-render-hinting=none',
];

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocalUrl(u) {
  let url;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return true;
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:') return false;
  return LOCAL_HOSTS.has(url.hostname);
}

/**
 * Starts chromium with a fresh temporary profile. Returns a session:
 *   { context, harnessBase, userDataDir, flags, log, diagnostics(), newPage(), close() }
 * log: { console: [...], pageErrors: [...], requests: [...], failedRequests: [...],
 *        httpErrors: [...], blocked: [...] }
 */
export async function launch(opts = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: ${INSTALL_HINT}`);
  }
  const chromium = await loadPlaywright();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'geocentre-chromium-'));
  leftovers.dirs.add(userDataDir);
  const envFlags = (process.env.GEOCENTRE_CHROMIUM_EXTRA_FLAGS || '').split(/\s+/).filter(Boolean);
  const flags = [...CHROMIUM_FLAGS, ...envFlags, ...(opts.extraFlags || [])];
  const harness = await startHarnessServer();
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: flags,
      viewport: { width: opts.viewportWidth || 1024, height: opts.viewportHeight || 768 },
      deviceScaleFactor: 1,
      timeout: opts.launchTimeout || 60000,
      env: browserEnv(),
      acceptDownloads: false,
      serviceWorkers: 'block',
    });
  } catch (e) {
    await harness.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`could not start ${CHROMIUM} with playwright-core: ${e.message}`);
  }

  const log = { console: [], pageErrors: [], requests: [], failedRequests: [], httpErrors: [], blocked: [] };
  const mounts = []; // { prefix, origin } served from the harness files via routing

  // Network: only 127.0.0.1 / localhost; harness files may be mounted on any local origin.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (!isLocalUrl(url)) {
      log.blocked.push(url);
      return route.abort('blockedbyclient');
    }
    for (const m of mounts) {
      if (url.startsWith(m.prefix)) {
        const rel = decodeURIComponent(new URL(url).pathname.slice(new URL(m.prefix).pathname.length));
        const file = harnessFile(rel);
        if (!file) return route.fulfill({ status: 404, body: `no harness file ${rel}` });
        return route.fulfill({ status: 200, contentType: file.type, ...(file.body ? { body: file.body } : { path: file.path }) });
      }
    }
    return route.continue();
  });
  context.on('request', (r) => log.requests.push({ method: r.method(), url: r.url(), type: r.resourceType() }));
  context.on('requestfailed', (r) => {
    const failure = r.failure()?.errorText || 'failed';
    if (failure === 'net::ERR_BLOCKED_BY_CLIENT' && log.blocked.includes(r.url())) return;
    log.failedRequests.push({ url: r.url(), error: failure });
  });
  context.on('response', (r) => {
    if (r.status() >= 400) log.httpErrors.push({ url: r.url(), status: r.status() });
  });
  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') {
        log.console.push({ type: m.type(), text: m.text(), url: m.location()?.url || '' });
      }
    });
    page.on('pageerror', (e) => log.pageErrors.push(String(e?.stack || e)));
  };
  context.on('page', watch);
  context.pages().forEach(watch);

  const session = {
    context,
    flags,
    userDataDir,
    harnessBase: harness.base,
    log,
    browserVersion: context.browser()?.version() || null,
    /** Serve the harness files (page, MapLibre) under `${origin}/__geocentre_harness__/` too. */
    async mountHarness(origin) {
      const prefix = new URL('/__geocentre_harness__/', origin).href;
      if (!mounts.some((m) => m.prefix === prefix)) mounts.push({ prefix, origin });
      return prefix;
    },
    async newPage() {
      const pages = context.pages();
      const blank = pages.find((p) => p.url() === 'about:blank' && !p.__geocentreUsed);
      const page = blank || (await context.newPage());
      page.__geocentreUsed = true;
      page.setDefaultTimeout(opts.actionTimeout || 30000);
      return page;
    },
    /** A mark of the logs so far, for diagnostics(mark). */
    mark() {
      return Object.fromEntries(Object.entries(log).map(([k, v]) => [k, v.length]));
    },
    /**
     * Errors worth failing a test for (since `mark`, when given): console errors, page errors,
     * failed, refused (not 127.0.0.1) and HTTP >= 400 requests.
     */
    diagnostics(mark = null) {
      const since = (k) => log[k].slice(mark ? mark[k] : 0);
      return {
        consoleErrors: since('console').filter((c) => c.type === 'error'),
        consoleWarnings: since('console').filter((c) => c.type === 'warning'),
        pageErrors: since('pageErrors'),
        failedRequests: since('failedRequests'),
        httpErrors: since('httpErrors'),
        blockedRequests: since('blocked'),
      };
    },
    async close() {
      try {
        await context.close();
      } finally {
        await harness.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
        leftovers.dirs.delete(userDataDir);
      }
    },
  };
  return session;
}

function browserEnv() {
  const env = { ...process.env };
  for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) delete env[k];
  env.NO_PROXY = env.no_proxy = '127.0.0.1,localhost';
  return env;
}

// --------------------------------------------------------------------------
// Harness files: a blank page and MapLibre's dist, from an HTTP server on 127.0.0.1:0
// (MapLibre 6 is an ES module that starts its worker from a URL beside its own: it must be
// loaded over http, not inlined).
// --------------------------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
};

const HARNESS_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>geocentre browser harness</title>
<link rel="stylesheet" href="maplibre/maplibre-gl.css">
<style>html,body{margin:0;padding:0;background:#fff}#map{position:absolute;left:0;top:0}</style>
</head><body><div id="map"></div>
<script type="module">
import * as maplibregl from './maplibre/maplibre-gl.mjs';
window.maplibregl = maplibregl;
window.__geocentre = { ready: true };
</script></body></html>
`;

function harnessFile(rel) {
  rel = rel.replace(/^\/+/, '');
  if (rel === '' || rel === 'index.html') return { body: HARNESS_PAGE, type: MIME['.html'] };
  const m = rel.match(/^maplibre\/([A-Za-z0-9._-]+)$/);
  if (!m) return null;
  const file = path.join(resolvePackageDir('maplibre-gl'), 'dist', m[1]);
  if (!fs.existsSync(file)) return null;
  return { path: file, type: MIME[path.extname(file)] || 'application/octet-stream' };
}

async function startHarnessServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const prefix = '/__geocentre_harness__/';
    const file = url.pathname.startsWith(prefix) ? harnessFile(decodeURIComponent(url.pathname.slice(prefix.length))) : null;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
    if (file.body) res.end(file.body);
    else fs.createReadStream(file.path).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    base: `http://127.0.0.1:${port}/__geocentre_harness__/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

// --------------------------------------------------------------------------
// Pages
// --------------------------------------------------------------------------

/** Opens any URL (a geocentre page, a viewer) and waits for `waitUntil` (default 'load'). */
export async function openUrl(session, url, { waitUntil = 'load', timeout = 30000 } = {}) {
  const page = await session.newPage();
  const resp = await page.goto(url, { waitUntil, timeout });
  if (!resp) throw new Error(`no response for ${url}`);
  if (resp.status() >= 400) throw new Error(`${url}: HTTP ${resp.status()}`);
  return page;
}

/**
 * Opens the blank harness page with MapLibre loaded (from node_modules, no CDN). With `origin`
 * (e.g. the geocentre server's http://127.0.0.1:PORT), the page is mounted on that origin, so
 * that the server's styles and tiles are same-origin; otherwise it comes from the harness server.
 */
export async function openMapPage(session, { origin = null, width = 512, height = 512, timeout = 30000 } = {}) {
  const base = origin ? await session.mountHarness(origin) : session.harnessBase;
  const page = await session.newPage();
  await page.setViewportSize({ width: Math.max(width, 64), height: Math.max(height, 64) });
  await page.goto(base + 'index.html', { waitUntil: 'load', timeout });
  await waitFor(page, () => !!(window.__geocentre && window.__geocentre.ready && window.maplibregl), null, {
    timeout,
    what: `MapLibre module loaded in ${base}index.html`,
    session,
  });
  await page.evaluate(([w, h]) => {
    const el = document.getElementById('map');
    el.style.width = `${w}px`;
    el.style.height = `${h}px`;
  }, [width, height]);
  return page;
}

/** WebGL renderer strings of a page ({webgl, webgl2}; null where no context). */
export async function webglInfo(page) {
  return page.evaluate(() => {
    const out = {};
    for (const kind of ['webgl', 'webgl2']) {
      const gl = document.createElement('canvas').getContext(kind);
      if (!gl) {
        out[kind] = null;
        continue;
      }
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      out[kind] = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    }
    return out;
  });
}

/**
 * Creates `window.map` in a page from openMapPage. style: a URL or a style object.
 * Pixel-test defaults: no fade, no attribution, preserveDrawingBuffer (readCanvasPixels).
 */
export async function createMap(page, { style, center = [0, 0], zoom = 0, bearing = 0, pitch = 0, options = {} } = {}) {
  if (!style) throw new Error('createMap: style (URL or object) is required');
  await page.evaluate(({ style, center, zoom, bearing, pitch, options }) => {
    const st = { errors: [], idle: 0, styleLoaded: false };
    window.__geocentre.map = st;
    const map = new window.maplibregl.Map({
      container: 'map',
      style,
      center,
      zoom,
      bearing,
      pitch,
      fadeDuration: 0,
      attributionControl: false,
      interactive: false,
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
      ...options,
    });
    map.on('error', (e) => {
      const err = e && e.error;
      st.errors.push(String((err && (err.message || err.status)) || e.type) + (err && err.url ? ` (${err.url})` : ''));
    });
    map.on('idle', () => { st.idle += 1; });
    map.on('load', () => { st.styleLoaded = true; });
    window.map = map;
  }, { style, center, zoom, bearing, pitch, options });
}

/** Waits until `fn(arg)` is truthy in the page; on timeout, throws with `what` and the session's diagnostics. */
export async function waitFor(page, fn, arg = null, { timeout = 30000, what = 'condition', session = null, polling = 100 } = {}) {
  try {
    return await page.waitForFunction(fn, arg, { timeout, polling });
  } catch (e) {
    const diag = session ? `\ndiagnostics: ${JSON.stringify(session.diagnostics())}` : '';
    throw new Error(`timed out after ${timeout} ms waiting for ${what}: ${e.message.split('\n')[0]}${diag}`);
  }
}

/**
 * Waits until the map has loaded its style and every tile, is not moving and has fired 'idle'
 * since the last change; then two animation frames, so that the last frame is on screen.
 * Throws with the map's state, its 'error' events and the session's diagnostics otherwise.
 * With failOnMapError (default), a MapLibre 'error' event (a tile 404, a bad style) fails at once.
 */
export async function waitForMapIdle(page, { timeout = 30000, session = null, failOnMapError = true } = {}) {
  const t0 = Date.now();
  let state;
  while (true) {
    state = await page.evaluate(() => {
      const m = window.map;
      const st = window.__geocentre && window.__geocentre.map;
      if (!m || !st) return { exists: false };
      return {
        exists: true,
        loaded: m.loaded(),
        styleLoaded: m.isStyleLoaded(),
        tilesLoaded: m.areTilesLoaded(),
        moving: m.isMoving(),
        idleEvents: st.idle,
        errors: st.errors.slice(),
      };
    });
    if (!state.exists) throw new Error('waitForMapIdle: no map in the page (call createMap first)');
    if (failOnMapError && state.errors.length) {
      throw new Error(`MapLibre reported errors: ${JSON.stringify(state.errors)}${session ? `\ndiagnostics: ${JSON.stringify(session.diagnostics())}` : ''}`);
    }
    if (state.loaded && state.styleLoaded && state.tilesLoaded && !state.moving && state.idleEvents > 0) break;
    if (Date.now() - t0 > timeout) {
      throw new Error(`map not idle after ${timeout} ms: ${JSON.stringify(state)}`
        + (session ? `\ndiagnostics: ${JSON.stringify(session.diagnostics())}` : ''));
    }
    await page.waitForTimeout(50);
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { ...state, ms: Date.now() - t0 };
}

/** Screen rectangle {x, y, width, height} (map-container pixels) of a lon/lat bbox [w, s, e, n]. */
export async function projectBbox(page, bbox) {
  return page.evaluate(([w, s, e, n]) => {
    const a = window.map.project([w, n]);
    const b = window.map.project([e, s]);
    return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) };
  }, bbox);
}

/** Map-container pixel of a lon/lat point. */
export async function project(page, lonlat) {
  return page.evaluate((p) => {
    const q = window.map.project(p);
    return { x: q.x, y: q.y };
  }, lonlat);
}

/** Clicks a selector (or {x, y} in page pixels). */
export async function click(page, target, opts = {}) {
  if (typeof target === 'string') return page.click(target, opts);
  return page.mouse.click(target.x, target.y, opts);
}

// --------------------------------------------------------------------------
// Pixels
// --------------------------------------------------------------------------

function safeName(name) {
  return String(name).replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * PNG screenshot of an element (default '#map') or a clip, written to the artefacts directory as
 * `${name}.png` (when name is given) and decoded: { path, png, image: {width, height, data RGBA} }.
 */
export async function screenshot(page, name = null, { selector = '#map', clip = null, fullPage = false } = {}) {
  const opts = { type: 'png', animations: 'disabled', caret: 'hide' };
  let png;
  if (clip || fullPage) png = await page.screenshot({ ...opts, clip: clip || undefined, fullPage });
  else png = await page.locator(selector).screenshot(opts);
  let file = null;
  if (name) {
    file = path.join(artifactsDir(), `${safeName(name)}.png`);
    fs.writeFileSync(file, png);
  }
  return { path: file, png, image: decodePng(png) };
}

/** The WebGL canvas's own pixels (needs preserveDrawingBuffer, createMap's default), decoded. */
export async function readCanvasPixels(page, selector = '#map canvas') {
  const dataUrl = await page.evaluate((sel) => document.querySelector(sel).toDataURL('image/png'), selector);
  return decodePng(Buffer.from(dataUrl.split(',')[1], 'base64'));
}

/** Decodes an 8-bit, non-interlaced PNG (grey, RGB, grey+alpha, RGBA: what chromium writes) to RGBA. */
export function decodePng(buf) {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(sig)) throw new Error('not a PNG');
  let off = 8;
  let ihdr = null;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    off += 12 + len;
    if (type === 'IHDR') {
      ihdr = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8], color: data[9], interlace: data[12] };
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  if (!ihdr) throw new Error('PNG without IHDR');
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[ihdr.color];
  if (ihdr.depth !== 8 || !channels || ihdr.interlace !== 0) {
    throw new Error(`unsupported PNG (bit depth ${ihdr.depth}, colour type ${ihdr.color}, interlace ${ihdr.interlace})`);
  }
  const { width, height } = ihdr;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(stride * height);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const ft = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = px.subarray(y * stride, (y + 1) * stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let v = line[i];
      if (ft === 1) v += a;
      else if (ft === 2) v += b;
      else if (ft === 3) v += (a + b) >> 1;
      else if (ft === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (ft !== 0) throw new Error(`bad PNG filter ${ft} on row ${y}`);
      out[i] = v & 0xff;
    }
    prev = out;
  }
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    const o = i * 4;
    if (channels === 1 || channels === 2) {
      data[o] = data[o + 1] = data[o + 2] = px[j];
      data[o + 3] = channels === 2 ? px[j + 1] : 255;
    } else {
      data[o] = px[j];
      data[o + 1] = px[j + 1];
      data[o + 2] = px[j + 2];
      data[o + 3] = channels === 4 ? px[j + 3] : 255;
    }
  }
  return { width, height, data };
}

/** [r, g, b, a] at integer pixel (x, y). */
export function pixelAt(image, x, y) {
  x = Math.floor(x);
  y = Math.floor(y);
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) throw new Error(`pixel (${x}, ${y}) outside ${image.width}x${image.height}`);
  const o = (y * image.width + x) * 4;
  return [image.data[o], image.data[o + 1], image.data[o + 2], image.data[o + 3]];
}

/** '#rrggbb' or [r, g, b] to [r, g, b]. */
export function rgb(c) {
  if (Array.isArray(c)) return c.slice(0, 3);
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (!m) throw new Error(`not a #rrggbb colour: ${c}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** Rectangle shrunk by `margin` px on each side (integer bounds). */
export function inset(rect, margin) {
  return {
    x: Math.ceil(rect.x + margin),
    y: Math.ceil(rect.y + margin),
    width: Math.max(0, Math.floor(rect.width - 2 * margin)),
    height: Math.max(0, Math.floor(rect.height - 2 * margin)),
  };
}

/**
 * Statistics of the pixels of `image` in `rect` (clipped to the image):
 *   { rect, count, mean: [r, g, b], fractions: { name: share of pixels within `tolerance`
 *     (max per-channel difference) of each named colour }, top: the 5 most frequent colours }
 */
export function pixelStats(image, rect, colours = {}, { tolerance = 16 } = {}) {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(image.width, Math.floor(rect.x + rect.width));
  const y1 = Math.min(image.height, Math.floor(rect.y + rect.height));
  const targets = Object.entries(colours).map(([k, c]) => [k, rgb(c)]);
  const hits = Object.fromEntries(targets.map(([k]) => [k, 0]));
  const freq = new Map();
  const sum = [0, 0, 0];
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * image.width + x) * 4;
      const p = [image.data[o], image.data[o + 1], image.data[o + 2]];
      sum[0] += p[0];
      sum[1] += p[1];
      sum[2] += p[2];
      count++;
      for (const [k, c] of targets) {
        if (Math.abs(p[0] - c[0]) <= tolerance && Math.abs(p[1] - c[1]) <= tolerance && Math.abs(p[2] - c[2]) <= tolerance) hits[k]++;
      }
      const key = (p[0] << 16) | (p[1] << 8) | p[2];
      freq.set(key, (freq.get(key) || 0) + 1);
    }
  }
  const hex = (k) => '#' + k.toString(16).padStart(6, '0');
  const top = [...freq.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([k, n]) => ({ colour: hex(k), fraction: +(n / Math.max(count, 1)).toFixed(4) }));
  return {
    rect: { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) },
    count,
    mean: sum.map((s) => +(s / Math.max(count, 1)).toFixed(1)),
    fractions: Object.fromEntries(Object.entries(hits).map(([k, n]) => [k, +(n / Math.max(count, 1)).toFixed(4)])),
    top,
  };
}

// --------------------------------------------------------------------------
// Local static server (Python's http.server) for tests that need one
// --------------------------------------------------------------------------

/** Starts `python3 -m http.server` on 127.0.0.1:0 serving `dir`; returns { base, close(), proc }. */
export async function startPythonHttpServer(dir, { timeout = 20000 } = {}) {
  const proc = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', dir, '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: browserEnv(),
  });
  leftovers.procs.add(proc);
  proc.on('exit', () => leftovers.procs.delete(proc));
  let out = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`python3 -m http.server printed no port in ${timeout} ms: ${out}`)), timeout);
    const onData = (d) => {
      out += d.toString();
      const m = /Serving HTTP on 127\.0\.0\.1 port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d) => { out += d.toString(); });
    proc.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start python3 -m http.server: ${e.message}`)); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`python3 -m http.server exited (${code}): ${out}`)); });
  });
  return {
    base,
    proc,
    close: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

// --------------------------------------------------------------------------
// Command-line scripts: one JSON object on stdout with --json
// --------------------------------------------------------------------------

/**
 * Runs `main(args)` (which returns a result object with an `ok` boolean), prints it as one JSON
 * object with --json (a readable summary otherwise), and exits 0 only if ok. An exception becomes
 * { ok: false, error }. A watchdog (--timeout seconds, default 120) turns a hang into a result too.
 */
export async function runCli(main) {
  const argv = process.argv.slice(2);
  const args = { json: false, timeout: 120 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a.startsWith('--')) {
      const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
      const val = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : true;
      args[key] = val;
    } else (args._ ||= []).push(a);
  }
  const t0 = Date.now();
  const emit = (result) => {
    result.duration_ms = Date.now() - t0;
    if (args.json) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    process.exitCode = result.ok ? 0 : 1;
  };
  const watchdog = setTimeout(() => {
    emit({ ok: false, error: `timed out after ${args.timeout} s` });
    process.exit(1);
  }, Number(args.timeout) * 1000);
  watchdog.unref();
  let result;
  try {
    result = await main(args);
  } catch (e) {
    result = { ok: false, error: String(e?.stack || e) };
  }
  clearTimeout(watchdog);
  emit(result);
}
