// Self-test of the browser harness: proves that Debian's chromium, headless and without a GPU,
// draws real MapLibre pixels, and that MapLibre in it fetches a style and data from 127.0.0.1.
//
//   node tests/browser/selftest.mjs --json [--http-base http://127.0.0.1:PORT] [--timeout 120]
//
// Prints one JSON object { ok, versions, browser, webgl, flags, cases: [{ name, ok, checks, ... }] }
// and exits 0 only if every check passed. Screenshots go to $GEOCENTRE_ARTIFACTS (default
// target/test-artifacts/browser). Without --http-base, the `http` case serves
// fixtures/selftest/ itself with `python3 -m http.server` on 127.0.0.1:0.
//
// Cases:
//   inline  a style object with an inline GeoJSON source: a red polygon, a blue line and a green
//           circle over a white background layer; red inside the polygon, white outside, blue on
//           the line, green at the circle's centre, and the canvas's own pixels (toDataURL)
//           agree with the screenshot.
//   http    fixtures/selftest/style.json (its GeoJSON at /shapes.geojson) from the 127.0.0.1
//           server, the harness page mounted on that server's origin; the polygon in the style's
//           fill colour, white outside, and both files requested from 127.0.0.1 with HTTP 200.
//   network fetch() to a host name and to a non-local IP address fail, recorded as blocked.

import fs from 'node:fs';
import path from 'node:path';
import {
  HERE, launch, openMapPage, createMap, waitForMapIdle, screenshot, readCanvasPixels, pixelStats,
  pixelAt, projectBbox, project, inset, webglInfo, versions, startPythonHttpServer, runCli, artifactsDir,
} from './lib.mjs';

const FIXTURES = path.join(HERE, 'fixtures', 'selftest');
const SIZE = { width: 512, height: 512 };
const VIEW = { center: [2.1, 47.05], zoom: 7 }; // MapLibre: 512 px tiles, so 1° of longitude ≈ 182 px
const POLYGON_BBOX = [1.0, 46.6, 1.9, 47.5]; // as in fixtures/selftest/shapes.geojson
const LINE = [[2.3, 47.6], [3.2, 47.6]];
const POINT = [2.75, 46.6];

// What the inline case draws, and so expects.
const INLINE = { fill: '#ff0000', line: '#0000ff', circle: '#00ff00', background: '#ffffff' };

function inlineStyle() {
  const data = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'shapes.geojson'), 'utf8'));
  return {
    version: 8,
    sources: { shapes: { type: 'geojson', data } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': INLINE.background } },
      { id: 'polygon', type: 'fill', source: 'shapes', filter: ['==', ['get', 'kind'], 'polygon'],
        paint: { 'fill-color': INLINE.fill, 'fill-antialias': false } },
      { id: 'line', type: 'line', source: 'shapes', filter: ['==', ['get', 'kind'], 'line'],
        paint: { 'line-color': INLINE.line, 'line-width': 8 } },
      { id: 'point', type: 'circle', source: 'shapes', filter: ['==', ['get', 'kind'], 'point'],
        paint: { 'circle-color': INLINE.circle, 'circle-radius': 16 } },
    ],
  };
}

class Checks {
  constructor() { this.list = []; }
  add(name, ok, detail) { this.list.push({ name, ok: !!ok, detail }); return ok; }
  get ok() { return this.list.length > 0 && this.list.every((c) => c.ok); }
}

// Draws the map, screenshots it and measures the regions the shapes cover (and those they don't).
async function drawAndMeasure(session, page, name, style, colours) {
  await createMap(page, { style, ...VIEW });
  const idle = await waitForMapIdle(page, { timeout: 30000, session });
  const shot = await screenshot(page, `selftest-${name}`);
  const img = shot.image;
  const poly = await projectBbox(page, POLYGON_BBOX);
  const a = await project(page, LINE[0]);
  const b = await project(page, LINE[1]);
  const c = await project(page, POINT);
  const regions = {
    polygon: inset(poly, 4),
    // a band left of the polygon, and one below the line, right of the polygon, above the circle
    outside_left: { x: 0, y: poly.y, width: Math.floor(poly.x) - 4, height: poly.height },
    outside_middle: { x: Math.ceil(poly.x + poly.width) + 8, y: a.y + 12, width: 200, height: Math.max(0, c.y - 24 - (a.y + 12)) },
    line: { x: a.x + 6, y: a.y - 2, width: b.x - a.x - 12, height: 4 },
    circle: { x: c.x - 4, y: c.y - 4, width: 8, height: 8 },
  };
  const stats = Object.fromEntries(Object.entries(regions).map(([k, r]) => [k, pixelStats(img, r, colours)]));
  return { idle, shot, img, poly, stats, points: { polygonCentre: [poly.x + poly.width / 2, poly.y + poly.height / 2], lineStart: a, lineEnd: b, circle: c } };
}

