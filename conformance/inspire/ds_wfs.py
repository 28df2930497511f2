"""Port of the INSPIRE download service ETS for WFS 2.0 of inspire-eu-validation/ets-repository v2024.0.1:
service/ds-wfs-pre-defined-soapui-project.xml ("Conformance Class: Download Service - Pre-defined WFS") and
service/ds-wfs-direct-soapui-project.xml ("Conformance Class: Download Service - Direct WFS").

The assertions are ETF `Assert` XPath 2.0 expressions, kept verbatim below (soapui.Assert translates them for
lxml); test case / step / assertion names and TR.* ids are the projects'. Deviations, all deliberate:
- the service endpoint is the GetCapabilities URL (what the validator asks for); steps that add parameters
  repeat SERVICE/REQUEST, as SoapUI does;
- "AutoConfigure WFS" / "Analyze WFS Capabilities" (xtf.wfs.Capabilities): the requests it makes and the
  conditions under which it throws (no AcceptVersions values for GetCapabilities, no FeatureType, an unprefixed
  FeatureType name, a feature count that cannot be read) are ported; the schema analysis it then does
  (xtf PropertySchemaAnalyzer, for test cases that are not in these projects) is not;
- the per-combination invocations of the pre-defined stored query (CRS x language x data set) are reported
  as one test, failing with the combinations that failed;
- test case dependencies are not enforced: every case runs and reports its own result (the validator
  reports a case whose dependency failed as skipped).
"""
from soapui import (INSPIRE_DS_NS, Assert, Fail, ScriptError, ln, no_exception, node_value, schema_valid, sla,
                    status_in, xp1)

BUNDLE = "EIDfadd4929-fa60-4781-b658-703bbfe3f4eb"
S_INIT = "Initialization and basic checks"
S_CAP = "Capabilities"
S_SQ = "Stored Query"
VERSION = "2.0.0"
CAPS_PATH_LANG = ("/*:WFS_Capabilities/ows:OperationsMetadata/ows:ExtendedCapabilities/inspire_dls:ExtendedCapabilities[1]"
                  "/inspire_common:")
BLACKLISTED_OUTPUT_FORMATS = "text/xml; subtype=gml/3.1.1, application/gml+xml; version=3.1"


def a(name, fn):
    """A Groovy/XPath assertion of an HTTP step: fn(Assert) on the response."""
    return (name, lambda r: fn(Assert(r)))


def prolog_ok():
    def check(r):
        if not r.body:
            raise Fail("TR.noDataReturned")
        head = r.body[:7].decode("utf-8", "replace")
        if len(r.body) > 7 and not head.strip().startswith("<"):
            raise Fail("TR.invalidXmlProlog", prolog="".join(c if c.isprintable() else "?" for c in head))
    return ("No invalid characters before XML prolog", check)


def xpath_match(name, expr, expected):
    """SoapUI "XPath Match" assertion."""
    def check(r):
        got = _raw_value(r, expr)
        if got != expected:
            raise AssertionError(f"XPathContains comparison failed for path [{expr}], expecting [{expected}], "
                                 f"actual was [{got}]")
    return (name, check)


def _raw_value(r, expr):
    res = r.xml().xpath(xp1(expr), namespaces=INSPIRE_DS_NS)
    if isinstance(res, list):
        return node_value(res[0]) if res else None
    return node_value(res)


def get_endpoint(root, op):
    """xtf Util.getHttpGetOnlineResourceForOperation."""
    v = root.xpath(f"/*[local-name()='WFS_Capabilities']/*[local-name()='OperationsMetadata']"
                   f"/*[local-name()='Operation'][@name='{op}']/*[local-name()='DCP']/*[local-name()='HTTP']"
                   f"/*[local-name()='Get']/@*[local-name()='href']")
    return str(v[0]) if v else None


