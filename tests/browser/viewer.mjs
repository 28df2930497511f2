// The OpenLayers viewer served at `/` by `geocentre serve`, driven like a user would in Debian's
// chromium: the measuring half of tests/interop/test_browser_viewer.py.
//
//   node tests/browser/viewer.mjs --json --base http://127.0.0.1:PORT --spec SPEC.json [--timeout 120]
//
// SPEC.json (written by the pytest side from the data, read with GDAL / OGR / the CLI):
// {
//   "prefix": "viewer",                              // artefacts <prefix>-*.png
//   "width": 1280, "height": 800,                    // browser viewport (CSS px, device pixel ratio 1)
//   "probes": { "east": [x, y], "west": [x, y] },    // Lambert-93 points: a box of `box` px around each
//   "box": 32,                                       //   is measured in every vintage state
//   "vintages": ["2024", "2021"],                    // values of #vintage-select to visit, in order
//   "vector": { "checkbox": "vector-admin.communes",  // the checkbox to switch on, then off
//               "ring": [[x, y], ...] },             //   Lambert-93 vertices to project (a commune ring)
//   "actions": [                                     // then, in order, each followed by the fiche:
//     { "name": "west", "click": [x, y] },           //   a click on this Lambert-93 point (an open
//     { "name": "west-2021", "vintage": "2021" },    //   fiche is closed first), or a vintage switch
//     ...                                            //   (the viewer re-queries the same point)
//   ]
// }
//
// This script drives and measures; it does not judge the pixels: the pytest side reads the PNG
// artefacts with Pillow and compares them with the source rasters (GDAL) and the stored style.
// It prints one JSON object:
//   ok          everything below was collected (the page loaded, every step settled)
//   initial     the state the viewer opened in: selects and their options, view centre /
//               resolution, map size, the projected probes, the map's background colour
//   states      one per vintage state (mosaic, each of spec.vintages, mosaic again): the
//               select values, the WMTS layer of the displayed source, the screenshot of #map,
//               the probe boxes { x, y, width, height } in its pixels and their Lambert-93 bounds,
//               and the alpha of the ortho layer's own canvas in each box
//   vector      screenshots of #map before / with / after the checkbox, the checkbox state, the
//               ring projected to map pixels, the WMS requests the layer made
//   clicks      one per action: the clicked pixel and coordinate (or the vintage), the
//               GetFeatureInfo requests it made, the fiche's fields (dt → dd of each dl) and
//               text, a full-page screenshot
//   obstacles   map-pixel rectangles covered by controls (zoom, scale line, attribution...)
//   diagnostics the harness's: console errors / warnings, page errors, failed / blocked /
//               HTTP >= 400 requests, over the whole run
// and exits 0 only if ok. A step that throws leaves <prefix>-failed.png.

import fs from 'node:fs';
import { launch, openUrl, waitFor, screenshot, versions, runCli, artifactsDir } from './lib.mjs';

const SETTLE_TIMEOUT = 30000;

// Installs a counter of OpenLayers 'rendercomplete' events (all tiles and images of the frame loaded).
async function hookRender(page) {
  await page.evaluate(() => {
    const v = window.geocentreViewer;
    if (!v || window.__gcRender) return;
    window.__gcRender = { complete: 0 };
    v.map.on('rendercomplete', () => { window.__gcRender.complete += 1; });
  });
}