function regionChecks(checks, m, colours, { line = true, circle = true } = {}) {
  const s = m.stats;
  checks.add(`polygon interior is ${colours.fill}`, s.polygon.count > 1000 && s.polygon.fractions.fill >= 0.98, s.polygon);
  checks.add(`left of the polygon is ${colours.background}`, s.outside_left.count > 1000 && s.outside_left.fractions.background >= 0.98, s.outside_left);
  checks.add(`between the shapes is ${colours.background}`, s.outside_middle.count > 1000 && s.outside_middle.fractions.background >= 0.98, s.outside_middle);
  if (line) checks.add(`line is ${colours.line}`, s.line.count > 500 && s.line.fractions.line >= 0.95, s.line);
  if (circle) checks.add(`circle centre is ${colours.circle}`, s.circle.count >= 64 && s.circle.fractions.circle >= 0.95, s.circle);
  checks.add('polygon lies inside the screenshot', m.poly.x > 8 && m.poly.y > 8 && m.poly.x + m.poly.width < m.img.width - 8 && m.poly.y + m.poly.height < m.img.height - 8, m.poly);
}

function sessionChecks(checks, session, mark) {
  const d = session.diagnostics(mark);
  checks.add('no console errors', d.consoleErrors.length === 0, d.consoleErrors);
  checks.add('no page errors', d.pageErrors.length === 0, d.pageErrors);
  checks.add('no failed requests', d.failedRequests.length === 0, d.failedRequests);
  checks.add('no HTTP errors', d.httpErrors.length === 0, d.httpErrors);
  checks.add('no request outside 127.0.0.1', d.blockedRequests.length === 0, d.blockedRequests);
}

async function caseInline(session) {
  const t0 = Date.now();
  const checks = new Checks();
  const mark = session.mark();
  const page = await openMapPage(session, SIZE);
  const colours = { fill: INLINE.fill, line: INLINE.line, circle: INLINE.circle, background: INLINE.background };
  const m = await drawAndMeasure(session, page, 'inline', inlineStyle(), colours);
  regionChecks(checks, m, colours);
  // The canvas's own pixels (WebGL drawing buffer) against the screenshot (the composited page).
  const canvas = await readCanvasPixels(page);
  const pts = { polygonCentre: m.points.polygonCentre, outside: [10, 10], circle: [m.points.circle.x, m.points.circle.y] };
  const agree = Object.fromEntries(Object.entries(pts).map(([k, [x, y]]) => [k, { screenshot: pixelAt(m.img, x, y), canvas: pixelAt(canvas, x, y) }]));
  const same = Object.values(agree).every((v) => v.screenshot.slice(0, 3).every((c, i) => Math.abs(c - v.canvas[i]) <= 2));
  checks.add('canvas pixels (toDataURL) match the screenshot', canvas.width === m.img.width && canvas.height === m.img.height && same,
    { canvasSize: [canvas.width, canvas.height], screenshotSize: [m.img.width, m.img.height], samples: agree });
  sessionChecks(checks, session, mark);
  await page.close();
  return { name: 'inline', ok: checks.ok, checks: checks.list, screenshot: m.shot.path, idle: m.idle, ms: Date.now() - t0 };
}