def run(ctx, pid):
    P, http = ctx.project, ctx.http
    direct = pid == "ds-wfs-direct"
    endpoint = ctx.base + "/wfs?SERVICE=WFS&REQUEST=GetCapabilities"
    caps_params = [("REQUEST", "GetCapabilities"), ("SERVICE", "WFS"), ("ACCEPTVERSIONS", VERSION), ("VERSION", VERSION)]
    root_caps = a("Expect a Capabilities root element",
                  lambda x: x.exists("/*:WFS_Capabilities", "TR.missingCapabilitiesRootElement"))
    version_caps = a("Expect Capabilites in version 2.0.0",
                     lambda x: x.equals("/*:WFS_Capabilities/@version", "Capabilities version", "2.0.0"))
    st = {"endpt": {}}

    # ---------------------------------------------------------------- Service is available
    case = "Service is available"
    if direct:
        r = http.get(endpoint)
        P.http(S_INIT, case, "Check endpoint for Capabilities", r,
               [sla(), no_exception("Expect no exception"), status_in(200), prolog_ok()])
        has_caps = r.is_xml() and ln(r.xml()) == "WFS_Capabilities"
        if has_caps:
            r = http.get(endpoint)
            P.http(S_INIT, case, "Get Capabilities", r, [root_caps, version_caps, sla()])
        else:
            r = http.get(endpoint, caps_params)
            P.http(S_INIT, case, "Get Capabilities with parameters", r,
                   [sla(), no_exception("Expect no exception"), status_in(200), prolog_ok(), root_caps, version_caps])
        caps_ep = get_endpoint(r.xml(), "GetCapabilities") if r.is_xml() else None
        st["endpt"]["GetCapabilities"] = caps_ep or ""
    else:
        r = http.get(endpoint, caps_params)
        P.http(S_INIT, case, "GetCapabilities", r,
               [sla(), no_exception("Expect no exception"), status_in(200), prolog_ok(), root_caps, version_caps])

    # ---------------------------------------------------------------- GetCapabilities is schema valid
    case = "GetCapabilities is schema valid"
    ep = st["endpt"]["GetCapabilities"] if direct else endpoint
    r = http.get(ep, caps_params) if ep else None
    if r is None:
        P.add(S_INIT, case, "GetCapabilities", "failed", "no GetCapabilities endpoint (endpt.GetCapabilities.Get is empty)")
    else:
        P.http(S_INIT, case, "GetCapabilities", r,
               [no_exception("Expect no exception"), status_in(200), sla(),
                a("xsi:schemaLocation attribute exists",
                  lambda x: x.exists("/*:WFS_Capabilities/@*:schemaLocation", "TR.missingSchemaLocation")),
                schema_valid(ctx.validator, "Response validates against schema")])

    # ---------------------------------------------------------------- Operation endpoints are available
    case = "Operation endpoints are available"
    r = http.get(endpoint, caps_params)
    P.http(S_INIT, case, "GetCapabilities", r, [
        sla(), status_in(200),
        a("At least one FeatureType is listed", lambda x: x.exists("//*:FeatureType[1]")),
        a("FeatureTypep prefixes can be resolved", lambda x: x.not_exists(
            " //*:FeatureType[1]/*:Name[not(namespace::*[name()=substring-before(//*:FeatureType[1]/*:Name, ':')])] ",
            "TR.featureTypeUnknownNamespace")),
        a("At least one OutputFormat is listed", lambda x: x.exists(
            "//*:FeatureType[1]/*:OutputFormats/*:Format, /*:WFS_Capabilities/*:OperationsMetadata/*:Operation"
            "[@name='GetFeature']/*:Parameter[@name='outputFormat']/*:AllowedValues/*:Value", "TR.noOutputFormats")),
        a("Root element is WFS_Capabilties", lambda x: x.exists("/*:WFS_Capabilities", "TR.missingCapabilitiesRootElement")),
        no_exception("Service does not return an Exception report")])
    tp = {}
    caps = None
    if r.is_xml():
        caps = r.xml()
        ft1 = caps.xpath("//*[local-name()='FeatureType'][1]/*[local-name()='Name']")
        tp["featureTypeName"] = "".join(ft1[0].itertext()) if ft1 else ""
        fmts = caps.xpath("//*[local-name()='FeatureType'][1]/*[local-name()='OutputFormats']/*[local-name()='Format']")
        if not fmts:
            fmts = caps.xpath("/*[local-name()='WFS_Capabilities']/*[local-name()='OperationsMetadata']"
                              "/*[local-name()='Operation'][@name='GetFeature']/*[local-name()='Parameter']"
                              "[@name='outputFormat']/*[local-name()='AllowedValues']/*[local-name()='Value'][1]")
        tp["outputFormat"] = "".join(fmts[0].itertext()) if fmts else ""
        prefix = tp["featureTypeName"].split(":", 1)[0] if ":" in tp["featureTypeName"] else ""
        tp["featureTypeNamespacePrefix"] = prefix
        tp["featureTypeNamespace"] = (ft1[0].nsmap.get(prefix, "") if ft1 and prefix else "")
        for op in ("GetFeature", "DescribeFeatureType", "GetPropertyValue", "ListStoredQueries", "DescribeStoredQueries"):
            e = get_endpoint(caps, op)
            if e:
                st["endpt"][op] = e
    gf_ep = st["endpt"].get("GetFeature")
    if gf_ep:
        r = http.get(gf_ep, [("SERVICE", "WFS"), ("VERSION", VERSION), ("REQUEST", "GetFeature"), ("RESULTTYPE", "hits"),
                             ("TYPENAMES", tp.get("featureTypeName")), ("OUTPUTFORMAT", tp.get("outputFormat")),
                             ("NAMESPACES", f"xmlns({tp.get('featureTypeNamespacePrefix', '')},"
                                            f"{tp.get('featureTypeNamespace', '')})")])
        P.http(S_INIT, case, "GetFeature", r, [
            no_exception("Expect no exception"), status_in(200), sla(),
            a("Root element is FeatureCollection",
              lambda x: x.exists("/*:FeatureCollection", "TR.missingFeatureCollectionRootElement"))])
    dft_ep = st["endpt"].get("DescribeFeatureType") if direct else gf_ep  # pre-defined: the GetFeature endpoint (ETS)
    if st["endpt"].get("DescribeFeatureType") and dft_ep:
        r = http.get(dft_ep, [("SERVICE", "WFS"), ("VERSION", VERSION), ("REQUEST", "DescribeFeatureType"),
                              ("OUTPUTFORMAT", "application/gml+xml; version=3.2")])
        P.http(S_INIT, case, "DescribeFeatureType", r, [
            no_exception("Expect no exception"), status_in(200), sla(),
            a("Root element is schema", lambda x: x.exists("/*:schema", "TR.missingSchemaRootElement"))])
    endpoints_available = bool(caps is not None)

    # ---------------------------------------------------------------- AutoConfigure WFS (pre-defined)
    autoconf_ok = True
    if not direct:
        autoconf_ok = autoconfigure(ctx, endpoint, caps_params, st)

    # ---------------------------------------------------------------- Basic checks passed and Capabilities still accessible
    case = "Basic checks passed and Capabilities still accessible"
    ep = st["endpt"].get("GetCapabilities") if direct else endpoint
    params = caps_params if direct else caps_params[:3] + [("VERSION", "2.0.0")]
    r = http.get(ep or endpoint, params)
    P.http(S_INIT, case, "GetCapabilities", r, [
        sla(), no_exception("Expect no exception"),
        xpath_match("Expect Capabilites in requested version", "/*/@version", VERSION), status_in(200),
        a("Root element is WFS_Capabilties", lambda x: x.exists("/*:WFS_Capabilities", "TR.missingCapabilitiesRootElement")),
        version_caps])

    def setup_completed():
        if not (endpoints_available if direct else autoconf_ok):
            raise Fail("TR.initializationAndBasicChecksFailed")
    P.groovy(S_INIT, case, "Check if TestSetup has been completed", setup_completed)

    if direct:
        conformance_classes(ctx, st)
    else:
        pre_defined(ctx, endpoint, st)


