/*
 * Géocentre — visionneuse de l'orthophotographie (page servie à « / »).
 *
 * JavaScript simple, sans étape de construction. Dépend uniquement des
 * fichiers embarqués dans /assets/vendor/ : proj4.js (global `proj4`) et
 * ol.js (build UMD complet d'OpenLayers, global `ol`).
 *
 * Contrat serveur utilisé :
 *   GET /api/ortho/layers                          → liste des couches et millésimes (JSON)
 *   GET /wmts?SERVICE=WMTS&REQUEST=GetCapabilities → capacités WMTS 1.0.0
 *   tuiles REST annoncées dans les capacités (grille LAMB93_5cm_EPSG)
 */
(function () {
  'use strict';

  /* ------------------------------------------------------------------ */
  /* Configuration                                                       */
  /* ------------------------------------------------------------------ */

  var API_LAYERS_URL = '/api/ortho/layers';
  var CAPABILITIES_URL = '/wmts?SERVICE=WMTS&REQUEST=GetCapabilities';
  var MATRIX_SET = 'LAMB93_5cm_EPSG';
  var L93_CODE = 'EPSG:2154';
  var L93_DEF =
    '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 ' +
    '+y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
  // Domaine de validité de Lambert-93 (France métropolitaine, EPSG).
  var L93_EXTENT = [-378305.81, 6093283.21, 1212610.74, 7186901.68];
  var L93_WORLD_EXTENT = [-9.86, 41.15, 10.38, 51.56];
  // Grille LAMB93_5cm_EPSG : résolution du niveau n = 209715,2 / 2^n m.
  var LEVEL0_RESOLUTION = 209715.2;
  var MIN_VIEW_LEVEL = 6; // ≈ 3,3 km/px : toute la France tient à l'écran
  var MAX_VIEW_LEVEL = 24; // deux niveaux de sur-zoom au-delà du 5 cm
  var STORAGE_KEY = 'geocentre.lang';
  var LATEST = 'latest';

  /* ------------------------------------------------------------------ */
  /* Traductions (le français est la langue principale)                  */
  /* ------------------------------------------------------------------ */

  var I18N = {
    fr: {
      pageTitle: 'Géocentre — Orthophotographie',
      skip: 'Aller aux réglages de la carte',
      subtitle: 'Orthophotographie régionale',
      langGroup: 'Langue',
      controlsTitle: 'Réglages de la carte',
      layerLabel: 'Couche',
      vintageLabel: 'Millésime',
      latestOption: 'Le plus récent ({year})',
      latestOptionNoYear: 'Le plus récent',
      vintageOption: '{year} — {res}',
      fitExtent: "Recentrer sur l'emprise",
      infoTitle: 'Couche affichée',
      infoTitleField: 'Titre',
      infoWmts: 'Identifiant WMTS',
      infoVintage: 'Millésime',
      infoResolution: 'Résolution native',
      infoLevel: 'Niveau natif',
      infoProducer: 'Producteur',
      infoExtent: 'Emprise (Lambert-93)',
      aboutTitle: 'À propos',
      aboutText1:
        "Cette visionneuse présente l'orthophotographie régionale partagée, " +
        'produite et mutualisée dans le cadre du géocommun PCRS (Plan de Corps ' +
        'de Rue Simplifié). Les images sont affichées en Lambert-93 (EPSG:2154).',
      aboutText2:
        'Les mêmes images sont diffusées par des services standard, utilisables ' +
        'directement dans QGIS ou tout autre SIG\u00a0:',
      aboutText3:
        'Identifiants des couches WMTS\u00a0: «\u00a0nom\u00a0» pour le millésime le plus ' +
        'récent, «\u00a0nom-année\u00a0» pour un millésime donné. Grilles de tuilage\u00a0: ' +
        'LAMB93_5cm_EPSG (Lambert-93) et WebMercatorQuad.',
      svcWmts: 'WMTS (OGC) — capacités',
      svcXyz: 'Tuiles XYZ',
      svcXyzHint:
        'Pour QGIS («\u00a0Tuiles XYZ\u00a0»)\u00a0: remplacer {tms} par WebMercatorQuad, par exemple\u00a0:',
      svcTms: 'TMS',
      copy: 'Copier',
      copied: 'Copié',
      copyLabel: "Copier l'adresse {url}",
      mapTitle: 'Carte',
      mapLabel: "Carte de l'orthophotographie",
      coordsLabel: 'Lambert-93\u00a0:',
      viewInfo: 'niveau {level} · {res}/px',
      loading: 'Chargement des orthophotographies…',
      empty: 'Aucune orthophotographie publiée',
      emptyDetail: "Le serveur ne diffuse encore aucune image. Revenez après la prochaine publication.",
      apiError: 'Impossible de charger la liste des orthophotographies.',
      capsError: 'Impossible de lire les capacités WMTS du serveur.',
      layerMissing: "La couche WMTS «\u00a0{id}\u00a0» n'est pas annoncée par le serveur.",
      errorDetail: 'Détail\u00a0: {detail}',
      attribution: 'Orthophotographie © {producer} — géocommun PCRS',
      attributionNoProducer: 'Orthophotographie — géocommun PCRS'
    },
    en: {
      pageTitle: 'Géocentre — Orthophoto',
      skip: 'Skip to map settings',
      subtitle: 'Regional orthophoto',
      langGroup: 'Language',
      controlsTitle: 'Map settings',
      layerLabel: 'Layer',
      vintageLabel: 'Vintage',
      latestOption: 'Most recent ({year})',
      latestOptionNoYear: 'Most recent',
      vintageOption: '{year} — {res}',
      fitExtent: 'Zoom to extent',
      infoTitle: 'Displayed layer',
      infoTitleField: 'Title',
      infoWmts: 'WMTS identifier',
      infoVintage: 'Vintage',
      infoResolution: 'Native resolution',
      infoLevel: 'Native level',
      infoProducer: 'Producer',
      infoExtent: 'Extent (Lambert-93)',
      aboutTitle: 'About',
      aboutText1:
        'This viewer shows the shared regional orthophoto, produced and pooled ' +
        'as part of the PCRS “géocommun” (simplified large-scale street base ' +
        'map). Imagery is displayed in Lambert-93 (EPSG:2154).',
      aboutText2:
        'The same imagery is published through standard services, usable ' +
        'directly in QGIS or any other GIS:',
      aboutText3:
        'WMTS layer identifiers: “name” for the most recent vintage, ' +
        '“name-year” for a given vintage. Tile matrix sets: LAMB93_5cm_EPSG ' +
        '(Lambert-93) and WebMercatorQuad.',
      svcWmts: 'WMTS (OGC) — capabilities',
      svcXyz: 'XYZ tiles',
      svcXyzHint: 'For QGIS (“XYZ Tiles”): replace {tms} with WebMercatorQuad, for example:',
      svcTms: 'TMS',
      copy: 'Copy',
      copied: 'Copied',
      copyLabel: 'Copy the address {url}',
      mapTitle: 'Map',
      mapLabel: 'Orthophoto map',
      coordsLabel: 'Lambert-93:',
      viewInfo: 'level {level} · {res}/px',
      loading: 'Loading orthophotos…',
      empty: 'No orthophoto published',
      emptyDetail: 'The server does not publish any imagery yet. Please come back after the next release.',
      apiError: 'Could not load the list of orthophotos.',
      capsError: 'Could not read the server WMTS capabilities.',
      layerMissing: 'WMTS layer “{id}” is not advertised by the server.',
      errorDetail: 'Details: {detail}',
      attribution: 'Orthophoto © {producer} — PCRS géocommun',
      attributionNoProducer: 'Orthophoto — PCRS géocommun'
    }
  };
  var LANGS = ['fr', 'en'];

  function initialLang() {
    var fromUrl = new URLSearchParams(window.location.search).get('lang');
    if (fromUrl && LANGS.indexOf(fromUrl) >= 0) return fromUrl;
    try {
      var stored = window.localStorage.getItem(STORAGE_KEY);
      if (stored && LANGS.indexOf(stored) >= 0) return stored;
    } catch (e) {
      /* stockage indisponible : on garde le français */
    }
    return 'fr';
  }

  var lang = initialLang();

  function t(key, params) {
    var s = (I18N[lang] && I18N[lang][key]) || I18N.fr[key] || key;
    if (params) {
      s = s.replace(/\{(\w+)\}/g, function (m, p) {
        return Object.prototype.hasOwnProperty.call(params, p) ? String(params[p]) : m;
      });
    }
    return s;
  }

  function locale() {
    return lang === 'fr' ? 'fr-FR' : 'en-GB';
  }

  function formatNumber(value, digits) {
    return new Intl.NumberFormat(locale(), {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits
    }).format(value);
  }

  function formatResolution(metres) {
    if (typeof metres !== 'number' || !isFinite(metres)) return '—';
    if (metres >= 1000) return formatNumber(metres / 1000, metres >= 10000 ? 0 : 1) + ' km';
    if (metres >= 1) return formatNumber(metres, metres >= 10 ? 0 : 1).replace(/[,.]0$/, '') + ' m';
    var cm = Math.round(metres * 10000) / 100;
    return formatNumber(cm, Math.round(cm) === cm ? 0 : cm >= 1 ? 1 : 2) + ' cm';
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /* ------------------------------------------------------------------ */
  /* Éléments de la page                                                 */
  /* ------------------------------------------------------------------ */

  var el = {
    message: document.getElementById('message'),
    selectors: document.getElementById('selectors'),
    layerSelect: document.getElementById('layer-select'),
    vintageSelect: document.getElementById('vintage-select'),
    fitBtn: document.getElementById('fit-btn'),
    info: document.getElementById('layer-info'),
    infoList: document.getElementById('layer-info-list'),
    xyzExample: document.getElementById('xyz-example'),
    mousePosition: document.getElementById('mouse-position'),
    viewInfo: document.getElementById('view-info')
  };

  var state = {
    layers: [], // réponse de /api/ortho/layers
    capabilities: null, // capacités WMTS analysées
    layerName: null,
    vintage: LATEST, // LATEST ou une année (nombre)
    message: null // { key, params, detailKey?, detail?, kind }
  };

  /* ------------------------------------------------------------------ */
  /* Projection Lambert-93 et carte                                      */
  /* ------------------------------------------------------------------ */

  proj4.defs(L93_CODE, L93_DEF);
  ol.proj.proj4.register(proj4);
  var l93 = ol.proj.get(L93_CODE);
  l93.setExtent(L93_EXTENT);
  l93.setWorldExtent(L93_WORLD_EXTENT);

  var viewResolutions = [];
  for (var lvl = MIN_VIEW_LEVEL; lvl <= MAX_VIEW_LEVEL; lvl++) {
    viewResolutions.push(LEVEL0_RESOLUTION / Math.pow(2, lvl));
  }

  function levelForResolution(res) {
    return Math.log(LEVEL0_RESOLUTION / res) / Math.LN2;
  }

  var mousePositionControl = new ol.control.MousePosition({
    projection: L93_CODE,
    coordinateFormat: formatL93,
    className: 'gc-mouse-position',
    target: el.mousePosition,
    placeholder: '\u2014'
  });

  function formatL93(c) {
    if (!c) return '';
    return 'X ' + formatNumber(c[0], 2) + ' m · Y ' + formatNumber(c[1], 2) + ' m';
  }

  var view = new ol.View({
    projection: L93_CODE,
    resolutions: viewResolutions,
    // Par défaut : la France métropolitaine en attendant les données.
    center: ol.extent.getCenter(L93_EXTENT),
    resolution: viewResolutions[2],
    constrainOnlyCenter: true,
    extent: L93_EXTENT
  });

  // Dans le build UMD d'OpenLayers 10, `ol.control.defaults` est un espace de
  // noms contenant la fonction `defaults` (idem pour les interactions).
  function olDefaults(ns) {
    return typeof ns === 'function' ? ns : ns.defaults;
  }

  var map = new ol.Map({
    target: 'map',
    view: view,
    controls: olDefaults(ol.control.defaults)({
      rotate: false,
      attributionOptions: { collapsible: true }
    }).extend([
      new ol.control.ScaleLine({ units: 'metric' }),
      new ol.control.FullScreen(),
      mousePositionControl
    ]),
    interactions: olDefaults(ol.interaction.defaults)({
      altShiftDragRotate: false,
      pinchRotate: false
    })
  });
  view.fit(L93_EXTENT, { size: map.getSize() || [800, 600] });

  var orthoLayer = null; // couche de tuiles affichée

  // Accès pour le débogage depuis la console du navigateur.
  window.geocentreViewer = { map: map, view: view };

  function updateViewInfo() {
    var res = view.getResolution();
    if (!res) return;
    var level = levelForResolution(res);
    el.viewInfo.textContent = t('viewInfo', {
      level: formatNumber(level, Math.abs(level - Math.round(level)) < 0.01 ? 0 : 1),
      res: formatResolution(res)
    });
  }
  view.on('change:resolution', updateViewInfo);
  updateViewInfo();

  /* ------------------------------------------------------------------ */
  /* Données : couches et millésimes                                     */
  /* ------------------------------------------------------------------ */

  function currentLayer() {
    for (var i = 0; i < state.layers.length; i++) {
      if (state.layers[i].name === state.layerName) return state.layers[i];
    }
    return null;
  }

  function sortedVintages(layer) {
    return (layer.vintages || []).slice().sort(function (a, b) {
      return b.vintage - a.vintage;
    });
  }

  function latestVintage(layer) {
    var vs = sortedVintages(layer);
    for (var i = 0; i < vs.length; i++) {
      if (vs[i].vintage === layer.latest) return vs[i];
    }
    return vs[0] || null;
  }

  /** Millésime effectivement affiché (objet « vintage » de l'API). */
  function currentVintage() {
    var layer = currentLayer();
    if (!layer) return null;
    if (state.vintage === LATEST) return latestVintage(layer);
    var vs = layer.vintages || [];
    for (var i = 0; i < vs.length; i++) {
      if (vs[i].vintage === state.vintage) return vs[i];
    }
    return latestVintage(layer);
  }

  /** Identifiant WMTS : `{name}` (le plus récent) ou `{name}-{année}`. */
  function currentWmtsId() {
    var layer = currentLayer();
    if (!layer) return null;
    if (state.vintage === LATEST) return layer.wmts_layer || layer.name;
    var v = currentVintage();
    return (v && v.wmts_layer) || layer.name + '-' + state.vintage;
  }

  function vintageExtentL93(v) {
    if (!v) return null;
    if (Array.isArray(v.bbox_l93) && v.bbox_l93.length === 4) return v.bbox_l93;
    if (Array.isArray(v.bbox_wgs84) && v.bbox_wgs84.length === 4) {
      return ol.proj.transformExtent(v.bbox_wgs84, 'EPSG:4326', L93_CODE);
    }
    return null;
  }

  /* ------------------------------------------------------------------ */
  /* Rendu de l'interface                                                */
  /* ------------------------------------------------------------------ */

  function renderSelectors() {
    var layers = state.layers;
    el.selectors.hidden = layers.length === 0;
    if (!layers.length) return;

    el.layerSelect.textContent = '';
    layers.forEach(function (layer) {
      var opt = document.createElement('option');
      opt.value = layer.name;
      opt.textContent = layer.title || layer.name;
      opt.selected = layer.name === state.layerName;
      el.layerSelect.appendChild(opt);
    });
    el.layerSelect.disabled = layers.length < 2;

    var layer = currentLayer();
    el.vintageSelect.textContent = '';
    if (!layer) return;
    var latest = latestVintage(layer);
    var optLatest = document.createElement('option');
    optLatest.value = LATEST;
    optLatest.textContent = latest
      ? t('latestOption', { year: latest.vintage })
      : t('latestOptionNoYear');
    el.vintageSelect.appendChild(optLatest);
    sortedVintages(layer).forEach(function (v) {
      var opt = document.createElement('option');
      opt.value = String(v.vintage);
      opt.textContent = t('vintageOption', {
        year: v.vintage,
        res: formatResolution(v.resolution_m)
      });
      el.vintageSelect.appendChild(opt);
    });
    el.vintageSelect.value = state.vintage === LATEST ? LATEST : String(state.vintage);
    el.vintageSelect.disabled = !(layer.vintages && layer.vintages.length);
  }

  function addInfoRow(label, value) {
    var dt = document.createElement('dt');
    dt.textContent = label;
    var dd = document.createElement('dd');
    dd.textContent = value;
    el.infoList.appendChild(dt);
    el.infoList.appendChild(dd);
  }

  function renderInfo() {
    var layer = currentLayer();
    var v = currentVintage();
    el.info.hidden = !layer;
    el.infoList.textContent = '';
    if (!layer) return;
    addInfoRow(t('infoTitleField'), layer.title || layer.name);
    addInfoRow(t('infoWmts'), currentWmtsId());
    if (v) {
      addInfoRow(t('infoVintage'), String(v.vintage));
      addInfoRow(t('infoResolution'), formatResolution(v.resolution_m));
      if (typeof v.native_level === 'number') addInfoRow(t('infoLevel'), String(v.native_level));
      if (v.producer) addInfoRow(t('infoProducer'), v.producer);
      var ext = vintageExtentL93(v);
      if (ext) {
        // Le français utilise la virgule décimale : séparateur « ; ».
        var sep = lang === 'fr' ? '\u00a0; ' : ', ';
        addInfoRow(
          t('infoExtent'),
          formatNumber(ext[0], 0) + sep + formatNumber(ext[1], 0) + ' — ' +
            formatNumber(ext[2], 0) + sep + formatNumber(ext[3], 0)
        );
      }
    }
  }

  function renderServiceUrls() {
    var origin = window.location.origin;
    var id = currentWmtsId() || 'ortho';
    if (el.xyzExample) {
      el.xyzExample.setAttribute('data-url', '/tiles/' + id + '/WebMercatorQuad/{z}/{x}/{y}.jpg');
    }
    document.querySelectorAll('code.url[data-url]').forEach(function (code) {
      code.textContent = origin + code.getAttribute('data-url');
      var btn = code.nextElementSibling;
      if (!btn || !btn.classList.contains('copy-btn')) {
        btn = document.createElement('button');
        btn.type = 'button';
        btn.className = 'copy-btn';
        btn.addEventListener('click', function () {
          copyText(code.textContent, btn);
        });
        code.parentNode.insertBefore(btn, code.nextSibling);
      }
      btn.textContent = t('copy');
      btn.setAttribute('aria-label', t('copyLabel', { url: code.textContent }));
    });
  }

  function copyText(text, btn) {
    function done() {
      btn.textContent = t('copied');
      window.setTimeout(function () {
        btn.textContent = t('copy');
      }, 1500);
    }
    function fallback() {
      // Contexte non sécurisé (http) : on sélectionne le texte à copier.
      var code = btn.previousElementSibling;
      var range = document.createRange();
      range.selectNodeContents(code);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try {
        if (document.execCommand('copy')) done();
      } catch (e) {
        /* l'utilisateur copiera lui-même la sélection */
      }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function showMessage(msg) {
    state.message = msg;
    renderMessage();
  }

  function renderMessage() {
    var msg = state.message;
    el.message.hidden = !msg;
    el.message.textContent = '';
    el.message.className = 'message' + (msg && msg.kind ? ' message-' + msg.kind : '');
    if (!msg) return;
    var strong = document.createElement('p');
    strong.className = 'message-title';
    strong.textContent = t(msg.key, msg.params);
    el.message.appendChild(strong);
    if (msg.detailKey || msg.detail) {
      var p = document.createElement('p');
      p.className = 'message-detail';
      p.textContent = msg.detailKey ? t(msg.detailKey) : t('errorDetail', { detail: msg.detail });
      el.message.appendChild(p);
    }
  }

  function applyI18n() {
    document.documentElement.lang = lang;
    document.title = t('pageTitle');
    document.querySelectorAll('[data-i18n]').forEach(function (node) {
      node.textContent = t(node.getAttribute('data-i18n'));
    });
    document.querySelectorAll('[data-i18n-aria-label]').forEach(function (node) {
      node.setAttribute('aria-label', t(node.getAttribute('data-i18n-aria-label')));
    });
    document.querySelectorAll('.lang-btn').forEach(function (btn) {
      btn.setAttribute('aria-pressed', btn.getAttribute('data-lang') === lang ? 'true' : 'false');
    });
    renderSelectors();
    renderInfo();
    renderServiceUrls();
    renderMessage();
    updateViewInfo();
    // Le format des coordonnées et l'attribution dépendent de la langue.
    mousePositionControl.setCoordinateFormat(formatL93);
    if (orthoLayer && orthoLayer.getSource()) orthoLayer.getSource().changed();
    map.render();
  }

  function setLang(newLang) {
    if (LANGS.indexOf(newLang) < 0 || newLang === lang) return;
    lang = newLang;
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch (e) {
      /* ignoré */
    }
    applyI18n();
  }

  document.querySelectorAll('.lang-btn').forEach(function (btn) {
    btn.addEventListener('click', function () {
      setLang(btn.getAttribute('data-lang'));
    });
  });

  /* ------------------------------------------------------------------ */
  /* Source WMTS                                                         */
  /* ------------------------------------------------------------------ */

  function wmtsOptions(id) {
    var caps = state.capabilities;
    // PNG : les bords de couverture sont transparents (les tuiles JPEG
    // stockées y sont noires) ; le serveur décode et réencode à la volée.
    var base = { layer: id, matrixSet: MATRIX_SET, projection: L93_CODE, format: 'image/png' };
    // Préférence pour les tuiles REST ; repli sur KVP si le serveur n'annonce
    // pas de ResourceURL.
    var opts = ol.source.WMTS.optionsFromCapabilities(
      caps,
      Object.assign({ requestEncoding: 'REST' }, base)
    );
    if (opts && (!opts.urls || !opts.urls.length)) {
      opts = ol.source.WMTS.optionsFromCapabilities(caps, base);
    }
    if (!opts || !opts.urls || !opts.urls.length) return null;
    // OpenLayers garde tous les gabarits REST de la couche, quel que soit
    // leur format, et les alterne : ne garder que ceux du format choisi.
    if (opts.requestEncoding === 'REST') {
      var png = opts.urls.filter(function (u) { return /\.png$/i.test(u); });
      if (png.length) opts.urls = png;
    }
    return opts;
  }

  function attributionFor(v) {
    return function () {
      return v && v.producer
        ? t('attribution', { producer: escapeHtml(v.producer) })
        : t('attributionNoProducer');
    };
  }

  /** Affiche la couche WMTS correspondant aux sélecteurs. */
  function showSelectedLayer(fit) {
    var id = currentWmtsId();
    var v = currentVintage();
    if (!id || !state.capabilities) return;
    var opts = wmtsOptions(id);
    if (!opts) {
      showMessage({ key: 'layerMissing', params: { id: id }, kind: 'error' });
      return;
    }
    if (state.message && state.message.key === 'layerMissing') showMessage(null);

    var source = new ol.source.WMTS(
      Object.assign(opts, { attributions: attributionFor(v), wrapX: false })
    );
    // Une seule couche : on remplace sa source. Pas de superposition de deux
    // millésimes pendant le chargement, pour ne jamais mélanger les dates.
    if (!orthoLayer) {
      orthoLayer = new ol.layer.Tile({ source: source, className: 'ortho-layer' });
      map.addLayer(orthoLayer);
    } else {
      orthoLayer.setSource(source);
    }

    var ext = vintageExtentL93(v);
    if (ext) {
      var centre = view.getCenter();
      var outside = !centre || !ol.extent.containsCoordinate(ext, centre);
      if (fit || outside) fitTo(ext);
    }
    renderInfo();
    renderServiceUrls();
    writeHash();
  }

  function fitTo(ext) {
    view.fit(ext, { padding: [24, 24, 24, 24], duration: 0, nearest: false });
  }

  /* ------------------------------------------------------------------ */
  /* État dans l'adresse (#layer=ortho&vintage=2024&x=…&y=…&z=…)          */
  /* ------------------------------------------------------------------ */

  function readHash() {
    var p = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    var out = { layer: p.get('layer'), vintage: p.get('vintage') };
    var x = parseFloat(p.get('x'));
    var y = parseFloat(p.get('y'));
    var z = parseFloat(p.get('z'));
    if (isFinite(x) && isFinite(y) && isFinite(z)) out.view = { x: x, y: y, z: z };
    return out;
  }

  var hashTimer = null;
  function writeHash() {
    if (hashTimer) window.clearTimeout(hashTimer);
    hashTimer = window.setTimeout(function () {
      if (!state.layerName) return;
      var c = view.getCenter();
      var res = view.getResolution();
      var p = new URLSearchParams();
      p.set('layer', state.layerName);
      p.set('vintage', state.vintage === LATEST ? LATEST : String(state.vintage));
      if (c && res) {
        p.set('x', c[0].toFixed(2));
        p.set('y', c[1].toFixed(2));
        p.set('z', levelForResolution(res).toFixed(2));
      }
      window.history.replaceState(null, '', '#' + p.toString());
    }, 300);
  }
  map.on('moveend', writeHash);

  /* ------------------------------------------------------------------ */
  /* Événements des sélecteurs                                           */
  /* ------------------------------------------------------------------ */

  el.layerSelect.addEventListener('change', function () {
    state.layerName = el.layerSelect.value;
    state.vintage = LATEST;
    renderSelectors();
    showSelectedLayer(true);
  });

  el.vintageSelect.addEventListener('change', function () {
    var val = el.vintageSelect.value;
    state.vintage = val === LATEST ? LATEST : parseInt(val, 10);
    showSelectedLayer(false);
  });

  el.fitBtn.addEventListener('click', function () {
    var ext = vintageExtentL93(currentVintage());
    if (ext) fitTo(ext);
  });

  /* ------------------------------------------------------------------ */
  /* Chargement initial                                                  */
  /* ------------------------------------------------------------------ */

  function fetchChecked(url, kind) {
    return fetch(url, { headers: { Accept: kind === 'json' ? 'application/json' : 'application/xml' } })
      .then(function (resp) {
        if (!resp.ok) throw new Error('HTTP ' + resp.status + ' — ' + url);
        return kind === 'json' ? resp.json() : resp.text();
      });
  }

  function start() {
    applyI18n();
    showMessage({ key: 'loading', kind: 'info' });

    var hash = readHash();
    var layersP = fetchChecked(API_LAYERS_URL, 'json');
    var capsP = fetchChecked(CAPABILITIES_URL, 'xml');

    layersP
      .then(
        function (data) {
          state.layers = ((data && data.layers) || []).filter(function (l) {
            return l && l.name;
          });
          if (!state.layers.length) {
            showMessage({ key: 'empty', detailKey: 'emptyDetail', kind: 'empty' });
            renderSelectors();
            renderInfo();
            return null;
          }
          var chosen = state.layers[0];
          state.layers.forEach(function (l) {
            if (l.name === hash.layer) chosen = l;
          });
          state.layerName = chosen.name;
          state.vintage = LATEST;
          if (hash.layer === chosen.name && hash.vintage && hash.vintage !== LATEST) {
            var year = parseInt(hash.vintage, 10);
            (chosen.vintages || []).forEach(function (v) {
              if (v.vintage === year) state.vintage = year;
            });
          }
          renderSelectors();
          renderInfo();
          renderServiceUrls();
          return capsP.then(
            function (xml) {
              state.capabilities = new ol.format.WMTSCapabilities().read(xml);
              if (!state.capabilities || !state.capabilities.Contents) {
                throw new Error('Contents');
              }
              showMessage(null);
              var restoredView = hash.view && hash.layer === chosen.name;
              if (restoredView) {
                view.setCenter([hash.view.x, hash.view.y]);
                view.setResolution(LEVEL0_RESOLUTION / Math.pow(2, hash.view.z));
              }
              showSelectedLayer(!restoredView);
            },
            function (err) {
              throw { caps: true, err: err };
            }
          );
        },
        function (err) {
          showMessage({ key: 'apiError', detail: err && err.message, kind: 'error' });
          return null;
        }
      )
      .catch(function (e) {
        var err = e && e.err ? e.err : e;
        showMessage({ key: 'capsError', detail: err && err.message, kind: 'error' });
        if (window.console) console.error(err);
      });
    // Évite un rejet non géré si l'API échoue avant les capacités.
    capsP.catch(function () {});
  }

  start();
})();