async function caseHttp(session, httpBase) {
  const t0 = Date.now();
  const checks = new Checks();
  const style = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'style.json'), 'utf8'));
  const paint = (id, prop) => style.layers.find((l) => l.id === id).paint[prop];
  const colours = {
    fill: paint('polygon', 'fill-color'),
    line: paint('line', 'line-color'),
    circle: paint('point', 'circle-color'),
    background: paint('background', 'background-color'),
  };
  const origin = new URL(httpBase).origin;
  const mark = session.mark();
  const firstRequest = session.log.requests.length;
  const page = await openMapPage(session, { ...SIZE, origin });
  const m = await drawAndMeasure(session, page, 'http', `${origin}/style.json`, colours);
  regionChecks(checks, m, colours);
  const reqs = session.log.requests.slice(firstRequest).map((r) => r.url);
  for (const p of ['/style.json', '/shapes.geojson']) {
    const url = origin + p;
    checks.add(`MapLibre requested ${url}`, reqs.includes(url), reqs);
  }
  const harnessOnOrigin = reqs.filter((u) => u.startsWith(`${origin}/__geocentre_harness__/`));
  checks.add('harness page, MapLibre and its worker served on the 127.0.0.1 server\'s origin',
    ['index.html', 'maplibre/maplibre-gl.mjs', 'maplibre/maplibre-gl-worker.mjs'].every((f) => harnessOnOrigin.some((u) => new URL(u).pathname.endsWith(f))),
    harnessOnOrigin);
  sessionChecks(checks, session, mark);
  await page.close();
  return { name: 'http', ok: checks.ok, origin, checks: checks.list, screenshot: m.shot.path, idle: m.idle, requests: reqs, ms: Date.now() - t0 };
}

// Requests to anything but 127.0.0.1 / localhost are refused, and recorded as such.
async function caseNetwork(session) {
  const t0 = Date.now();
  const checks = new Checks();
  const mark = session.mark();
  const page = await openMapPage(session, SIZE);
  const outside = ['http://example.com/geocentre-selftest', 'http://10.255.255.1/geocentre-selftest'];
  const results = await page.evaluate(async (urls) => Promise.all(urls.map(async (u) => {
    try {
      const r = await fetch(u, { cache: 'no-store' });
      return { url: u, status: r.status };
    } catch (e) {
      return { url: u, error: String(e) };
    }
  })), outside);
  const d = session.diagnostics(mark);
  for (const r of results) {
    checks.add(`fetch(${r.url}) fails in the page`, 'error' in r, r);
    checks.add(`${r.url} recorded as blocked`, d.blockedRequests.includes(r.url), d.blockedRequests);
  }
  await page.close();
  return { name: 'network', ok: checks.ok, checks: checks.list, ms: Date.now() - t0 };
}

// A case that throws still reports: { name, ok: false, error }, and leaves a screenshot of every
// page still open as `selftest-<name>-failed.png`.
async function runCase(session, name, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } catch (e) {
    const shots = [];
    for (const [i, page] of session.context.pages().entries()) {
      try {
        shots.push((await screenshot(page, `selftest-${name}-failed${i ? `-${i}` : ''}`, { fullPage: true })).path);
      } catch { /* page gone */ }
      await page.close().catch(() => {});
    }
    return { name, ok: false, error: String(e?.stack || e), checks: [], failure_screenshots: shots, ms: Date.now() - t0 };
  }
}

await runCli(async (args) => {
  const result = { ok: false, versions: versions(), artifacts: artifactsDir(), cases: [] };
  const tLaunch = Date.now();
  const session = await launch();
  result.launch_ms = Date.now() - tLaunch;
  let server = null;
  try {
    result.browser = session.browserVersion;
    result.flags = session.flags;
    const probe = await session.newPage();
    result.webgl = await webglInfo(probe);
    await probe.close();
    result.cases.push(await runCase(session, 'inline', () => caseInline(session)));
    let httpBase = typeof args.httpBase === 'string' ? args.httpBase : null;
    if (!httpBase) {
      server = await startPythonHttpServer(FIXTURES);
      httpBase = server.base;
    }
    result.cases.push(await runCase(session, 'http', () => caseHttp(session, httpBase)));
    result.cases.push(await runCase(session, 'network', () => caseNetwork(session)));
    result.ok = !!(result.webgl.webgl || result.webgl.webgl2) && result.cases.every((c) => c.ok);
  } finally {
    await session.close();
    if (server) await server.close();
  }
  return result;
});