def autoconfigure(ctx, endpoint, caps_params, st):
    """AutoConfigure WFS: GetCapabilities, then xtf.wfs.Capabilities.setCapabilities() in "Analyze WFS
    Capabilities" (which runs "Get Schema Definition" per DescribeFeatureType output format and "Get number of
    Features in DB" per feature type), then the two request steps once more with the last values, as SoapUI
    runs every step in order."""
    P, http = ctx.project, ctx.http
    case = "AutoConfigure WFS"
    # the properties step of the case keeps the values saved in the project
    tp = {"featureTypeName": "adv:AX_Wohnplatz", "outputFormat": "text/xml; subtype=gml/3.2.1",
          "featureTypeNamespaceWfs2": "xmlns(adv,http://www.adv-online.de/namespaces/adv/gid/6.0)"}
    r = http.get(endpoint, caps_params)

    def init_output_formats(x):
        x.exists("/*:WFS_Capabilities", "TR.missingCapabilitiesRootElement")
    P.http(S_INIT, case, "GetCapabilities", r, [
        sla(), status_in(200), no_exception("Service does not return an Exception report"),
        a("Initialize Output Formats (technical assertion which fails if response is not schema valid)",
          init_output_formats),
        a("Root element is WFS_Capabilties", lambda x: x.exists("/*:WFS_Capabilities", "TR.missingCapabilitiesRootElement"))])
    dft_ep = st["endpt"].get("DescribeFeatureType") or ""
    gf_ep = st["endpt"].get("GetFeature") or ""
    subruns = []

    def get_schema_definition():
        return http.get(dft_ep, [("service", "WFS"), ("version", VERSION), ("request", "DescribeFeatureType"),
                                 ("OUTPUTFORMAT", tp["outputFormat"])])

    def get_number_of_features():
        return http.get(gf_ep, [("SERVICE", "WFS"), ("VERSION", VERSION), ("REQUEST", "GetFeature"), ("RESULTTYPE", "hits"),
                                ("TYPENAMES", tp["featureTypeName"]), ("OUTPUTFORMAT", tp["outputFormat"]),
                                ("NAMESPACES", tp["featureTypeNamespaceWfs2"])])

    def param_values(caps, op, param):
        """xtf getOperationParameterValues: the operation's parameter values, else the OperationsMetadata's;
        none at all is a RequiredDomNodeNotFoundException."""
        om = "/*[local-name()='WFS_Capabilities']/*[local-name()='OperationsMetadata']"
        tail = f"/*[local-name()='Parameter'][@name='{param}']/*[local-name()='AllowedValues']/*[local-name()='Value']"
        v = caps.xpath(f"{om}/*[local-name()='Operation'][@name='{op}']{tail}") or caps.xpath(om + tail)
        if not v:
            raise ScriptError(f"RequiredDomNodeNotFoundException: Unable to find \"{op}\" (no {param} values in the "
                              "capabilities, neither for the operation nor for OperationsMetadata)")
        return ["".join(e.itertext()) for e in v]

    def analyze():
        if not r.is_xml():
            raise ScriptError("the capabilities are not XML")
        caps = r.xml()
        formats = {}
        for op in caps.xpath("/*[local-name()='WFS_Capabilities']/*[local-name()='OperationsMetadata']"
                             "/*[local-name()='Operation']/@name"):
            try:
                formats[str(op)] = [o for o in sorted(param_values(caps, str(op), "outputFormat"))
                                    if o not in BLACKLISTED_OUTPUT_FORMATS]
            except ScriptError:
                pass  # the operation has no outputFormat
        param_values(caps, "GetCapabilities", "AcceptVersions")  # this.versions: not caught by setCapabilities
        fts = caps.xpath("/*[local-name()='WFS_Capabilities']/*[local-name()='FeatureTypeList']/*[local-name()='FeatureType']")
        if not fts:
            raise ScriptError("RequiredDomNodeNotFoundException: Unable to find FeatureType definition in Capabilities")
        for of in formats.get("DescribeFeatureType", []):
            tp["outputFormat"] = of
            subruns.append((f"Get Schema Definition (run by Analyze, OUTPUTFORMAT={of})", get_schema_definition(),
                            schema_checks()))
        for ft in fts:
            name = "".join(ft.xpath("*[local-name()='Name']")[0].itertext()) if ft.xpath("*[local-name()='Name']") else ""
            if ":" not in name:
                raise ScriptError(f"StringIndexOutOfBoundsException: FeatureType name '{name}' has no prefix")
            prefix = name.split(":", 1)[0]
            ns = ft.xpath("*[local-name()='Name']")[0].nsmap.get(prefix, "")
            tp["featureTypeName"], tp["featureTypeNamespaceWfs2"] = name, f"xmlns({prefix},{ns})"
            rr = get_number_of_features()
            subruns.append((f"Get number of Features in DB (run by Analyze, TYPENAMES={name})", rr, count_checks()))
            first = rr.xml() if rr.is_xml() else None
            if first is None or (first.get("numberOfFeatures") is None and first.get("numberMatched") is None):
                raise ScriptError('RequiredDomNodeNotFoundException: Attribute "numberOfFeatures" not found in reponse! '
                                  f"(GetFeature hits for {name}, OUTPUTFORMAT={tp['outputFormat']}: HTTP {rr.status})")
        # (PropertySchemaAnalyzer on the DescribeFeatureType responses: not ported, see the module docstring)

    def schema_checks():
        def accessible(rr):
            for loc in rr.xml().xpath("//@schemaLocation"):
                for url in str(loc).split():
                    if not url.startswith(("http://", "https://")):
                        continue
                    code = ctx.validator.status_of(url)  # offline for the catalogued schema sites
                    # the ETS tests `200 <= code && code >= 400`, i.e. code >= 400
                    if code >= 400 or code == 0:
                        raise Fail("TR.schemaNotAccessible", url=url, code=str(code))
        return [("SchemaLocations are publicly accessible without authentication", accessible),
                no_exception(), sla(), status_in(200),
                a("Root element is schema", lambda x: x.exists("/*:schema", "TR.missingSchemaRootElement"))]

    def count_checks():
        return [xpath_match("Expect no Exception", "exists(/*:ServiceExceptionReport) or (/*:ExceptionReport)", "false"),
                status_in(200), sla(),
                a("Root element is FeatureCollection",
                  lambda x: x.exists("/*:FeatureCollection", "TR.missingFeatureCollectionRootElement"))]

    ok = True

    def analyze_step():
        nonlocal ok
        try:
            analyze()
        except ScriptError as e:
            ok = False
            raise ScriptError(f'assert "completed" == autoConfiguration, "Failed to initialize Executable Test '
                              f'Suite": {e}') from None
    P.groovy(S_INIT, case, "Analyze WFS Capabilities", analyze_step)
    for step, rr, checks in subruns:
        P.http(S_INIT, case, step, rr, checks)
    P.http(S_INIT, case, "Get Schema Definition", get_schema_definition(), schema_checks())
    P.http(S_INIT, case, "Get number of Features in DB", get_number_of_features(), count_checks())
    return ok


