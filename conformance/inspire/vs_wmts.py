"""Port of the INSPIRE view service ETS for WMTS 1.0.0: service/vs-wmts-soapui-project.xml of
inspire-eu-validation/ets-repository v2024.0.1 ("Conformance Class: View Service - WMTS", etf.version 1.0.2,
a draft in the validator).

Test case / step names, requests and TR.* ids are the project's; every Groovy step is a function below.
The Groovy is ported as it behaves, quirks included (each is marked "ETS:" where it matters):
- at77 compares the ResponseLanguage of the *first* (language-less) GetCapabilities with every language it
  then requests, so a service with more than one language fails it whatever it answers;
- at79 wants the Metadata link to return a document *containing* an MD_Metadata element (a CSW
  GetRecordById response), a bare gmd:MD_Metadata root is "not a valid metadata document";
- at91 requests the capabilities once, with LANGUAGE = the text of SupportedLanguages (all codes run together);
- at92 sets SERVICE to the GetTile endpoint URL in every request it makes (so each is invalid anyway);
- at77, at92: an exception report is recognised only with a Content-Type containing "text/xml".
Deviations: the layer register is the derived snapshot registry/layer/layer.en.xml; a step the Groovy runs
several times is reported once (soapui.Project.runs).
"""
from soapui import Fail, ScriptError, attr, desc, gtext, kids, ln, no_exception, path, sla, status_in

SUITE_CAP = "GetCapabilities_Operation"
SUITE_TILE = "GetTile_Operation"
BUNDLE = "EIDb02cc4ae-60e1-47a5-8e5a-7f9769ffd113"
SERVICE, VERSION = "WMTS", "1.0.0"


def xml_exception(r):
    """`xml_root.ServiceException.size() == 1 || xml_root.Exception.size() == 1` on a text/xml response."""
    if "text/xml" not in r.content_type:
        return False
    root = r.xml()
    return len(kids(root, "ServiceException")) == 1 or len(kids(root, "Exception")) == 1


