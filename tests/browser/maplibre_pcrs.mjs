// MapLibre GL JS draws a geocentre dataset from the server's own style, tiles and glyphs, in
// Debian's chromium: the measuring half of tests/interop/test_browser_maplibre.py.
//
//   node tests/browser/maplibre_pcrs.mjs --json --spec SPEC.json [--timeout 120]
//
// SPEC.json: {
//   "name": "styled",                                  // artefact maplibre-pcrs-<name>.png
//   "style": "http://127.0.0.1:PORT/styles/pcrs.json",  // the style URL MapLibre loads
//   "width": 1024, "height": 1024,                      // map size in CSS px (device pixel ratio 1)
//   "center": [lon, lat], "zoom": z,                    // the framing (the caller computes it)
//   "probes": { "id": [lon, lat], ... }                 // points to project with map.project
// }
//
// This script measures and does not judge the pixels: the expectations come from the source data,
// read by the pytest side with OGR. It prints one JSON object:
//   ok            the map loaded and went idle, and everything below was collected
//   screenshot    the PNG artefact (what the pytest side reads the pixels from)
//   projected     { id: {x, y} }: map.project of every probe, in screenshot pixels
//   pixels        { id: [r, g, b, a] }: the screenshot pixel under every probe (harness decoder)
//   view          the map's own centre, zoom, bounds and canvas size once idle
//   style_layers  the style as MapLibre holds it: [{ id, type, source, sourceLayer, minzoom, maxzoom }]
//   validation    @maplibre/maplibre-gl-style-spec validateStyleMin() of the served style document
//   labels        map.queryRenderedFeatures() of the symbol layers: what MapLibre placed
//   responses     every response from the server's origin: { url, status, type, contentType, bytes }
//   map_errors    MapLibre 'error' events;  diagnostics: the harness's (console, page errors,
//                 failed / blocked / HTTP >= 400 requests)
// and exits 0 only if ok. A map that never goes idle still leaves maplibre-pcrs-<name>-failed.png.

import fs from 'node:fs';
import {
  INSTALL_HINT, launch, openMapPage, createMap, waitForMapIdle, screenshot, pixelAt, project,
  webglInfo, versions, runCli, artifactsDir,
} from './lib.mjs';

async function validateStyle(styleUrl) {
  let spec;
  try {
    // A dependency of maplibre-gl (package-lock.json), hoisted into tests/browser/node_modules.
    spec = await import('@maplibre/maplibre-gl-style-spec');
  } catch (e) {
    throw new Error(`@maplibre/maplibre-gl-style-spec not found under tests/browser/node_modules: ${INSTALL_HINT} (${e.message})`);
  }
  const r = await fetch(styleUrl, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${styleUrl}: HTTP ${r.status}`);
  const doc = await r.json();
  const errors = spec.validateStyleMin(doc).map((e) => String(e.message || e));
  return { styleSpecVersion: spec.latest?.$version ?? null, errors, document: doc };
}

await runCli(async (args) => {
  if (typeof args.spec !== 'string') throw new Error('--spec SPEC.json is required');
  const spec = JSON.parse(fs.readFileSync(args.spec, 'utf8'));
  const { name, style, width = 1024, height = 1024, center, zoom, probes = {} } = spec;
  if (!name || !style || !center || zoom === undefined) throw new Error('spec needs name, style, center and zoom');
  const origin = new URL(style).origin;
  const result = { ok: false, name, versions: versions(), artifacts: artifactsDir(), spec: { style, width, height, center, zoom } };

  result.validation = await validateStyle(style);
  delete result.validation.document; // the pytest side fetches the style itself

  const tLaunch = Date.now();
  const session = await launch();
  result.launch_ms = Date.now() - tLaunch;
  result.browser = session.browserVersion;
  const responses = [];
  const bodies = [];
  session.context.on('response', (r) => {
    const url = r.url();
    if (!url.startsWith(origin + '/') || url.startsWith(`${origin}/__geocentre_harness__/`)) return;
    const entry = { url, status: r.status(), type: r.request().resourceType(), contentType: r.headers()['content-type'] || null, bytes: null };
    responses.push(entry);
    bodies.push(r.body().then((b) => { entry.bytes = b.length; }, () => { /* no body (204, aborted) */ }));
  });
  try {
    const mark = session.mark();
    const page = await openMapPage(session, { origin, width, height });
    result.webgl = await webglInfo(page);
    await createMap(page, { style, center, zoom });
    try {
      result.idle = await waitForMapIdle(page, { timeout: 45000, session, failOnMapError: false });
    } catch (e) {
      result.failure_screenshot = (await screenshot(page, `maplibre-pcrs-${name}-failed`)).path;
      throw e;
    }
    const shot = await screenshot(page, `maplibre-pcrs-${name}`);
    result.screenshot = shot.path;
    result.image = { width: shot.image.width, height: shot.image.height };

    result.projected = {};
    result.pixels = {};
    for (const [id, lonlat] of Object.entries(probes)) {
      const p = await project(page, lonlat);
      result.projected[id] = p;
      const inside = p.x >= 0 && p.y >= 0 && p.x < shot.image.width && p.y < shot.image.height;
      result.pixels[id] = inside ? pixelAt(shot.image, p.x, p.y) : null;
    }

    Object.assign(result, await page.evaluate(() => {
      const m = window.map;
      const b = m.getBounds();
      const canvas = m.getCanvas();
      const layers = m.getStyle().layers;
      const symbolIds = layers.filter((l) => l.type === 'symbol').map((l) => l.id);
      const labels = symbolIds.length ? m.queryRenderedFeatures({ layers: symbolIds }) : [];
      return {
        view: {
          center: m.getCenter().toArray(),
          zoom: m.getZoom(),
          bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
          canvas: [canvas.width, canvas.height],
          devicePixelRatio: window.devicePixelRatio,
        },
        style_layers: layers.map((l) => ({
          id: l.id, type: l.type, source: l.source ?? null, sourceLayer: l['source-layer'] ?? null,
          minzoom: l.minzoom ?? null, maxzoom: l.maxzoom ?? null,
        })),
        labels: labels.map((f) => ({
          layer: f.layer.id, sourceLayer: f.sourceLayer, properties: f.properties,
          geometry: f.geometry, textField: f.layer.layout?.['text-field'] ?? null,
        })),
        map_errors: window.__geocentre.map.errors.slice(),
      };
    }));
    await Promise.allSettled(bodies);
    await page.close();
    result.diagnostics = session.diagnostics(mark);
    result.responses = responses;
    result.ok = true;
  } finally {
    await session.close();
  }
  return result;
});