def conformance_classes(ctx, st):
    P, http = ctx.project, ctx.http
    ep = st["endpt"].get("GetCapabilities") or (ctx.base + "/wfs")
    r = http.get(ep, [("request", "GetCapabilities"), ("ACCEPTVERSIONS", VERSION), ("service", "WFS"), ("VERSION", VERSION)])
    checks = [no_exception("Expect no exception")]
    om = "/*:WFS_Capabilities/ows:OperationsMetadata/ows:Constraint[@name='{}']/ows:DefaultValue"
    fes = "/*:WFS_Capabilities/fes:Filter_Capabilities/fes:Conformance/fes:Constraint[@name='{}']/ows:DefaultValue"
    for name, xpath, tr in (
            ("ImplementsBasicWFS", om, "TR.operationsMetadataConformanceClassNotSupported"),
            ("KVPEncoding", om, "operationsMetadataConformanceClassNotSupported"),
            ("ImplementsAdHocQuery", fes, "TR.filterConformanceClassNotSupported"),
            ("ImplementsResourceId", fes, "TR.filterConformanceClassNotSupported"),
            ("ImplementsMinStandardFilter", fes, "TR.filterConformanceClassNotSupported"),
            ("ImplementsMinSpatialFilter", fes, "TR.filterConformanceClassNotSupported"),
            ("ImplementsMinTemporalFilter", fes, "TR.filterConformanceClassNotSupported"),
            ("ImplementsMinimumXPath", fes, "TR.filterConformanceClassNotSupported")):
        checks.append(a(f"Conformance Class '{name}' set to 'TRUE'",
                        lambda x, name=name, xpath=xpath, tr=tr: x.equals(xpath.format(name), name, "TRUE", tr)))
    P.http(S_CAP, "Conformance Classes", "GetCapabilities", r, checks)