def run(ctx):
    P, http = ctx.project, ctx.http
    endpoint = ctx.base + "/wmts"
    caps_params = [("request", "GetCapabilities"), ("service", SERVICE), ("version", VERSION)]

    # ---------------------------------------------------------------- initial-testcase
    case = "initial-testcase"
    r0 = http.get(endpoint, caps_params)
    P.http(SUITE_CAP, case, "http-request", r0, [status_in(200), sla()])
    try:
        caps = r0.xml()
    except ScriptError as e:
        P.add(SUITE_CAP, case, "set-gettile-default-parameters", "failed", f"script error: {e}")
        return
    d = {}  # the defaultGetTile_* project properties

    def set_defaults():
        gets = path(caps, "OperationsMetadata.Operation")
        gets = [op for op in gets if op.get("name") == "GetTile"]
        tile_gets = path(gets[0], "DCP.HTTP.Get") if gets else []
        if len(tile_gets) > 1:
            ep = "".join(attr([g for g in tile_gets if gtext(path(g, "Constraint.AllowedValues.Value")) == "KVP"],
                              "xlink:href"))
        elif len(tile_gets) == 1:
            ep = "".join(attr(tile_gets, "xlink:href"))
        else:
            ep = "null"  # ETS: `tileEndpoints == 0` is never true, `endpoint` stays null -> "null"
        if ep.startswith("https://"):
            ep = ep.replace("https://", "http://")
        links = [t for layer in path(caps, "Contents.Layer") for t in desc(layer, "TileMatrixSet")]
        if links:
            layer = links[0].getparent().getparent()
            matrix_set = [t for t in desc_all(kids(caps, "Contents"), "TileMatrixSet")
                          if gtext(kids(t, "Identifier")) == gtext(links[0])]
            ident = tm_id = col = row = ""
            if matrix_set:
                ident = gtext(kids(matrix_set[0], "Identifier"))
                tms = kids(matrix_set[0], "TileMatrix")
                tm_id = gtext(kids(tms[0], "Identifier"))
                col = str(int(gtext(kids(tms[0], "MatrixWidth"))) - 1)
                row = str(int(gtext(kids(tms[0], "MatrixHeight"))) - 1)
            d.update(Endpoint=ep, Request="GetTile", Layer=gtext(kids(layer, "Identifier")),
                     Style=gtext(path(layer, "Style.Identifier")),
                     Format=gtext(kids(layer, "Format")[0]) if kids(layer, "Format") else "",
                     TileMatrixSet=ident, TileMatrix=tm_id, TileCol=col, TileRow=row,
                     Language=gtext(path(caps, "OperationsMetadata.ExtendedCapabilities.SupportedLanguages.DefaultLanguage")))
    try:
        set_defaults()
    except (ValueError, IndexError) as e:
        P.add(SUITE_CAP, case, "set-gettile-default-parameters", "failed", f"script error: {e}")
    P.add(SUITE_CAP, case, "http-request-inspire-registry", "passed",
          "read from the derived registry snapshot registry/layer/layer.en.xml "
          f"({len(ctx.registry_layer_names)} names), not from http://inspire.ec.europa.eu/layer/layer.en.xml")

    def gettile(**over):
        params = {"service": SERVICE, "request": d.get("Request", ""), "version": VERSION, "layer": d.get("Layer"),
                  "style": d.get("Style"), "format": d.get("Format"), "tilematrixset": d.get("TileMatrixSet"),
                  "tilematrix": d.get("TileMatrix"), "tilecol": d.get("TileCol"), "tilerow": d.get("TileRow")}
        params.update(over)
        return http.get(d.get("Endpoint", ""), list(params.items()))

    # ---------------------------------------------------------------- at75
    case = "at75-implemented-operations"
    runs = []

    def at75():
        if not r0.body:
            raise Fail("TR.emptyGetCapabilitiesOperationResponse")
        if not d.get("Format"):
            raise Fail("TR.missingMandatoryFormat", layerid=d.get("Layer", ""))
        if not d.get("Layer"):
            raise Fail("TR.missingIdentifier")
        if d.get("Endpoint"):
            tr = gettile()
            runs.append(("default GetTile", tr))
            if not tr.body:
                raise Fail("TR.emptyGetTitleOperationResponse")
    P.groovy(SUITE_CAP, case, "check-operations-implementation", at75)
    P.runs(SUITE_CAP, case, "http-request-gettile", runs, [no_exception(), status_in(200), sla()])
    if not d.get("Endpoint"):
        P.manual(SUITE_CAP, case, "manual-check", "TR.manual.getTileOperationManually")

    # ---------------------------------------------------------------- at77
    case = "at77-common-request-parameters"
    runs = {"http-request-getcapabilities": [], "http-request-gettile": []}

    def at77():
        steps = ["http-request-getcapabilities"] + (["http-request-gettile"] if d.get("Endpoint") else [])
        for step in steps:
            for param in ("service", "request"):
                for value, tr in (("", "TR.paramNotMandatory"), ("zzzz", "TR.paramValueMustNotBeAccepted")):
                    if step == "http-request-gettile":
                        r = gettile(**{param: value, "language": d.get("Language")})
                    else:
                        p = dict(service=SERVICE, request="GetCapabilities", version=VERSION)
                        p[param] = value
                        r = http.get(endpoint, list(p.items()))
                    runs[step].append((f"{param}={value or '(omitted)'}", r))
                    if not xml_exception(r):
                        raise Fail(tr, parameter=param, response=f"HTTP {r.status}, Content-Type {r.content_type!r} "
                                   "(the ETS wants an exception report served as text/xml)")
        first = http.get(endpoint, [("service", SERVICE), ("request", "GetCapabilities"), ("version", VERSION)])
        runs["http-request-getcapabilities"].append(("language=(omitted)", first))
        c = first.xml()
        langs = [gtext(path(c, "OperationsMetadata.ExtendedCapabilities.SupportedLanguages.DefaultLanguage.Language"))]
        langs += [gtext(x) for x in path(c, "OperationsMetadata.ExtendedCapabilities.SupportedLanguages.SupportedLanguage")]
        for lang in langs:
            r = http.get(endpoint, [("service", SERVICE), ("request", "GetCapabilities"), ("version", VERSION),
                                    ("language", lang)])
            runs["http-request-getcapabilities"].append((f"language={lang or '(empty)'}", r))
            # ETS: the response language is read from the first response `c`, not from `r`
            response_language = gtext(path(c, "OperationsMetadata.ExtendedCapabilities.ResponseLanguage.Language"))
            if lang != response_language:
                raise Fail("TR.wrongResponseLanguage", responselang=response_language, requestedlang=lang)
    P.groovy(SUITE_CAP, case, "check-common-parameters", at77)
    for step, rr in runs.items():
        P.runs(SUITE_CAP, case, step, rr, [status_in(200), sla()])
    if not d.get("Endpoint"):
        P.manual(SUITE_CAP, case, "manual-check", "TR.manual.getTileOperationCommonParameters")

    # ---------------------------------------------------------------- at78 - at81
    def at78():
        om = kids(caps, "OperationsMetadata")
        if len(kids(caps, "ServiceIdentification")) != 1:
            raise Fail("TR.missingServiceIdentification")
        if len(kids(caps, "ServiceProvider")) != 1:
            raise Fail("TR.missingServiceProvider")
        if len(om) != 1:
            raise Fail("TR.missingOperationsMetadata")
        if len(kids(caps, "Contents")) != 1:
            raise Fail("TR.missingLayersMetadata")
        if len(path(caps, "OperationsMetadata.ExtendedCapabilities.SupportedLanguages")) != 1 or \
                len(path(caps, "OperationsMetadata.ExtendedCapabilities.ResponseLanguage")) != 1:
            raise Fail("TR.missingLanguagesMetadata")
    P.groovy(SUITE_CAP, "at78-getcapabilities-get-view-service-metadata", "check-capabilities-document-sections", at78)

    case = "at79-getcapabilities-layer-metadata"
    runs = []

    def at79():
        for layer in path(caps, "Contents.Layer"):
            hrefs = attr(kids(layer, "Metadata"), "xlink:href")
            ident = gtext(kids(layer, "Identifier"))
            if not hrefs:
                raise Fail("TR.missingMetadata", layerid=ident)
            if len(hrefs) > 1:
                raise Fail("TR.wrongMetadataMultiplicity", layerid=ident)
            if not hrefs[0]:
                raise Fail("TR.emptyMetadataLink", layerid=ident)
            r = http.get(hrefs[0])
            runs.append((hrefs[0], r))
            # ETS: `metadataDocument.MD_Metadata` = an MD_Metadata *child* of the root
            if not kids(r.xml(), "MD_Metadata"):
                raise Fail("TR.invalidMetadataDocument", layerid=ident, url=hrefs[0])
    P.groovy(SUITE_CAP, case, "check-layer-metadata", at79)
    P.runs(SUITE_CAP, case, "http-request-metadata", runs, [no_exception(), status_in(200), sla()])

    def at81():
        n = sum(1 for op in path(caps, "OperationsMetadata.Operation") if op.get("name") == "GetCapabilities")
        if n == 0:
            raise Fail("TR.missingGetCapabilitiesOperationMetadata")
        if n > 1:
            raise Fail("TR.wrongMultiplicityGetCapabilitiesOperationMetadata")
    P.groovy(SUITE_CAP, "at81-getcapabilities-operation-getcapabilities", "check-operation-getcapabilities", at81)

    # ---------------------------------------------------------------- at82
    case = "at82-getcapabilities-operation-gettile"
    runs, manual_layers = [], []

    def at82():
        n = sum(1 for op in path(caps, "OperationsMetadata.Operation") if op.get("name") == "GetTile")
        if n == 0:
            raise Fail("TR.missingGetTileOperationMetadata")
        if n > 1:
            raise Fail("TR.wrongMultiplicityGetTileOperationMetadata")
        invalid = []
        for layer in desc_all(kids(caps, "Contents"), "Layer"):
            ident = gtext(kids(layer, "Identifier")) if len(kids(layer, "Identifier")) == 1 else ""
            valid = 0
            for fmt in kids(layer, "Format"):
                if gtext(fmt) in ("image/png", "image/gif"):
                    valid += 1
                    tms = [gtext(t) for t in path(layer, "TileMatrixSetLink.TileMatrixSet") if gtext(t) == "InspireCRS84Quad"]
                    if not tms:
                        manual_layers.append(ident)
                    else:
                        # ETS: the request is the default one (first layer) with this format
                        r = gettile(format=gtext(fmt), language=d.get("Language"))
                        runs.append((f"{ident} {gtext(fmt)}", r))
                        if not r.body:
                            raise Fail("TR.emptyGetTitleOperationResponse")
                        ct = r.header("Content-Type")
                        if ct is not None and ct != gtext(fmt):
                            raise Fail("TR.wrongResponseFormat", responseformat=ct, requestedformat=gtext(fmt),
                                       layerid=ident)
            if valid == 0:
                invalid.append(ident)
        if invalid:
            raise Fail("TR.missingMandatoryFormat", layerid="[" + ", ".join(invalid) + "]")
    P.groovy(SUITE_CAP, case, "check-operation-gettitle", at82)
    P.runs(SUITE_CAP, case, "http-request-gettile", runs, [status_in(200), no_exception(), sla()])
    if manual_layers:
        P.manual(SUITE_CAP, case, "manual-check", "TR.manual.getTileOperationMandatoryFormat")

    # ---------------------------------------------------------------- at84 - at90
    layers = desc_all(kids(caps, "Contents"), "Layer")
    names = set(ctx.registry_layer_names)

    def at84():
        invalid = []
        for layer in layers:
            ids = kids(layer, "Identifier")
            if not ids:
                raise Fail("TR.missingIdentifier")
            if not gtext(ids):
                raise Fail("TR.emptyIdentifier")
            if gtext(ids) not in names:
                invalid.append(gtext(ids))
        if invalid:
            raise Fail("TR.notHarmonishedValue", layerid=", ".join(invalid))
        id_list = [gtext(e) for e in desc_all(kids(caps, "Contents"), "Identifier") if ln(e.getparent()) == "Layer"]
        if len(id_list) != len(set(id_list)):
            raise Fail("TR.identifiersNotUnique")
    P.groovy(SUITE_CAP, "at84-getcapabilities-layer-metadata", "check-layer-identifier", at84)

    def at85():
        for layer in layers:
            titles = kids(layer, "Title")
            if len(titles) > 1:
                raise Fail("TR.wrongTitleMultiplicity", layerid=gtext(kids(layer, "Identifier")))
            for t in titles:
                if not gtext(t):
                    raise Fail("TR.emptyTitle", layerid=gtext(kids(layer, "Identifier")))
    P.groovy(SUITE_CAP, "at85-getcapabilities-layer-title", "check-layer-title", at85)
    P.manual(SUITE_CAP, "at85-getcapabilities-layer-title", "manual-check", "TR.manual.testManual85")

    def at86():
        for layer in layers:
            abstracts = kids(layer, "Abstract")
            if len(abstracts) > 1:
                raise Fail("TR.wrongAbstractMultiplicity", layerid=gtext(kids(layer, "Identifier")))
            for ab in abstracts:
                if not gtext(ab):
                    raise Fail("TR.emptyAbstract", layerid=gtext(kids(layer, "Identifier")))
    P.groovy(SUITE_CAP, "at86-getcapabilities-layer-abstract", "check-layer-abstract", at86)
    P.manual(SUITE_CAP, "at86-getcapabilities-layer-abstract", "manual-check", "TR.manual.checkAbstractLanguage")

    def at87():
        for layer in layers:
            for kw in kids(layer, "Keywords"):
                keys = kids(kw, "Keyword")
                if not keys:
                    raise Fail("TR.missingKeyword", layerid=gtext(kids(layer, "Identifier")))
                for k in keys:
                    if not gtext(k):
                        raise Fail("TR.emptyKeyword", layerid=gtext(kids(layer, "Identifier")))
    P.groovy(SUITE_CAP, "at87-getcapabilities-layer-keyword", "check-layer-keywords", at87)

    def at88():
        for layer in layers:
            ident = gtext(kids(layer, "Identifier")) if len(kids(layer, "Identifier")) == 1 else ""
            bbox = kids(layer, "WGS84BoundingBox")
            if not bbox:
                raise Fail("TR.missingWGS84BoundingBox", layerid=ident)
            if len(bbox) > 1:
                raise Fail("TR.wrongWGS84BoundingBoxMultiplicity", layerid=ident)
            for corner, miss, many, inval in (
                    ("LowerCorner", "TR.missingWGS84BoundingBoxLowerCorner",
                     "TR.wrongWGS84BoundingBoxLowerCornerMultiplicity", "TR.invalidLowerCornerValue"),
                    ("UpperCorner", "TR.missingWGS84BoundingBoxUpperCorner",
                     "TR.wrongWGS84BoundingBoxUpperCornerMultiplicity", "TR.invalidUpperCornerValue")):
                c = kids(bbox, corner)
                if not c or not gtext(c):
                    raise Fail(miss, layerid=ident)
                if len(c) > 1:
                    raise Fail(many, layerid=ident)
                xy = gtext(c).split(" ")
                try:
                    x, y = float(xy[0]), float(xy[1])
                except (ValueError, IndexError) as e:
                    raise ScriptError(f"Float.parseFloat: {e}") from None
                if x < -180 or x > 180 or y < -90 or y > 90:
                    raise Fail(inval, layerid=ident)
    P.groovy(SUITE_CAP, "at88-getcapabilities-layer-geographic-bounding-box", "check-layer-wgs84boundingbox", at88)

    def at89():
        ids = [gtext(t) for t in path(caps, "Contents.TileMatrixSet.Identifier")]
        for layer in path(caps, "Contents.Layer"):
            for link in kids(layer, "TileMatrixSetLink"):
                if gtext(kids(link, "TileMatrixSet")) not in ids:
                    raise Fail("TR.tileMatrixSetNotDefined", tilematrixset=gtext(kids(link, "TileMatrixSet")))
    P.groovy(SUITE_CAP, "at89-getcapabilities-etrs89-itrs-crs", "check-tilematrixsets", at89)
    P.manual(SUITE_CAP, "at89-getcapabilities-etrs89-itrs-crs", "manual-check", "TR.manual.checkTileMatrixSetCRS")

    def at90():
        for layer in layers:
            lid = gtext(kids(layer, "Identifier"))
            styles = kids(layer, "Style")
            ids = [gtext(e) for s in styles for e in desc(s, "Identifier")]
            if not styles:
                raise Fail("TR.wrongStyleMultiplicity", layerid=lid)
            for s in styles:
                sid = kids(s, "Identifier")
                if not sid:
                    raise Fail("TR.missingStyleIdentifier", styletitle=gtext(kids(s, "Title")), layerid=lid)
                if len(sid) > 1:
                    raise Fail("TR.wrongStyleIdentifierMultiplicity", styletitle=gtext(kids(s, "Title")), layerid=lid)
                if not gtext(sid):
                    raise Fail("TR.emptyStyleIdentifier", layerid=lid)
                for t in kids(s, "Title"):
                    if not gtext(t):
                        raise Fail("TR.emptyStyleTitle", styleid=gtext(sid), layerid=lid)
            if len(ids) != len(set(ids)):
                raise Fail("TR.duplicateStyleIdentifiers", layerid=lid)
    P.groovy(SUITE_CAP, "at90-getcapabilities-layer-style", "check-layer-style", at90)

    # ---------------------------------------------------------------- at91
    case = "at91-getcapabilities-layer-legend-url"
    caps_runs, legend_runs = [], []

    def at91():
        for sl in path(caps, "OperationsMetadata.ExtendedCapabilities.SupportedLanguages"):
            r = http.get(endpoint, [("request", "GetCapabilities"), ("version", VERSION), ("service", SERVICE),
                                    ("language", gtext(sl))])  # ETS: all the codes run together
            caps_runs.append((f"language={gtext(sl)}", r))
            for layer in desc(r.xml(), "Layer"):
                lid = gtext(kids(layer, "Identifier"))
                for style in kids(layer, "Style"):
                    sid = gtext(kids(style, "Identifier"))
                    for legend in kids(style, "LegendURL"):
                        href, fmt = legend.get("{http://www.w3.org/1999/xlink}href"), legend.get("format")
                        if href is None:
                            raise Fail("TR.missingLegendHref", styleid=sid, layerid=lid)
                        if not href:
                            raise Fail("TR.emptyLegendHref", styleid=sid, layerid=lid)
                        if fmt is None:
                            raise Fail("TR.missingLegendFormat", styleid=sid, layerid=lid)
                        if not fmt:
                            raise Fail("TR.emptyLegendFormat", styleid=sid, layerid=lid)
                        lr = http.get(href)
                        legend_runs.append((href, lr))
                        if str(lr.header("Content-Type")) != fmt:
                            raise Fail("TR.wrongLegendResponseFormat", styleid=sid, layerid=lid)
    P.groovy(SUITE_CAP, case, "check-layer-style-legendurl", at91)
    P.runs(SUITE_CAP, case, "http-request-getcapabilities", caps_runs, [status_in(200), sla()])
    P.runs(SUITE_CAP, case, "http-request-legend", legend_runs, [status_in(200), sla()])
    P.manual(SUITE_CAP, case, "manual-check", "TR.manual.checkLegendLanguage")

    # ---------------------------------------------------------------- at92
    case = "at92-gettile-gettile-operation"
    runs = []

    def at92():
        if not d.get("Endpoint"):
            return
        for param in ("service", "request", "version", "layer", "style", "format", "tilematrixset", "tilematrix",
                      "tilecol", "tilerow"):
            for value, tr in (("", "TR.paramNotMandatory"), ("zzzz", "TR.paramValueMustNotBeAccepted")):
                # ETS: setDefaultParameters() sets service to the GetTile endpoint URL
                over = {"service": d.get("Endpoint")}
                over[param] = value
                r = gettile(**over)
                runs.append((f"{param}={value or '(omitted)'}", r))
                if not xml_exception(r):
                    raise Fail(tr, parameter=param, response=f"HTTP {r.status}, Content-Type {r.content_type!r} "
                               "(the ETS wants an exception report served as text/xml)")
    P.groovy(SUITE_TILE, case, "check-gettile-parameters-implementation", at92)
    P.runs(SUITE_TILE, case, "http-request-gettile", runs, [status_in(200), sla()])
    if not d.get("Endpoint"):
        P.manual(SUITE_TILE, case, "manual-check", "TR.manual.getTileOperationParameters")


def desc_all(nodes, name):
    out = []
    for n in nodes:
        out += desc(n, name)
    return out