// Waits until the map has rendered a complete frame (nothing loading) after this call: asks for
// a render, waits for a 'rendercomplete' that follows it, then two animation frames.
async function settle(page, session, what) {
  const n = await page.evaluate(() => {
    const n0 = window.__gcRender.complete;
    window.geocentreViewer.map.render();
    return n0;
  });
  await waitFor(page, (k) => window.__gcRender.complete > k, n, { timeout: SETTLE_TIMEOUT, what: `map render complete (${what})`, session });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function viewState(page) {
  return page.evaluate(() => {
    const { map, view } = window.geocentreViewer;
    const ortho = map.getLayers().getArray().find((l) => l.getClassName && l.getClassName() === 'ortho-layer');
    const src = ortho && ortho.getSource();
    return {
      layerSelect: document.getElementById('layer-select').value,
      layerOptions: [...document.querySelectorAll('#layer-select option')].map((o) => o.value),
      vintageSelect: document.getElementById('vintage-select').value,
      vintageOptions: [...document.querySelectorAll('#vintage-select option')].map((o) => o.value),
      wmtsLayer: src && src.getLayer ? src.getLayer() : null,
      wmtsDimensions: src && src.getDimensions ? src.getDimensions() : null,
      center: view.getCenter(),
      resolution: view.getResolution(),
      mapSize: map.getSize(),
      extent: view.calculateExtent(map.getSize()),
      hash: window.location.hash,
    };
  });
}

// Map-pixel position of Lambert-93 points (map.getPixelFromCoordinate).
async function toPixels(page, coords) {
  return page.evaluate((cs) => cs.map((c) => window.geocentreViewer.map.getPixelFromCoordinate(c)), coords);
}

// Rectangles (in #map pixels) that controls and overlays cover: pixels there are not the map's.
async function obstacles(page) {
  return page.evaluate(() => {
    const m = document.getElementById('map').getBoundingClientRect();
    const sel = ['.ol-zoom', '.ol-full-screen', '.ol-attribution', '.ol-scale-line', '#feature-info', '#message'];
    const out = [];
    for (const s of sel) {
      for (const el of document.querySelectorAll(s)) {
        if (el.hidden || el.offsetParent === null) continue;
        const r = el.getBoundingClientRect();
        if (r.width && r.height) out.push({ what: s, x: r.left - m.left, y: r.top - m.top, width: r.width, height: r.height });
      }
    }
    return out;
  });
}

// A box of `size` px centred on each probe, its Lambert-93 bounds (pixel edges) and the alpha of the
// ortho layer's canvas in it (0 = nothing drawn there).
async function measureBoxes(page, probes, size) {
  return page.evaluate(({ probes, size }) => {
    const { map } = window.geocentreViewer;
    const canvas = document.querySelector('#map .ortho-layer canvas');
    const size2 = map.getSize();
    const out = {};
    for (const [name, c] of Object.entries(probes)) {
      const p = map.getPixelFromCoordinate(c);
      const x = Math.round(p[0] - size / 2);
      const y = Math.round(p[1] - size / 2);
      const tl = map.getCoordinateFromPixel([x, y]);
      const br = map.getCoordinateFromPixel([x + size, y + size]);
      let alpha = null;
      if (canvas && canvas.width === size2[0] && canvas.height === size2[1]) {
        // Copied into a canvas of our own: reading OpenLayers' canvas back repeatedly makes chromium
        // warn on the console (willReadFrequently), which the test watches.
        const copy = document.createElement('canvas');
        copy.width = size;
        copy.height = size;
        const cx = copy.getContext('2d', { willReadFrequently: true });
        cx.drawImage(canvas, x, y, size, size, 0, 0, size, size);
        const d = cx.getImageData(0, 0, size, size).data;
        let min = 255, max = 0, sum = 0;
        for (let i = 3; i < d.length; i += 4) {
          min = Math.min(min, d[i]);
          max = Math.max(max, d[i]);
          sum += d[i];
        }
        alpha = { min, max, mean: +(sum / (d.length / 4)).toFixed(2) };
      } else {
        alpha = { error: canvas ? `ortho canvas ${canvas.width}x${canvas.height}, map ${size2}` : 'no .ortho-layer canvas' };
      }
      out[name] = { probe: c, pixel: p, rect: { x, y, width: size, height: size }, bounds_l93: [tl[0], br[1], br[0], tl[1]], alpha };
    }
    return out;
  }, { probes, size });
}

// The fiche (#feature-info): dt → dd pairs of each dl, and the whole text.
async function ficheState(page) {
  return page.evaluate(() => {
    const box = document.getElementById('feature-info');
    const body = document.getElementById('feature-info-body');
    const features = [...body.querySelectorAll('dl.feature-fields')].map((dl) => {
      const out = {};
      const dts = dl.querySelectorAll('dt');
      dts.forEach((dt) => {
        const dd = dt.nextElementSibling;
        out[dt.textContent.trim()] = dd ? dd.textContent.trim() : null;
      });
      return out;
    });
    return { hidden: box.hidden, visible: !box.hidden && box.offsetParent !== null, text: body.textContent, features };
  });
}

async function selectVintage(page, session, value) {
  await page.selectOption('#vintage-select', value);
  await settle(page, session, `vintage ${value}`);
}

await runCli(async (args) => {
  if (typeof args.base !== 'string') throw new Error('--base http://127.0.0.1:PORT is required');
  if (typeof args.spec !== 'string') throw new Error('--spec SPEC.json is required');
  const spec = JSON.parse(fs.readFileSync(args.spec, 'utf8'));
  const prefix = spec.prefix || 'viewer';
  const box = spec.box || 32;
  const base = args.base.replace(/\/+$/, '');
  const result = { ok: false, versions: versions(), artifacts: artifactsDir(), base, steps: [] };
  const t0 = Date.now();
  const step = (name) => result.steps.push({ name, ms: Date.now() - t0 });

  const session = await launch({ viewportWidth: spec.width || 1280, viewportHeight: spec.height || 800 });
  result.browser = session.browserVersion;
  let page = null;
  try {
    // 1. Open the viewer; wait for its layer list, the WMTS source and a complete frame.
    page = await openUrl(session, `${base}/`);
    step('loaded');
    await waitFor(page, () => !!(window.geocentreViewer && document.querySelector('#layer-select option')
      && window.geocentreViewer.map.getLayers().getArray().some((l) => l.getClassName && l.getClassName() === 'ortho-layer')),
    null, { timeout: SETTLE_TIMEOUT, what: 'the viewer\'s layer list and ortho layer', session });
    await hookRender(page);
    await settle(page, session, 'initial view');
    // The vector section fills from its own request: wait for the checkbox too.
    const cbSel = `[id="${spec.vector.checkbox}"]`;
    await waitFor(page, (s) => !!document.querySelector(s), cbSel, { timeout: SETTLE_TIMEOUT, what: `checkbox ${cbSel}`, session });
    step('settled');
    result.initial = await viewState(page);
    result.initial.mapBackground = await page.evaluate(() => getComputedStyle(document.getElementById('map')).backgroundColor);
    result.initial.probes = await toPixels(page, Object.values(spec.probes));
    result.obstacles = await obstacles(page);
    result.initial.fullpage = (await screenshot(page, `${prefix}-initial-page`, { fullPage: true })).path;

    // 2. Vintage states: mosaic, each spec vintage, mosaic again. Same view all along.
    result.states = [];
    const record = async (label) => {
      const shot = await screenshot(page, `${prefix}-${label}`);
      result.states.push({ label, ...(await viewState(page)), screenshot: shot.path, boxes: await measureBoxes(page, spec.probes, box) });
    };
    await record('mosaic');
    for (const v of spec.vintages) {
      await selectVintage(page, session, v);
      await record(`vintage-${v}`);
    }
    await selectVintage(page, session, 'latest');
    await record('mosaic-again');
    step('vintages');

    // 3. A vector layer on, then off.
    const ringPx = await toPixels(page, spec.vector.ring);
    const vec = { checkbox: spec.vector.checkbox, ring_px: ringPx, view: await viewState(page) };
    vec.before = (await screenshot(page, `${prefix}-vector-before`)).path;
    const nReq = session.log.requests.length;
    await page.check(cbSel);
    vec.checked = await page.isChecked(cbSel);
    await settle(page, session, `${spec.vector.checkbox} on`);
    vec.on = (await screenshot(page, `${prefix}-vector-on`)).path;
    vec.on_page = (await screenshot(page, `${prefix}-vector-on-page`, { fullPage: true })).path;
    vec.wms_requests = session.log.requests.slice(nReq).map((r) => r.url).filter((u) => u.includes('/wms?'));
    await page.uncheck(cbSel);
    vec.unchecked = !(await page.isChecked(cbSel));
    await settle(page, session, `${spec.vector.checkbox} off`);
    vec.off = (await screenshot(page, `${prefix}-vector-off`)).path;
    vec.view_after = await viewState(page);
    result.vector = vec;
    step('vector');

    // 4. Clicks on the map, and vintage switches with the fiche open: the fiche after each.
    result.clicks = [];
    const mapBox = await page.locator('#map').boundingBox();
    for (const [i, action] of (spec.actions || []).entries()) {
      const rec = { name: action.name || `action-${i}`, vintage_before: await page.inputValue('#vintage-select') };
      const n0 = session.log.requests.length;
      const gfi = page.waitForResponse((r) => r.url().includes('REQUEST=GetFeatureInfo'), { timeout: SETTLE_TIMEOUT });
      gfi.catch(() => {}); // awaited below; no unhandled rejection if this action throws first
      if (action.click) {
        // A fiche left open covers part of the map: close it first (its own button).
        if (await page.isVisible('#feature-info')) await page.click('#feature-info-close');
        rec.obstacles = await obstacles(page);
        const [px] = await toPixels(page, [action.click]);
        rec.coordinate = action.click;
        rec.pixel = px;
        const [w, h] = (await viewState(page)).mapSize;
        const hidden = rec.obstacles.find((o) => px[0] >= o.x && px[0] <= o.x + o.width && px[1] >= o.y && px[1] <= o.y + o.height);
        if (!(px[0] >= 0 && px[1] >= 0 && px[0] < w && px[1] < h) || hidden) {
          throw new Error(`action ${rec.name}: ${JSON.stringify(action.click)} is at map pixel ${px}, `
            + `${hidden ? `under ${hidden.what}` : `outside the map (${w}x${h})`}`);
        }
        await page.mouse.click(mapBox.x + px[0], mapBox.y + px[1]);
      } else if (action.vintage) {
        rec.vintage = action.vintage;
        await page.selectOption('#vintage-select', action.vintage);
      } else {
        throw new Error(`action ${i}: neither click nor vintage: ${JSON.stringify(action)}`);
      }
      const resp = await gfi;
      rec.gfi_status = resp.status();
      await waitFor(page, () => {
        if (document.getElementById('feature-info').hidden) return false;
        const b = document.getElementById('feature-info-body');
        if (b.querySelector('dl.feature-fields')) return true;
        const status = b.querySelector('.feature-status');
        return !!status && !/Interrogation|Querying/.test(status.textContent);
      }, null, { timeout: SETTLE_TIMEOUT, what: `the fiche (#feature-info) after ${rec.name}`, session });
      rec.fiche = await ficheState(page);
      rec.gfi_requests = session.log.requests.slice(n0).map((r) => r.url).filter((u) => u.includes('REQUEST=GetFeatureInfo'));
      rec.view = await viewState(page);
      await settle(page, session, rec.name);
      rec.screenshot = (await screenshot(page, `${prefix}-click-${rec.name}`, { fullPage: true })).path;
      result.clicks.push(rec);
    }
    step('clicks');

    result.diagnostics = session.diagnostics();
    result.ok = true;
  } catch (e) {
    result.error = String(e?.stack || e);
    result.diagnostics = session.diagnostics();
    if (page) {
      try {
        result.failure_screenshot = (await screenshot(page, `${prefix}-failed`, { fullPage: true })).path;
      } catch { /* page gone */ }
    }
  } finally {
    await session.close();
  }
  return result;
});