def pre_defined(ctx, endpoint, st):
    P, http = ctx.project, ctx.http
    ec = "/*:WFS_Capabilities/ows:OperationsMetadata/ows:ExtendedCapabilities/inspire_dls:ExtendedCapabilities[1]"
    lang = ec + "/inspire_common:"
    gc3 = [("ACCEPTVERSIONS", VERSION), ("SERVICE", "WFS"), ("REQUEST", "GetCapabilities")]
    missing = "TR.capabilities.extended.inspire.missingElement"

    r = http.get(endpoint, [("request", "GetCapabilities"), ("ACCEPTVERSIONS", VERSION), ("service", "WFS")])
    P.http(S_CAP, "Extended Capabilities", "GetCapabilities", r, [
        no_exception("Expect no exception"),
        a("xsi:schemaLocation contains the INSPIRE Download Services schema",
          lambda x: x.is_true("//*[contains(@*:schemaLocation,'inspire_dls.xsd')]", "TR.missingDownloadServiceSchema")),
        a("ExtendedCapabilities element exists", lambda x: x.exists(ec, missing))])

    r = http.get(endpoint, gc3)
    P.http(S_CAP, "Provide Response Language", "Request GetCapabilities", r, [
        no_exception("Expect no exception"),
        a("ResponseLanguage element exists in INSPIRE SupportedLanguages",
          lambda x: x.exists(lang + "ResponseLanguage/inspire_common:Language", missing))])
    r = http.get(endpoint, gc3)
    P.http(S_CAP, "Provide Supported Languages", "Request GetCapabilities", r, [
        no_exception("Expect no exception"),
        a("INSPIRE SupportedLanguages element exist",
          lambda x: x.exists(lang + "SupportedLanguages/inspire_common:DefaultLanguage/inspire_common:Language", missing))])

    case = "Provide Default Language"
    default_eq_response = a("ResponseLanguage equals DefaultLanguage", lambda x: x.equal_path_values(
        lang + "SupportedLanguages/inspire_common:DefaultLanguage/inspire_common:Language",
        lang + "ResponseLanguage/inspire_common:Language"))
    r1 = http.get(endpoint, gc3)
    P.http(S_CAP, case, "Request GetCapabilities", r1, [no_exception("Expect no exception"), default_eq_response])
    r2 = http.get(endpoint, gc3 + [("LANGUAGE", "chi")])
    P.http(S_CAP, case, "Request GetCapabilities with unsupported language", r2, [
        sla(), no_exception("Expect no exception"), status_in(200), default_eq_response,
        a("Abstract from previous response equals Abstact in this response",
          lambda x: x.equal_path_values_in("/*:WFS_Capabilities/ows:ServiceIdentification/ows:Abstract", r1)),
        a("Title from previous response equals Title in this response",
          lambda x: x.equal_path_values_in("/*:WFS_Capabilities/ows:ServiceIdentification/ows:Title", r1))])

    # Language affects Capabilities
    case = "Language affects Capabilities"
    r = http.get(endpoint, gc3 + [("version", VERSION)])
    P.http(S_CAP, case, "Request GetCapabilities", r, [
        no_exception(),
        a("OnlineResource exists in Capabilities", lambda x: x.exists_non_empty_text(
            "/*:WFS_Capabilities/ows:OperationsMetadata/ows:Operation[@name='GetCapabilities']/ows:DCP/ows:HTTP"
            "/ows:Get[1]/@xlink:href", "GetCapabilities operation href"))])
    codes, online = [], None
    if r.is_xml():
        x = r.xml()
        codes = ["".join(e.itertext()) for e in x.xpath(
            "/*[local-name()='WFS_Capabilities']/*[local-name()='OperationsMetadata']/*[local-name()='ExtendedCapabilities']"
            "/*[local-name()='ExtendedCapabilities'][1]/*[local-name()='SupportedLanguages']"
            "/*[local-name()='DefaultLanguage' or local-name()='SupportedLanguage']/*[local-name()='Language']")]
        online = get_endpoint(x, "GetCapabilities")
    for code in codes:
        rr = http.get(online or endpoint, [("SERVICE", "WFS"), ("REQUEST", "GetCapabilities"), ("version", VERSION),
                                           ("LANGUAGE", code)])

        def all_codes(x, codes=codes):
            missing_ = [c for c in codes if not x.first(
                f"boolean({lang}SupportedLanguages/inspire_common:SupportedLanguage[inspire_common:Language='{c}'])"
                f" or boolean({lang}SupportedLanguages/inspire_common:DefaultLanguage[inspire_common:Language='{c}'])")]
            if missing_:
                raise Fail("TR.missingElementWithValue", name="Language", value=", ".join(missing_))
        P.http(S_CAP, case, f"Request GetCapabilities in SupportedLanguage (LANGUAGE={code})", rr, [
            sla(), no_exception(), status_in(200),
            a("ResponseLanguage equals requested Language",
              lambda x, code=code: x.equals(lang + "ResponseLanguage/inspire_common:Language", "ResponseLanguage", code)),
            a("All SupportedLanguage codes exist", all_codes)])

    service_metadata(ctx, endpoint)
    stored_query(ctx, endpoint, st)


