/*
 * Géocentre — visionneuse de l'orthophotographie (page servie à « / »).
 *
 * JavaScript simple, sans étape de construction. Dépend uniquement des
 * fichiers embarqués dans /assets/vendor/ : proj4.js (global `proj4`) et
 * ol.js (build UMD complet d'OpenLayers, global `ol`).
 *
 * Contrat serveur utilisé :
 *   GET /api/ortho/layers                          → liste des couches et millésimes (JSON)
 *   GET /api/indicators/coverage                   → part du territoire couverte (JSON ;
 *                                                    503 problem+json sans territoire)
 *   GET /wmts?SERVICE=WMTS&REQUEST=GetCapabilities → capacités WMTS 1.0.0
 *   tuiles REST annoncées dans les capacités (grille LAMB93_5cm_EPSG ; les
 *   couches composites ont une dimension Time, « current » = mosaïque)
 *   GET /wms?REQUEST=GetMap&LAYERS={id}-dalles     → index des dalles (PNG transparent)
 *   GET /wms?REQUEST=GetFeatureInfo&LAYERS={id}    → dalle source d'un pixel (JSON)
 */
(function () {
  'use strict';

  /* ------------------------------------------------------------------ */
  /* Configuration                                                       */
  /* ------------------------------------------------------------------ */

  var API_LAYERS_URL = '/api/ortho/layers';
  var API_COVERAGE_URL = '/api/indicators/coverage';
  var API_VECTOR_URL = '/api/vector/datasets';
  var WMS_URL = '/wms';
  var DALLES_SUFFIX = '-dalles'; // couche WMS de l'index des dalles de {id}
  // Taille de la petite image « virtuelle » d'un GetFeatureInfo : le pixel
  // central (I = J = 50) tombe exactement sur le point cliqué.
  var GFI_SIZE = 101;
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
  // Valeur du sélecteur de millésime qui désigne la couche WMTS « nue »
  // ({name}) : la mosaïque de tous les millésimes pour une couche composite,
  // le millésime le plus récent sinon. Les autres valeurs sont des années.
  var BARE = 'latest';
  var MOSAIC_TIME = 'current'; // valeur de la dimension WMTS Time de la mosaïque

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
      mosaicOption: 'Mosaïque (tous millésimes)',
      vintageOption: '{year} — {res}',
      fitExtent: "Recentrer sur l'emprise",
      dallesToggle: 'Index des dalles',
      dallesError: "Impossible d'afficher l'index des dalles.",
      vectorTitle: 'Données vecteur',
      vectorError: "Impossible d'afficher « {name} ».",
      fullscreen: 'Plein écran',
      clickHint: 'Cliquer sur la carte (ou Entrée au clavier) pour identifier la dalle source.',
      infoTitle: 'Couche affichée',
      infoTitleField: 'Titre',
      infoWmts: 'Identifiant WMTS',
      infoVintage: 'Millésime',
      infoVintages: 'Millésimes (dessus → dessous)',
      infoResolution: 'Résolution native',
      infoLevel: 'Niveau natif',
      infoProducer: 'Producteur',
      infoExtent: 'Emprise (Lambert-93)',
      linkDalles: "Télécharger l'index des dalles (GeoJSON)",
      linkMetadata: 'Fiche de métadonnées (XML)',
      coverageTitle: 'Couverture du territoire',
      coverageRegion: '{name} · {area}',
      coverageLoading: 'Calcul de la couverture…',
      coverageAll: 'Tous millésimes',
      coverageCaption: 'Couverture par millésime — {title}',
      coverageColVintage: 'Millésime',
      coverageColArea: 'Surface',
      coverageColShare: 'Part',
      coverageColDalles: 'Dalles',
      coverageNoLayer: 'Aucune couche publiée.',
      coverageUnavailable: 'Indicateur de couverture indisponible.',
      coverageNoTerritory:
        "Indicateur indisponible\u00a0: le territoire de référence n'est pas configuré ou pas lisible.",
      layersOne: '{n} couche publiée',
      layersOther: '{n} couches publiées',
      vintagesOne: '{n} millésime',
      vintagesOther: '{n} millésimes',
      featureTitle: 'Dalle source',
      featureLayer: 'Couche interrogée\u00a0: {id}',
      featureLoading: 'Interrogation du serveur…',
      featureNone: 'Aucune dalle à cet endroit.',
      featureError: "Impossible d'interroger la couche.",
      fDalle: 'Dalle',
      fVintage: 'Millésime',
      fAcquired: 'Date de prise de vue',
      fProducer: 'Producteur',
      fResolution: 'Résolution (m)',
      fSource: 'Fichier source',
      notProvided: 'non renseigné',
      close: 'Fermer',
      aboutTitle: 'À propos',
      aboutText1:
        "Cette visionneuse présente l'orthophotographie régionale partagée, " +
        'produite et mutualisée dans le cadre du géocommun PCRS (Plan de Corps ' +
        'de Rue Simplifié). Les images sont affichées en Lambert-93 (EPSG:2154).',
      aboutText2:
        'Les mêmes images sont diffusées par des services standard, utilisables ' +
        'directement dans QGIS ou tout autre SIG\u00a0:',
      aboutText3:
        'Identifiants des couches WMTS\u00a0: «\u00a0nom\u00a0» pour la mosaïque de tous les ' +
        'millésimes (le plus récent devant ; le millésime le plus récent pour une couche ' +
        'non composite), «\u00a0nom-année\u00a0» pour un millésime donné. Grilles de ' +
        'tuilage\u00a0: LAMB93_5cm_EPSG (Lambert-93) et WebMercatorQuad.',
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
      mosaicOption: 'Mosaic (all vintages)',
      vintageOption: '{year} — {res}',
      fitExtent: 'Zoom to extent',
      dallesToggle: 'Source tile index',
      vectorTitle: 'Vector data',
      vectorError: 'Cannot display “{name}”.',
      fullscreen: 'Full screen',
      dallesError: 'Could not display the source tile index.',
      clickHint: 'Click the map (or press Enter) to identify the source tile.',
      infoTitle: 'Displayed layer',
      infoTitleField: 'Title',
      infoWmts: 'WMTS identifier',
      infoVintage: 'Vintage',
      infoVintages: 'Vintages (top → bottom)',
      infoResolution: 'Native resolution',
      infoLevel: 'Native level',
      infoProducer: 'Producer',
      infoExtent: 'Extent (Lambert-93)',
      linkDalles: 'Download the source tile index (GeoJSON)',
      linkMetadata: 'Metadata record (XML)',
      coverageTitle: 'Territory coverage',
      coverageRegion: '{name} · {area}',
      coverageLoading: 'Computing coverage…',
      coverageAll: 'All vintages',
      coverageCaption: 'Coverage per vintage — {title}',
      coverageColVintage: 'Vintage',
      coverageColArea: 'Area',
      coverageColShare: 'Share',
      coverageColDalles: 'Tiles',
      coverageNoLayer: 'No layer published.',
      coverageUnavailable: 'Coverage indicator unavailable.',
      coverageNoTerritory:
        'Indicator unavailable: the reference territory is not configured or cannot be read.',
      layersOne: '{n} published layer',
      layersOther: '{n} published layers',
      vintagesOne: '{n} vintage',
      vintagesOther: '{n} vintages',
      featureTitle: 'Source tile',
      featureLayer: 'Queried layer: {id}',
      featureLoading: 'Querying the server…',
      featureNone: 'No source tile here.',
      featureError: 'Could not query the layer.',
      fDalle: 'Tile (dalle)',
      fVintage: 'Vintage',
      fAcquired: 'Acquisition date',
      fProducer: 'Producer',
      fResolution: 'Resolution (m)',
      fSource: 'Source file',
      notProvided: 'not provided',
      close: 'Close',
      aboutTitle: 'About',
      aboutText1:
        'This viewer shows the shared regional orthophoto, produced and pooled ' +
        'as part of the PCRS “géocommun” (simplified large-scale street base ' +
        'map). Imagery is displayed in Lambert-93 (EPSG:2154).',
      aboutText2:
        'The same imagery is published through standard services, usable ' +
        'directly in QGIS or any other GIS:',
      aboutText3:
        'WMTS layer identifiers: “name” for the mosaic of all vintages (most ' +
        'recent on top; the most recent vintage for a non-composite layer), ' +
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

  /** Surface en km² : assez de chiffres pour qu'une petite couverture ne s'affiche pas « 0 ». */
  function formatArea(km2) {
    if (typeof km2 !== 'number' || !isFinite(km2)) return '—';
    var opts = km2 === 0 || km2 >= 100
      ? { maximumFractionDigits: 0 }
      : km2 >= 1
        ? { maximumFractionDigits: 2 }
        : { maximumSignificantDigits: 3 };
    return new Intl.NumberFormat(locale(), opts).format(km2) + '\u00a0km²';
  }

  /**
   * Part du territoire, donnée en pourcentage par l'API (arrondie à 10⁻⁴ %).
   * Les petites parts gardent deux chiffres significatifs (0,0065 %) ; une
   * part non nulle arrondie à 0 par le serveur s'affiche « < 0,0001 % ».
   */
  function formatShare(percent, km2) {
    if (typeof percent !== 'number' || !isFinite(percent)) return '—';
    var fmt = function (p, opts) {
      return new Intl.NumberFormat(locale(), Object.assign({ style: 'percent' }, opts)).format(p / 100);
    };
    if (percent === 0 && km2 > 0) return '< ' + fmt(0.0001, { maximumSignificantDigits: 1 });
    if (percent === 0 || percent >= 1) return fmt(percent, { maximumFractionDigits: 2 });
    return fmt(percent, { maximumSignificantDigits: 2 });
  }

  /** « 1 couche publiée » / « 2 couches publiées » selon les règles de la langue. */
  function plural(n, oneKey, otherKey) {
    var rule = new Intl.PluralRules(locale()).select(n);
    return t(rule === 'one' ? oneKey : otherKey, { n: formatNumber(n, 0) });
  }

  /** Date ISO « AAAA-MM-JJ » en toutes lettres ; sinon le texte tel quel. */
  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso;
    // Minuit UTC affiché en UTC : pas de décalage d'un jour selon le fuseau.
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeZone: 'UTC' }).format(d);
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
    infoLinks: document.getElementById('layer-links'),
    dallesToggle: document.getElementById('dalles-toggle'),
    vectorSection: document.getElementById('vector-section'),
    vectorList: document.getElementById('vector-list'),
    coverage: document.getElementById('coverage'),
    coverageRegion: document.getElementById('coverage-region'),
    coverageBody: document.getElementById('coverage-body'),
    publishedCount: document.getElementById('published-count'),
    featureInfo: document.getElementById('feature-info'),
    featureBody: document.getElementById('feature-info-body'),
    featureClose: document.getElementById('feature-info-close'),
    mapWrap: document.querySelector('.map-wrap'),
    xyzExample: document.getElementById('xyz-example'),
    mousePosition: document.getElementById('mouse-position'),
    viewInfo: document.getElementById('view-info')
  };

  var state = {
    layers: [], // réponse de /api/ortho/layers
    capabilities: null, // capacités WMTS analysées
    layerName: null,
    vintage: BARE, // BARE ou une année (nombre)
    layersLoaded: false, // /api/ortho/layers a répondu
    showDalles: false, // index des dalles superposé
    vectors: [], // réponse de /api/vector/datasets
    vectorOn: {}, // jeux vecteur affichés, par nom
    coverage: null, // { data } ou { error: { status } } une fois connu
    query: null, // dernier clic : { coordinate, id, status, features }
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
    // Niveaux entiers de la grille seulement : les tuiles s'affichent à
    // leur taille, jamais rééchantillonnées par le navigateur.
    constrainResolution: true,
    constrainOnlyCenter: true,
    extent: L93_EXTENT
  });

  // Dans le build UMD d'OpenLayers 10, `ol.control.defaults` est un espace de
  // noms contenant la fonction `defaults` (idem pour les interactions).
  function olDefaults(ns) {
    return typeof ns === 'function' ? ns : ns.defaults;
  }

  /**
   * Icône du bouton plein écran, dessinée en SVG : le caractère par défaut
   * d'OpenLayers (U+2922) manque dans bien des polices et s'affichait comme
   * une case vide.
   */
  function fullscreenIcon(active) {
    // Parsed as HTML: the SVG namespace comes with the <svg> element.
    var span = document.createElement('span');
    span.className = 'gc-icon';
    span.setAttribute('aria-hidden', 'true');
    span.innerHTML =
      '<svg viewBox="0 0 16 16" width="14" height="14"><path fill="none" stroke="currentColor" ' +
      'stroke-width="2" d="' +
      (active ? 'M6 1v5H1M10 1v5h5M6 15v-5H1M10 15v-5h5' : 'M1 6V1h5M15 6V1h-5M1 10v5h5M15 10v5h-5') +
      '"/></svg>';
    return span;
  }

  var map = new ol.Map({
    target: 'map',
    view: view,
    controls: olDefaults(ol.control.defaults)({
      rotate: false,
      attributionOptions: { collapsible: true }
    }).extend([
      new ol.control.ScaleLine({ units: 'metric' }),
      // Plein écran de toute la zone carte : la fiche de la dalle, les
      // messages et la barre d'état restent visibles.
      new ol.control.FullScreen({
        source: el.mapWrap,
        label: fullscreenIcon(false),
        labelActive: fullscreenIcon(true),
        tipLabel: t('fullscreen')
      }),
      mousePositionControl
    ]),
    interactions: olDefaults(ol.interaction.defaults)({
      altShiftDragRotate: false,
      pinchRotate: false
    })
  });
  view.fit(L93_EXTENT, { size: map.getSize() || [800, 600] });

  var orthoLayer = null; // couche de tuiles affichée (zIndex 0)

  // Index des dalles : image WMS transparente au-dessus de l'orthophoto.
  var dallesLayer = new ol.layer.Image({ zIndex: 1, visible: false, className: 'dalles-layer' });
  map.addLayer(dallesLayer);

  // Point cliqué et contour de la dalle interrogée, au-dessus de tout.
  var highlightSource = new ol.source.Vector();
  map.addLayer(new ol.layer.Vector({
    source: highlightSource,
    zIndex: 2,
    style: new ol.style.Style({
      // Cyan : distinct de l'index des dalles (rouge) et des contours de
      // communes de la démo (or).
      stroke: new ol.style.Stroke({ color: '#00b8d9', width: 3 }),
      fill: new ol.style.Fill({ color: 'rgba(0, 184, 217, 0.12)' }),
      image: new ol.style.Circle({
        radius: 6,
        fill: new ol.style.Fill({ color: '#00b8d9' }),
        stroke: new ol.style.Stroke({ color: '#1d2430', width: 2 })
      })
    })
  }));

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

  /** Couche composite : son identifiant nu est la mosaïque de ses millésimes. */
  function isComposite(layer) {
    return !!(layer && layer.composite === true);
  }

  function showingMosaic() {
    return state.vintage === BARE && isComposite(currentLayer());
  }

  /**
   * Millésime effectivement affiché (objet « vintage » de l'API) ; null pour
   * la mosaïque, qui en montre plusieurs (voir displayedVintages).
   */
  function currentVintage() {
    var layer = currentLayer();
    if (!layer || showingMosaic()) return null;
    if (state.vintage === BARE) return latestVintage(layer);
    var vs = layer.vintages || [];
    for (var i = 0; i < vs.length; i++) {
      if (vs[i].vintage === state.vintage) return vs[i];
    }
    return latestVintage(layer);
  }

  /**
   * Millésimes d'une mosaïque, celui du dessus d'abord. `painting_order` va
   * du dessous vers le dessus ; à défaut, le plus récent est devant.
   */
  function mosaicOrder(layer) {
    var byYear = {};
    (layer.vintages || []).forEach(function (v) {
      byYear[v.vintage] = v;
    });
    var order = Array.isArray(layer.painting_order) ? layer.painting_order.slice().reverse() : [];
    var out = order.map(function (y) { return byYear[y]; }).filter(Boolean);
    return out.length === (layer.vintages || []).length ? out : sortedVintages(layer);
  }

  /** Millésimes visibles sur la carte : tous pour la mosaïque, un seul sinon. */
  function displayedVintages() {
    var layer = currentLayer();
    if (!layer) return [];
    if (showingMosaic()) return mosaicOrder(layer);
    var v = currentVintage();
    return v ? [v] : [];
  }

  /** Identifiant WMTS : `{name}` (mosaïque ou le plus récent) ou `{name}-{année}`. */
  function currentWmtsId() {
    var layer = currentLayer();
    if (!layer) return null;
    if (state.vintage === BARE) return layer.wmts_layer || layer.name;
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

  /** Emprise de ce qui est affiché : l'union des millésimes de la mosaïque. */
  function displayedExtent() {
    var ext = null;
    displayedVintages().forEach(function (v) {
      var e = vintageExtentL93(v);
      if (e) ext = ext ? ol.extent.extend(ext.slice(), e) : e.slice();
    });
    return ext;
  }

  /**
   * Téléchargements de la couche affichée. L'API les donne au niveau de la
   * couche (identifiant nu) et de chaque millésime ; on reconstruit l'adresse
   * documentée si un serveur plus ancien ne les fournit pas.
   */
  function downloadLinks() {
    var layer = currentLayer();
    var id = currentWmtsId();
    if (!layer || !id) return null;
    var src = state.vintage === BARE ? layer : currentVintage() || {};
    var base = API_LAYERS_URL + '/' + encodeURIComponent(id);
    return {
      dalles: src.dalles_geojson || base + '/dalles.geojson',
      metadata: src.metadata || base + '/metadata.xml'
    };
  }

  /** Valeurs distinctes, dans l'ordre, jointes pour une ligne d'information. */
  function distinct(values) {
    var seen = [];
    values.forEach(function (x) {
      if (x !== null && x !== undefined && x !== '' && seen.indexOf(x) < 0) seen.push(x);
    });
    return seen.join(' · ');
  }

  /* ------------------------------------------------------------------ */
  /* Rendu de l'interface                                                */
  /* ------------------------------------------------------------------ */

  function addOption(select, value, text) {
    var opt = document.createElement('option');
    opt.value = value;
    opt.textContent = text;
    select.appendChild(opt);
  }

  function renderSelectors() {
    var layers = state.layers;
    el.selectors.hidden = layers.length === 0;
    if (!layers.length) return;

    el.layerSelect.textContent = '';
    layers.forEach(function (layer) {
      addOption(el.layerSelect, layer.name, layer.title || layer.name);
    });
    el.layerSelect.value = state.layerName;
    el.layerSelect.disabled = layers.length < 2;

    var layer = currentLayer();
    el.vintageSelect.textContent = '';
    if (!layer) return;
    // Première entrée : l'identifiant nu. Pour une couche composite, c'est la
    // mosaïque (dimension Time « current »), pas le seul millésime récent.
    var latest = latestVintage(layer);
    var bareLabel = isComposite(layer)
      ? t('mosaicOption')
      : latest ? t('latestOption', { year: latest.vintage }) : t('latestOptionNoYear');
    addOption(el.vintageSelect, BARE, bareLabel);
    sortedVintages(layer).forEach(function (v) {
      addOption(el.vintageSelect, String(v.vintage), t('vintageOption', {
        year: v.vintage,
        res: formatResolution(v.resolution_m)
      }));
    });
    el.vintageSelect.value = state.vintage === BARE ? BARE : String(state.vintage);
    el.vintageSelect.disabled = !(layer.vintages && layer.vintages.length);
    el.dallesToggle.checked = state.showDalles;
  }

  function addInfoRow(label, value) {
    if (!value) return;
    var dt = document.createElement('dt');
    dt.textContent = label;
    var dd = document.createElement('dd');
    dd.textContent = value;
    el.infoList.appendChild(dt);
    el.infoList.appendChild(dd);
  }

  function formatExtent(ext) {
    // Le français utilise la virgule décimale : séparateur « ; ».
    var sep = lang === 'fr' ? '\u00a0; ' : ', ';
    return formatNumber(ext[0], 0) + sep + formatNumber(ext[1], 0) + ' — ' +
      formatNumber(ext[2], 0) + sep + formatNumber(ext[3], 0);
  }

  function renderInfo() {
    var layer = currentLayer();
    var vs = displayedVintages();
    el.info.hidden = !layer;
    el.infoList.textContent = '';
    el.infoLinks.textContent = '';
    if (!layer) return;
    addInfoRow(t('infoTitleField'), layer.title || layer.name);
    addInfoRow(t('infoWmts'), currentWmtsId());
    // Mosaïque : une ligne par propriété, valeurs distinctes des millésimes.
    var pick = function (f) { return distinct(vs.map(f)); };
    addInfoRow(t(showingMosaic() ? 'infoVintages' : 'infoVintage'), pick(function (v) { return String(v.vintage); }));
    addInfoRow(t('infoResolution'), pick(function (v) { return formatResolution(v.resolution_m); }));
    addInfoRow(t('infoLevel'), pick(function (v) {
      return typeof v.native_level === 'number' ? String(v.native_level) : null;
    }));
    addInfoRow(t('infoProducer'), pick(function (v) { return v.producer; }));
    var ext = displayedExtent();
    if (ext) addInfoRow(t('infoExtent'), formatExtent(ext));
    renderLinks();
  }

  function renderLinks() {
    var links = downloadLinks();
    if (!links) return;
    var id = currentWmtsId();
    [
      { href: links.dalles, key: 'linkDalles', type: 'application/geo+json', download: id + DALLES_SUFFIX + '.geojson' },
      { href: links.metadata, key: 'linkMetadata', type: 'application/xml' }
    ].forEach(function (l) {
      var a = document.createElement('a');
      a.href = l.href;
      a.type = l.type;
      a.textContent = t(l.key);
      if (l.download) a.setAttribute('download', l.download);
      var li = document.createElement('li');
      li.appendChild(a);
      el.infoLinks.appendChild(li);
    });
  }

  function renderServiceUrls() {
    var origin = window.location.origin;
    var id = currentWmtsId() || 'ortho-hr';
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
    renderCoverage();
    renderPublishedCount();
    renderVectors();
    renderFeatureInfo();
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
    return withMosaicTime(opts);
  }

  /**
   * Les couches nues composites ont une dimension WMTS « Time » (gabarit REST
   * …/{Time}/…, défaut « current » = mosaïque). OpenLayers reprend le défaut
   * annoncé, ou à défaut la première <Value> : on impose « current » pour
   * que l'entrée « Mosaïque » du sélecteur affiche toujours la mosaïque.
   */
  function withMosaicTime(opts) {
    var templated = opts.urls.some(function (u) { return u.indexOf('{Time}') >= 0; });
    var dims = opts.dimensions || {};
    if (templated || Object.prototype.hasOwnProperty.call(dims, 'Time')) {
      opts.dimensions = Object.assign({}, dims, { Time: MOSAIC_TIME });
    }
    return opts;
  }

  /** Attribution : le ou les producteurs des millésimes affichés. */
  function attributionFor(vs) {
    var producers = distinct(vs.map(function (v) { return v.producer; }));
    return function () {
      return producers
        ? t('attribution', { producer: escapeHtml(producers) })
        : t('attributionNoProducer');
    };
  }

  /** Affiche la couche WMTS correspondant aux sélecteurs. */
  function showSelectedLayer(fit) {
    var id = currentWmtsId();
    if (!id || !state.capabilities) return;
    var opts = wmtsOptions(id);
    if (!opts) {
      showMessage({ key: 'layerMissing', params: { id: id }, kind: 'error' });
      return;
    }
    if (state.message && state.message.key === 'layerMissing') showMessage(null);

    var source = new ol.source.WMTS(
      Object.assign(opts, { attributions: attributionFor(displayedVintages()), wrapX: false })
    );
    // Une seule couche : on remplace sa source. Pas de superposition de deux
    // millésimes pendant le chargement, pour ne jamais mélanger les dates.
    if (!orthoLayer) {
      orthoLayer = new ol.layer.Tile({ source: source, className: 'ortho-layer', zIndex: 0 });
      map.addLayer(orthoLayer);
    } else {
      orthoLayer.setSource(source);
    }

    var ext = displayedExtent();
    if (ext) {
      var centre = view.getCenter();
      var outside = !centre || !ol.extent.containsCoordinate(ext, centre);
      if (fit || outside) fitTo(ext);
    }
    renderInfo();
    renderServiceUrls();
    updateDallesLayer();
    // La fiche ouverte portait sur l'ancienne couche : on interroge la
    // nouvelle au même point, pour comparer les millésimes d'un clic.
    if (state.query) queryFeatureInfo(state.query.coordinate);
    writeHash();
  }

  function fitTo(ext) {
    view.fit(ext, { padding: [24, 24, 24, 24], duration: 0, nearest: false });
  }

  /* ------------------------------------------------------------------ */
  /* Indicateur : couverture du territoire                               */
  /* ------------------------------------------------------------------ */

  function loadCoverage() {
    fetchChecked(API_COVERAGE_URL, 'json').then(
      function (data) {
        state.coverage = { data: data || {} };
        renderCoverage();
      },
      function (err) {
        // Indicateur d'appoint : un échec (503 sans territoire configuré…)
        // reste une ligne discrète dans le panneau ; le détail technique,
        // utile à l'administrateur, va dans la console.
        state.coverage = { error: { status: err && err.status } };
        renderCoverage();
        logProblem('coverage indicator', err);
      }
    );
  }

  function logProblem(what, err) {
    if (!window.console) return;
    if (err && err.response) {
      err.response.text().then(function (body) { console.warn(what + ':', err.message, body); });
    } else {
      console.warn(what + ':', err);
    }
  }

  function note(text) {
    var p = document.createElement('p');
    p.className = 'indicator-note';
    p.textContent = text;
    return p;
  }

  function renderCoverage() {
    var c = state.coverage;
    el.coverage.setAttribute('aria-busy', c ? 'false' : 'true');
    el.coverageRegion.textContent = '';
    el.coverageBody.textContent = '';
    if (!c) {
      el.coverageBody.appendChild(note(t('coverageLoading')));
      return;
    }
    if (c.error) {
      el.coverageBody.appendChild(note(t(c.error.status === 503 ? 'coverageNoTerritory' : 'coverageUnavailable')));
      return;
    }
    var region = c.data.region || {};
    if (region.name) {
      el.coverageRegion.textContent = t('coverageRegion', {
        name: region.name,
        area: formatArea(region.area_km2)
      });
    }
    var layers = Array.isArray(c.data.layers) ? c.data.layers : [];
    if (!layers.length) el.coverageBody.appendChild(note(t('coverageNoLayer')));
    layers.forEach(function (l) {
      el.coverageBody.appendChild(coverageCard(l));
    });
  }

  function child(parent, tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  /** Une couche : la part de sa mosaïque en gros, puis le détail par millésime. */
  function coverageCard(l) {
    var card = document.createElement('article');
    card.className = 'coverage-card';
    var title = l.title || l.layer;
    child(card, 'h3', 'coverage-layer', title);
    var all = l.composite || {};
    var head = child(card, 'p', 'coverage-headline');
    child(head, 'strong', 'coverage-share', formatShare(all.percent, all.km2));
    child(head, 'span', 'coverage-area', formatArea(all.km2) + ' · ' + t('coverageAll'));

    var vintages = Array.isArray(l.vintages) ? l.vintages : [];
    if (!vintages.length) return card;
    var table = child(card, 'table', 'coverage-table');
    child(table, 'caption', 'visually-hidden', t('coverageCaption', { title: title }));
    var hr = child(child(table, 'thead'), 'tr');
    ['coverageColVintage', 'coverageColArea', 'coverageColShare', 'coverageColDalles'].forEach(function (k) {
      child(hr, 'th', null, t(k)).scope = 'col';
    });
    var body = child(table, 'tbody');
    vintages.forEach(function (v) {
      var tr = child(body, 'tr');
      child(tr, 'th', null, String(v.vintage)).scope = 'row';
      child(tr, 'td', null, formatArea(v.km2));
      child(tr, 'td', null, formatShare(v.percent, v.km2));
      child(tr, 'td', null, typeof v.dalles === 'number' ? formatNumber(v.dalles, 0) : '—');
    });
    return card;
  }

  /** Second indicateur : ce que le serveur publie (d'après /api/ortho/layers). */
  function renderPublishedCount() {
    el.publishedCount.hidden = !state.layersLoaded;
    if (!state.layersLoaded) return;
    var vintages = state.layers.reduce(function (sum, l) {
      return sum + (l.vintages || []).length;
    }, 0);
    el.publishedCount.textContent =
      plural(state.layers.length, 'layersOne', 'layersOther') + ' · ' +
      plural(vintages, 'vintagesOne', 'vintagesOther');
  }

  /* ------------------------------------------------------------------ */
  /* Index des dalles (WMS {id}-dalles)                                  */
  /* ------------------------------------------------------------------ */

  function clearMessage(key) {
    if (state.message && state.message.key === key) showMessage(null);
  }

  /** Superpose, retire ou met à jour l'index des dalles de la couche affichée. */
  function updateDallesLayer() {
    var id = currentWmtsId();
    var on = state.showDalles && !!id;
    dallesLayer.setVisible(on);
    if (!on) {
      clearMessage('dallesError');
      return;
    }
    var name = id + DALLES_SUFFIX;
    var current = dallesLayer.getSource();
    if (current && current.getParams().LAYERS === name) return;
    // Une seule image pour toute la vue (ratio 1) : contours nets, et une
    // requête par déplacement plutôt qu'une par tuile.
    var source = new ol.source.ImageWMS({
      url: WMS_URL,
      params: { LAYERS: name, STYLES: '', FORMAT: 'image/png', TRANSPARENT: true, VERSION: '1.3.0' },
      projection: L93_CODE,
      ratio: 1
    });
    source.on('imageloaderror', function () {
      showMessage({ key: 'dallesError', kind: 'error' });
    });
    source.on('imageloadend', function () {
      clearMessage('dallesError');
    });
    dallesLayer.setSource(source);
  }

  /* ------------------------------------------------------------------ */
  /* Données vecteur (WMS, avec les styles enregistrés)                  */
  /* ------------------------------------------------------------------ */

  var vectorLayers = {}; // nom du jeu → ol.layer.Image

  function loadVectors() {
    fetchChecked(API_VECTOR_URL, 'json').then(
      function (data) {
        state.vectors = ((data && data.datasets) || []).filter(function (d) {
          return d && d.name;
        });
        renderVectors();
      },
      function (err) {
        logProblem('vector datasets', err);
      }
    );
  }

  /** Un jeu par groupe, une case par couche (le WMS les dessine ensemble). */
  function renderVectors() {
    el.vectorList.textContent = '';
    el.vectorSection.hidden = state.vectors.length === 0;
    state.vectors.forEach(function (d) {
      var group = child(el.vectorList, 'li', 'vector-dataset');
      child(group, 'span', 'vector-dataset-title', d.title || d.name);
      var list = child(group, 'ul', 'vector-layers');
      (d.layers || []).forEach(function (l) {
        var key = d.name + '.' + l.name;
        var li = child(list, 'li', 'field-check');
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.id = 'vector-' + key;
        box.value = key;
        box.checked = !!state.vectorOn[key];
        box.addEventListener('change', function () {
          state.vectorOn[key] = box.checked;
          updateVectorLayer(d);
        });
        li.appendChild(box);
        var label = child(li, 'label', null, l.title || l.name);
        label.setAttribute('for', box.id);
      });
    });
  }

  /**
   * Affiche les couches cochées d'un jeu vecteur : une image WMS (LAYERS =
   * les couches, dans l'ordre du jeu), avec leurs styles enregistrés.
   */
  function updateVectorLayer(d) {
    var names = (d.layers || [])
      .map(function (l) { return d.name + '.' + l.name; })
      .filter(function (key) { return state.vectorOn[key]; });
    var layer = vectorLayers[d.name];
    if (!names.length) {
      if (layer) layer.setVisible(false);
      return;
    }
    var params = { LAYERS: names.join(','), STYLES: '', FORMAT: 'image/png', TRANSPARENT: true, VERSION: '1.3.0' };
    if (!layer) {
      var source = new ol.source.ImageWMS({ url: WMS_URL, params: params, projection: L93_CODE, ratio: 1 });
      source.on('imageloaderror', function () {
        showMessage({ key: 'vectorError', params: { name: d.title || d.name }, kind: 'error' });
      });
      source.on('imageloadend', function () {
        clearMessage('vectorError');
      });
      // Au-dessus de l'orthophoto, sous l'index des dalles et le point cliqué.
      layer = new ol.layer.Image({ source: source, zIndex: 0.5, className: 'vector-layer' });
      vectorLayers[d.name] = layer;
      map.addLayer(layer);
    } else {
      layer.getSource().updateParams(params);
    }
    layer.setVisible(true);
  }

  /* ------------------------------------------------------------------ */
  /* Interrogation d'un point (WMS GetFeatureInfo)                       */
  /* ------------------------------------------------------------------ */

  /**
   * GetFeatureInfo WMS 1.3.0 sur une petite image virtuelle centrée sur le
   * point : le centre du pixel (I, J) = (50, 50) est exactement `coordinate`,
   * quelle que soit la taille de la carte. EPSG:2154 est en axes est, nord :
   * BBOX = xmin, ymin, xmax, ymax.
   */
  function featureInfoUrl(id, coordinate) {
    var half = (GFI_SIZE / 2) * view.getResolution();
    var x = coordinate[0];
    var y = coordinate[1];
    var centre = String((GFI_SIZE - 1) / 2);
    var p = new URLSearchParams({
      SERVICE: 'WMS',
      VERSION: '1.3.0',
      REQUEST: 'GetFeatureInfo',
      LAYERS: id,
      QUERY_LAYERS: id,
      STYLES: '',
      INFO_FORMAT: 'application/json',
      CRS: L93_CODE,
      BBOX: [x - half, y - half, x + half, y + half].join(','),
      WIDTH: String(GFI_SIZE),
      HEIGHT: String(GFI_SIZE),
      I: centre,
      J: centre
    });
    return WMS_URL + '?' + p.toString();
  }

  function queryFeatureInfo(coordinate) {
    var id = currentWmtsId();
    if (!id || !coordinate) return;
    var q = { coordinate: coordinate, id: id, status: 'loading', features: [] };
    state.query = q;
    showHighlight(q, null);
    renderFeatureInfo();
    fetchChecked(featureInfoUrl(id, coordinate), 'json').then(
      function (fc) {
        if (state.query !== q) return; // un clic plus récent l'emporte
        q.status = 'done';
        q.features = (fc && Array.isArray(fc.features)) ? fc.features : [];
        showHighlight(q, fc);
        renderFeatureInfo();
      },
      function (err) {
        if (state.query !== q) return;
        q.status = 'error';
        renderFeatureInfo();
        logProblem('GetFeatureInfo', err);
      }
    );
  }

  /** Marque le point cliqué et, une fois connu, le contour de la dalle. */
  function showHighlight(q, fc) {
    highlightSource.clear();
    if (!q) return;
    highlightSource.addFeature(new ol.Feature(new ol.geom.Point(q.coordinate)));
    if (!fc || !q.features.length) return;
    try {
      // GeoJSON (RFC 7946) : géométries en longitude, latitude WGS 84.
      highlightSource.addFeatures(new ol.format.GeoJSON().readFeatures(fc, {
        dataProjection: 'EPSG:4326',
        featureProjection: L93_CODE
      }));
    } catch (e) {
      /* géométrie illisible : le point et la fiche suffisent */
    }
  }

  /** Résolution en mètres (le serveur l'envoie en texte, « 0.200 ») : « 0,2 ». */
  function formatMetres(value) {
    var n = typeof value === 'number' ? value : parseFloat(value);
    if (!isFinite(n)) return String(value);
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: 3 }).format(n);
  }

  // Attributs d'une dalle, dans l'ordre d'affichage (propriétés JSON du serveur).
  var FEATURE_FIELDS = [
    { prop: 'dalle', key: 'fDalle' },
    { prop: 'vintage', key: 'fVintage' },
    { prop: 'acquired', key: 'fAcquired', format: formatDate },
    { prop: 'producer', key: 'fProducer' },
    { prop: 'resolution_m', key: 'fResolution', format: formatMetres },
    { prop: 'source', key: 'fSource', className: 'mono' }
  ];

  function featureList(props) {
    var dl = document.createElement('dl');
    dl.className = 'feature-fields';
    FEATURE_FIELDS.forEach(function (f) {
      var raw = props[f.prop];
      var empty = raw === null || raw === undefined || raw === '';
      child(dl, 'dt', null, t(f.key));
      var dd = child(dl, 'dd', empty ? 'empty' : f.className || null);
      dd.textContent = empty ? t('notProvided') : f.format ? f.format(raw) : String(raw);
    });
    return dl;
  }

  function renderFeatureInfo() {
    var q = state.query;
    el.featureInfo.hidden = !q;
    el.featureBody.textContent = '';
    if (!q) return;
    child(el.featureBody, 'p', 'feature-meta', t('featureLayer', { id: q.id }));
    child(el.featureBody, 'p', 'feature-meta', formatL93(q.coordinate));
    if (q.status !== 'done' || !q.features.length) {
      var key = q.status === 'loading' ? 'featureLoading' : q.status === 'error' ? 'featureError' : 'featureNone';
      child(el.featureBody, 'p', 'feature-status' + (q.status === 'error' ? ' is-error' : ''), t(key));
      return;
    }
    q.features.forEach(function (f) {
      el.featureBody.appendChild(featureList(f.properties || {}));
    });
  }

  function closeFeatureInfo() {
    var hadFocus = el.featureInfo.contains(document.activeElement);
    state.query = null;
    showHighlight(null);
    renderFeatureInfo();
    // Le bouton fermé disparaît : on rend le focus à la carte.
    if (hadFocus) map.getTargetElement().focus();
  }

  map.on('singleclick', function (evt) {
    queryFeatureInfo(evt.coordinate);
  });

  // Clavier : Entrée sur la carte interroge son centre (les flèches la
  // déplacent déjà) ; Échap ferme la fiche.
  map.getTargetElement().addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target === map.getTargetElement()) {
      e.preventDefault();
      queryFeatureInfo(view.getCenter());
    }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || !state.query) return;
    var active = document.activeElement;
    if (el.featureInfo.contains(active) || active === map.getTargetElement()) closeFeatureInfo();
  });
  el.featureClose.addEventListener('click', closeFeatureInfo);

  /* ------------------------------------------------------------------ */
  /* État dans l'adresse (#layer=ortho&vintage=2024&dalles=1&x=…&y=…&z=…) */
  /* ------------------------------------------------------------------ */

  function readHash() {
    var p = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    var out = { layer: p.get('layer'), vintage: p.get('vintage'), dalles: p.get('dalles') === '1' };
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
      p.set('vintage', state.vintage === BARE ? BARE : String(state.vintage));
      if (state.showDalles) p.set('dalles', '1');
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
    // Autre couche, autre lieu : la fiche du dernier clic n'a plus de sens
    // (un changement de millésime, lui, la met à jour au même point).
    closeFeatureInfo();
    state.layerName = el.layerSelect.value;
    state.vintage = BARE;
    renderSelectors();
    showSelectedLayer(true);
  });

  el.vintageSelect.addEventListener('change', function () {
    var val = el.vintageSelect.value;
    state.vintage = val === BARE ? BARE : parseInt(val, 10);
    showSelectedLayer(false);
  });

  el.fitBtn.addEventListener('click', function () {
    var ext = displayedExtent();
    if (ext) fitTo(ext);
  });

  el.dallesToggle.addEventListener('change', function () {
    state.showDalles = el.dallesToggle.checked;
    updateDallesLayer();
    writeHash();
  });

  /* ------------------------------------------------------------------ */
  /* Chargement initial                                                  */
  /* ------------------------------------------------------------------ */

  /** Requête GET ; une réponse HTTP en erreur rejette avec `status` renseigné. */
  function fetchChecked(url, kind, init) {
    var accept = kind === 'json' ? 'application/json' : 'application/xml';
    return fetch(url, Object.assign({ headers: { Accept: accept } }, init))
      .then(function (resp) {
        if (!resp.ok) {
          var err = new Error('HTTP ' + resp.status + ' — ' + url);
          err.status = resp.status;
          err.response = resp; // corps (problem+json…) lisible par l'appelant
          throw err;
        }
        return kind === 'json' ? resp.json() : resp.text();
      });
  }

  function start() {
    applyI18n();
    showMessage({ key: 'loading', kind: 'info' });

    var hash = readHash();
    state.showDalles = hash.dalles;
    loadCoverage();
    loadVectors();
    var layersP = fetchChecked(API_LAYERS_URL, 'json');
    var capsP = fetchChecked(CAPABILITIES_URL, 'xml');

    layersP
      .then(
        function (data) {
          state.layers = ((data && data.layers) || []).filter(function (l) {
            return l && l.name;
          });
          state.layersLoaded = true;
          renderPublishedCount();
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
          state.vintage = BARE;
          if (hash.layer === chosen.name && /^\d+$/.test(hash.vintage || '')) {
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