def service_metadata(ctx, endpoint):
    P, http = ctx.project, ctx.http
    case = "Service Metadata"
    r = http.get(endpoint, [("ACCEPTVERSIONS", VERSION), ("SERVICE", "WFS"), ("REQUEST", "GetCapabilities"),
                            ("version", VERSION)])
    P.http(S_CAP, case, "Request GetCapabilities", r, [no_exception()])
    if not r.is_xml():
        return
    x = r.xml()
    md_url = "".join(x.xpath("//*[local-name()='ExtendedCapabilities']/*[local-name()='MetadataUrl']/*[local-name()='URL']/text()")).strip()
    if md_url:  # scenario 1: "Goto check external Service Metadata" jumps over the inline checks
        P.not_applicable(S_CAP, case, "Check ServiceMetadata in Capabilities",
                         "scenario 2 only (service metadata inline in the ExtendedCapabilities); the capabilities "
                         "link the service metadata (inspire_common:MetadataUrl), checked below")
        rr = http.get(md_url)
        P.http(S_CAP, case, "Request and check external ServiceMetadata", rr, [
            status_in(200), sla(), no_exception("Expect no exception"),
            a("xsi:schemaLocation attribute exists in root element",
              lambda y: y.exists("//@*:schemaLocation", "TR.missingSchemaLocation")),
            a("Metadata has ISO Metadata element (gmd_MD_Metadata exists)",
              lambda y: y.exists("//gmd:MD_Metadata", "TR.notIsoMetadata"))])
        return
    # scenario 2: the service metadata in the ExtendedCapabilities
    caps_ep = get_endpoint(x, "GetCapabilities") or endpoint
    rr = http.get(caps_ep, [("SERVICE", "WFS"), ("ACCEPTVERSIONS", VERSION), ("REQUEST", "GetCapabilities")])
    ms, ows = "TR.capabilities.extended.inspire.missingElement", "TR.capabilities.ows.missingElement"

    def ft_metadata_url(y):
        names = [n for n in y.root.xpath("//*[local-name()='FeatureType'][string-length(*[local-name()='MetadataURL']"
                                         "/@*[local-name()='href'])=0]/*[local-name()='Name']/text()")]
        if names:
            raise Fail("TR.missingWfsMetadataUrl", name=", ".join(names))
    P.http(S_CAP, case, "Check ServiceMetadata in Capabilities", rr, [
        a("INSPIRE MetadataDate exists", lambda y: y.exists_non_empty_text(
            "//inspire_dls:ExtendedCapabilities/inspire_common:MetadataDate", ms)),
        a("INSPIRE Unique Resource Identifier Namespace exists", lambda y: y.exists(
            "//inspire_dls:ExtendedCapabilities/inspire_dls:SpatialDataSetIdentifier/inspire_common:Namespace",
            "TR.missingSpatialDataSetIdentifierNamespace")),
        a("INSPIRE Unique Resource Identifier Code exists", lambda y: y.exists(
            "//inspire_dls:ExtendedCapabilities/inspire_dls:SpatialDataSetIdentifier/inspire_common:Code", ms)),
        a("INSPIRE MetadataPointOfContact exists", lambda y: y.exists(
            "//inspire_dls:ExtendedCapabilities/inspire_common:MetadataPointOfContact", ms)),
        a("INSPIRE Keyword infoFeatureAccessService exists", lambda y: y.exists(
            "/*:WFS_Capabilities/ows:ServiceIdentification/ows:Keywords[ows:Keyword='infoFeatureAccessService']",
            "TR.missingInfoFeatureAccessService")),
        a("WFS Abstract exists", lambda y: y.exists("/*:WFS_Capabilities/ows:ServiceIdentification/ows:Abstract", ows)),
        a("WFS Title exists", lambda y: y.exists("/*:WFS_Capabilities/ows:ServiceIdentification/ows:Title", ows)),
        a("INSPIRE ResourceType exists", lambda y: y.exists("//inspire_dls:ExtendedCapabilities/inspire_common:ResourceType", ms)),
        a("INSPIRE ResourceLocator exists", lambda y: y.exists(
            "//inspire_dls:ExtendedCapabilities/inspire_common:ResourceLocator", ms)),
        a("INSPIRE SpatialDataServiceType is set at 'download'", lambda y: y.equals(
            "//inspire_dls:ExtendedCapabilities/inspire_common:SpatialDataServiceType", "SpatialDataServiceType",
            "download", "TR.capabilities.extended.inspire.invalidValue")),
        a("WGS84BoundingBox: WFS Each FeatureType has a WGS84BoundingBox", lambda y: y.not_exists(
            "//*:FeatureType[string-length(ows:WGS84BoundingBox/ows:LowerCorner)=0]",
            "TR.capabilities.ft.missingOwsWgs84BoundingBox")),
        a("INSPIRE TemporalReference exists", lambda y: y.exists(
            "//inspire_dls:ExtendedCapabilities/inspire_common:TemporalReference", ms)),
        a("INSPIRE Conformity exists", lambda y: y.exists("//inspire_dls:ExtendedCapabilities/inspire_common:Conformity", ms)),
        a("WFS Fees exists", lambda y: y.exists("//ows:ServiceIdentification/ows:Fees", ows)),
        a("AccessConstraints exists", lambda y: y.exists("//ows:ServiceIdentification/ows:AccessConstraints", ows)),
        a("WFS ServiceProvider exists, at least a ServiceContact with ContactInfo", lambda y: y.exists(
            "//ows:ServiceProvider/ows:ServiceContact/ows:ContactInfo", ows)),
        a("WFS ServiceProvider exists, with ProviderName", lambda y: y.exists("//ows:ServiceProvider/ows:ProviderName", ows)),
        a("ft-MetadataURL: INSPIRE Each FeatureType has a MetadataURL", ft_metadata_url)])
    urls = [str(u) for u in x.xpath("//*[local-name()='MetadataURL']/@*[local-name()='href']")]

    def loop():
        if not urls:
            raise ScriptError("assert metadataUrlNodes.size() > 0")
    P.groovy(S_CAP, case, "Loop Metadata URLs from Capabilities", loop)
    for u in urls:
        P.http(S_CAP, case, f"Get Metadata from Capabilities ({u})", http.get(u), [
            status_in(200), sla(), schema_valid(ctx.validator, "response is schema valid"),
            a("fileIdentifier exists in Metadata", lambda y: y.exists("//gmd:MD_Metadata/gmd:fileIdentifier",
                                                                      "TR.missingMdFileIdentifier")),
            a("Metadata response has MD_Metadata element", lambda y: y.exists("//gmd:MD_Metadata", "TR.invalidIsoMetadata"))])


def stored_query(ctx, endpoint, st):
    P, http = ctx.project, ctx.http
    case = "Predefined Stored Query"
    dsq = st["endpt"].get("DescribeStoredQueries") or ""
    r = http.get(dsq, [("REQUEST", "DescribeStoredQueries"), ("VERSION", VERSION), ("SERVICE", "WFS")])
    P.http(S_SQ, case, "Request and check DescribeStoredQueries", r, [
        no_exception("Expect no exception"), schema_valid(ctx.validator, "Response validates agains schema"), sla(),
        status_in(200),
        a("Contains  at least one StoredQuery with the parameters 'CRS', 'DataSetID' , 'DataSetIdNamespace', 'Language'",
          lambda x: x.exists("/*:DescribeStoredQueriesResponse/*:StoredQueryDescription[./*:Parameter/@name='CRS' and "
                             "./*:Parameter/@name='DataSetIdCode' and ./*:Parameter/@name='DataSetIdNamespace' and "
                             "./*:Parameter/@name='Language']", "TR.manual.missingInspireStoredQuery")),
        a("Contains the recommended 'GetSpatialDataSet' identifier",
          lambda x: x.exists("/*:DescribeStoredQueriesResponse/*:StoredQueryDescription[@id='http://inspire.ec.europa.eu/"
                             "operation/download/GetSpatialDataSet']", "TR.manual.GetSpatialDataSetIdentifier")),
        a("Root element is DescribeStoredQueriesResponse",
          lambda x: x.exists("/*:DescribeStoredQueriesResponse", "missingStoredQueriesRootElement"))])
    sq_id = ""
    if r.is_xml():
        ids = r.xml().xpath("/*[local-name()='DescribeStoredQueriesResponse']/*[local-name()='StoredQueryDescription']"
                            "[./*[local-name()='Parameter']/@name='DataSetIdCode' and ./*[local-name()='Parameter']/@name="
                            "'DataSetIdNamespace' and ./*[local-name()='Parameter']/@name='Language']/@id")
        sq_id = str(ids[0]) if ids else ""
    r = http.get(endpoint, [("ACCEPTVERSIONS", VERSION), ("SERVICE", "WFS"), ("REQUEST", "GetCapabilities")])
    P.http(S_SQ, case, "Request GetCapabilities", r, [
        no_exception("Expect no exception"),
        a("SpatialDataSetIdentifier Namespace exists", lambda x: x.exists(
            "//inspire_dls:ExtendedCapabilities/inspire_dls:SpatialDataSetIdentifier/inspire_common:Namespace",
            "TR.missingSpatialDataSetIdentifierNamespace")),
        a("SpatialDataSetIdentifier Code exists", lambda x: x.exists(
            "//inspire_dls:ExtendedCapabilities/inspire_dls:SpatialDataSetIdentifier/inspire_common:Code",
            "TR.capabilities.extended.inspire.missingElement"))])
    if not r.is_xml():
        return
    x = r.xml()

    def texts(xp):
        return ["".join(e.itertext()) for e in x.xpath(xp)]
    crss = list(dict.fromkeys(texts("//*[local-name()='DefaultCRS'] | //*[local-name()='OtherCRS']")))
    ecx = ("/*[local-name()='WFS_Capabilities']/*[local-name()='OperationsMetadata']/*[local-name()='ExtendedCapabilities']"
           "/*[local-name()='ExtendedCapabilities'][1]")
    langs = list(dict.fromkeys(texts(ecx + "/*[local-name()='SupportedLanguages']/*[local-name()='DefaultLanguage' or "
                                           "local-name()='SupportedLanguage']/*[local-name()='Language']")))
    sdi = "//*[local-name()='ExtendedCapabilities']/*[local-name()='SpatialDataSetIdentifier']/*[local-name()='{}']"
    codes, namespaces = texts(sdi.format("Code")), texts(sdi.format("Namespace"))
    failures, n = [], 0
    for crs in crss:
        for lang in langs:
            for i, code in enumerate(codes):
                ns = namespaces[i] if i < len(namespaces) else ""
                n += 1
                rr = http.get(dsq, [("REQUEST", "GetFeature"), ("VERSION", VERSION), ("SERVICE", "WFS"),
                                    ("STOREDQUERY_ID", sq_id), ("CRS", crs), ("DataSetIdCode", code),
                                    ("DataSetIdNamespace", ns), ("Language", lang)])
                errs = []
                for name, fn in [status_in(200), sla(), no_exception("Expect no exception"),
                                 schema_valid(ctx.validator, "Response validates agains schema"),
                                 a("Root element is wfs:FeatureCollection", lambda y: y.exists(
                                     "/*:FeatureCollection", "TR.missingFeatureCollectionRootElement")),
                                 a("FeatureCollection in requested CRS", lambda y, crs=crs: (
                                     y.equals("/*:FeatureCollection/*:boundedBy/gml:Envelope/@srsName", "CRS", crs,
                                              "TR.unexpectedCRS")
                                     if y.first("/*:FeatureCollection/*:boundedBy/gml:Envelope/@srsName") is not None
                                     else None))]:
                    try:
                        fn(rr)
                    except Fail as f:
                        errs.append(f"[{name}] {P.render(f)}")
                    except (ScriptError, AssertionError) as e:
                        errs.append(f"[{name}] {e}")
                if errs:
                    failures.append(f"CRS={crs} Language={lang} DataSetIdCode={code} (HTTP {rr.status}): "
                                    + " ".join(errs))
    step = "Invoke Stored Query with CRS, Language, SpatialDataSetIdentifier"
    if n == 0:
        P.add(S_SQ, case, step, "passed", "no CRS x language x SpatialDataSetIdentifier combination in the "
                                          "capabilities: the loop makes no request (as in the ETS)")
    elif failures:
        P.add(S_SQ, case, step, "failed", f"{len(failures)} of {n} invocations failed (STOREDQUERY_ID="
                                          f"'{sq_id}'): " + " | ".join(failures[:4]) +
              (f" | … {len(failures) - 4} more" if len(failures) > 4 else ""))
    else:
        P.add(S_SQ, case, step, "passed", f"{n} invocations (STOREDQUERY_ID={sq_id})")
