"""Port of the INSPIRE discovery service ETS for CSW 2.0.2: service/dis-csw-core-soapui-project.xml of
inspire-eu-validation/ets-repository v2024.0.1 ("Conformance Class: Discovery Service - CSW Core", etf.version
0.1.6, the only discovery service project of the repository).

Test suite / case / step names, requests, expected HTTP status codes (200), SLAs (60 s; 6000 s for at-12's
GetRecords) and TR.* message ids are the project's; every Groovy step is a function below, in project order.
The Groovy is ported as it behaves (each quirk marked "ETS:"):
- values are read with XmlSlurper: local names, texts not trimmed, several nodes' texts run together
  (e.g. two ows:Get hrefs make one endpoint, two hierarchyLevels one code list value);
- the initial case's Groovy throws (a NullPointerException in SoapUI, here a script error) when the capabilities
  have no ExtendedCapabilities under OperationsMetadata, no GetRecords operation, or no element named
  CONSTRAINTLANGUAGE in it;
- the GetRecords steps with a language constraint exist twice, CQL_TEXT (GET) and FILTER (POST); the initial case
  enables the CQL_TEXT ones when CONSTRAINTLANGUAGE lists CQL_TEXT, else the FILTER ones when it lists FILTER,
  else neither (at-31 and at-32 then run nothing: not_applicable here);
- the CQL constraint is `language = 'eng'` (lower-case queryable, no apiso: prefix) and the Filter's PropertyName
  `apiso:Language` with the prefix undeclared, as in the project;
- at-26 and at-27 stop at the first language that fails.
Deviations, all deliberate:
- the service endpoint is the GetCapabilities URL (what the validator asks for); steps that add parameters
  repeat SERVICE/REQUEST, as SoapUI does (as in ds_wfs.py);
- test case dependencies (check-initial-testcase) are not enforced, except that when the initial GetCapabilities
  cannot be read every other case is reported skipped (what ETF does for a failed dependency);
- a step a Groovy loop runs several times (at-26, at-27 "http-request-languaged") is one test
  (soapui.Project.runs); the at-29 request step is reported through its Groovy step "schema-valid", which reads its
  assertion;
- the set-* Groovy steps of the initial case are reported only when they fail;
- "Simple Schema Validator" is xmllint, offline (soapui.Validator: the repository's schemas/, CSW 2.0.2 from
  schemas/csw-tree/, the vendored INSPIRE schemas).
"""
import re

from soapui import (Assert, Fail, ScriptError, attr, desc, gtext, kids, ln, no_exception, path, sla, status_in)

BUNDLE = "EID6f004d02-ca77-4a67-99a4-62515725a573"
SERVICE, VERSION = "CSW", "2.0.2"
S_INIT = "Initialize"
S_OPS = "Discovery_Service_Operations"
S_QUERY = "Discovery_Service_Queryable"
S_LANG = "Language_Requirements"
SLA_S = 60.0
SLA_GETRECORDS_S = 6000.0
GMD = "http://www.isotc211.org/2005/gmd"

# check-extended-capabilities: what must be left once every well-formed URL is removed (Java regex, ASCII \w)
URL_RE = re.compile(r"(http|ftp|https)://([\w+?.])+([a-zA-Z0-9~!@#$%^&*()_\-=+\\/?.:;',]*)?", re.ASCII)

# at-25: the ISO 639-2/B codes of the project (check-language-parameter-iso), verbatim
ISO_LANG = set("""aar abk ace ach ada ady afa afh afr ain aka akk alb ale alg alt amh ang anp apa ara arc arg arm arn arp
art arw asm ast ath aus ava ave awa aym aze bad bai bak bal bam ban baq bas bat bej bel bem ben ber bho bih bik bin bis
bla bnt bos bra bre btk bua bug bul bur byn cad cai car cat cau ceb cel cha chb che chg chi chk chm chn cho chp chr chu
chv chy cmc cnr cop cor cos cpe cpf cpp cre crh crp csb cus cze dak dan dar day del den dgr din div doi dra dsb dua dum
dut dyu dzo efi egy eka elx eng enm epo est ewe ewo fan fao fat fij fil fin fiu fon fre frm fro frr frs fry ful fur gaa
gay gba gem geo ger gez gil gla gle glg glv gmh goh gon gor got grb grc gre grn gsw guj gwi hai hat hau haw heb her hil
him hin hit hmn hmo hrv hsb hun hup iba ibo ice ido iii ijo iku ile ilo ina inc ind ine inh ipk ira iro ita jav jbo jpn
jpr jrb kaa kab kac kal kam kan kar kas kau kaw kaz kbd kha khi khm kho kik kin kir kmb kok kom kon kor kos kpe krc krl
kro kru kua kum kur kut lad lah lam lao lat lav lez lim lin lit lol loz ltz lua lub lug lui lun luo lus mac mad mag mah
mai mak mal man mao map mar mas may mdf mdr men mga mic min mis mkh mlg mlt mnc mni mno moh mon mos mul mun mus mwl mwr
myn myv nah nai nap nau nav nbl nde ndo nds nep new nia nic niu nno nob nog non nor nqo nso nub nwc nya nym nyn nyo nzi
oci oji ori orm osa oss ota oto paa pag pal pam pan pap pau peo per phi phn pli pol pon por pra pro pus qaa-qtz que raj
rap rar roa roh rom rum run rup rus sad sag sah sai sal sam san sas sat scn sco sel sem sga sgn shn sid sin sio sit sla
slo slv sma sme smi smj smn smo sms sna snd snk sog som son sot spa srd srn srp srr ssa ssw suk sun sus sux swa swe syc
syr tah tai tam tat tel tem ter tet tgk tgl tha tib tig tir tiv tkl tlh tli tmh tog ton tpi tsi tsn tso tuk tum tup tur
tut tvl twi tyv udm uga uig ukr umb und urd uzb vai ven vie vol vot wak wal war was wel wen wln wol xal xho yao yap yid
yor ypk zap zbl zen zgh zha znd zul zun zxx zza""".split())

# at-22: check-additional-queryable-parameters (the project lists some twice; reported once each)
ADDITIONAL_QUERYABLES = ['Degree', 'SpecificationTitle', 'SpecificationDate', 'SpecificationDateType', 'AccessConstraints',
                         'OtherConstraints', 'Classification', 'ConditionApplyingToAccessAndUse', 'Lineage',
                         'ResponsiblePartyRole']

GETRECORDS_PARAMS = [("service", SERVICE), ("request", "GetRecords"), ("version", VERSION), ("typeNames", "csw:Record"),
                     ("resultType", "results"), ("outputFormat", "application/xml"), ("outputSchema", GMD),
                     ("elementSetName", "full")]


def filter_body(literal, max_records):
    """The POST body of the project's FILTER steps (verbatim, `gmd:` and `apiso:` prefixes undeclared)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" service="CSW" version="2.0.2" resultType="results" startPosition="1" maxRecords="{max_records}">
  <csw:Query typeNames="csw:Record">
    <csw:ElementSetName typeNames="gmd:MD_Metadata">full</csw:ElementSetName>
    <csw:Constraint version="1.1.0">
      <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">
        <ogc:PropertyIsEqualTo>
          <ogc:PropertyName>apiso:Language</ogc:PropertyName>
          <ogc:Literal>{literal}</ogc:Literal>
        </ogc:PropertyIsEqualTo>
      </ogc:Filter>
    </csw:Constraint>
  </csw:Query>
</csw:GetRecords>
"""


def cql_params(literal, max_records):
    return GETRECORDS_PARAMS + [("maxRecords", str(max_records)), ("constraintLanguage", "CQL_TEXT"),
                                ("constraint_language_version", "1.1.0"), ("constraint", f"language = '{literal}'")]


def parent_is(e, name):
    """GPath `it.parent().name() == name`."""
    p = e.getparent()
    return p is not None and ln(p) == name


def manual(tr):
    """A GroovyScriptAssertion `new Assert(messageExchange, …).exists('//zzzz', tr)`: the Assert constructor fails on
    no data / non-XML / exception reports, else the assertion fails with a TR.manual.* message (PASSED_MANUAL)."""
    def check(r):
        Assert(r)
        raise Fail(tr)  # exists('//zzzz', tr): never there
    return check


def getrecords_language_response(r):
    """check-getrecords-language-response (at-20): one SearchResults child of the root."""
    if not r.body:
        raise Fail("TR.invalidGetRecordsResponse")
    if len(kids(r.xml(), "SearchResults")) != 1:
        raise Fail("TR.invalidGetRecordsResponse")


def run(ctx):
    """ctx: .http, .validator, .base, .project (soapui.Project)."""
    P, http = ctx.project, ctx.http
    endpoint = ctx.base + "/csw?SERVICE=CSW&REQUEST=GetCapabilities"
    caps_params = [("service", SERVICE), ("request", "GetCapabilities"), ("version", VERSION)]

    # ---------------------------------------------------------------- Initialize / initial-testcase
    case = "initial-testcase"
    r0 = http.get(endpoint, caps_params)
    P.http(S_INIT, case, "http-request", r0, [sla(SLA_S), status_in(200), no_exception()])
    try:
        caps = r0.xml()
    except ScriptError as e:
        P.add(S_INIT, case, "set-extended-capabilities-scenario", "failed",
              f"script error (XmlSlurper.parseText fails the same way): {e}")
        skip_all(P, "initial-testcase failed: the GetCapabilities response cannot be read")
        return
    st = {"scenario": None, "getrecords": None, "cql": False, "filter": False}

    def set_scenario():
        ext = [e for e in desc(caps, "ExtendedCapabilities") if parent_is(e, "OperationsMetadata")]
        if not ext:
            raise ScriptError("no ExtendedCapabilities child of OperationsMetadata (ETS: `extendedCapabilities.MetadataUrl` "
                              "on null, a NullPointerException)")
        st["scenario"] = "1" if kids(ext[0], "MetadataUrl") else "2"

    def getrecords_operation():
        ops = [op for op in desc(caps, "Operation")
               if op.get("name") == "GetRecords" and parent_is(op, "OperationsMetadata")]
        if not ops:
            raise ScriptError("no ows:Operation name=\"GetRecords\" under OperationsMetadata (ETS: a NullPointerException)")
        return ops[0]

    def set_getrecords_endpoint():
        op = getrecords_operation()
        ep = endpoint.split("?")[0]
        gets = attr(path(op, "DCP.HTTP.Get"), "xlink:href")
        posts = attr(path(op, "DCP.HTTP.Post"), "xlink:href")
        if gets:
            ep = "".join(gets)  # ETS: several hrefs run together
        elif posts:
            ep = "".join(posts)
        st["getrecords"] = ep

    def set_constraint_language():
        op = getrecords_operation()
        found = [e for e in op.iter() if isinstance(e.tag, str) and e.get("name") == "CONSTRAINTLANGUAGE"]
        if not found:
            raise ScriptError("no element named CONSTRAINTLANGUAGE in the GetRecords operation (ETS: "
                              "`constraintlanguages.Value` on null, a NullPointerException)")
        values = [gtext(v) for v in kids(found[0], "Value")]
        st["cql"] = "CQL_TEXT" in values
        st["filter"] = not st["cql"] and "FILTER" in values

    for step, fn in (("set-extended-capabilities-scenario", set_scenario),
                     ("set-getrecords-endpoint", set_getrecords_endpoint),
                     ("set-constraint-language", set_constraint_language)):
        try:
            fn()
        except ScriptError as e:
            P.add(S_INIT, case, step, "failed", f"script error: {e}")
    gr_ep = st["getrecords"] or endpoint.split("?")[0]
    lang_steps = "cql" if st["cql"] else "filter" if st["filter"] else None
    ext_caps = path(caps, "OperationsMetadata.ExtendedCapabilities")

    # ---------------------------------------------------------------- Discovery_Service_Operations
    case = "at-07-extended-capabilities"

    def check_extended_capabilities():
        ec = ext_caps
        if len(ec) == 0:
            raise Fail("TR.extendedCapabilitiesShallBeProvided")
        if len(ec) > 1:
            raise Fail("TR.multiplicityShallBeOne", element="ExtendedCapabilities")
        scenario = st["scenario"]
        if scenario is None:
            raise ScriptError("extended_capabilities_scenario was not set (initial-testcase failed)")
        sl, rl = kids(ec, "SupportedLanguages"), kids(ec, "ResponseLanguage")
        if scenario == "1":
            if len(kids(ec, "MetadataUrl")) > 1:
                raise Fail("TR.multiplicityShallBeZeroOrOne", element="ExtendedCapabilities/MetadataUrl")
            url = path(ec[0], "MetadataUrl.URL")
            if len(url) != 1:
                raise Fail("TR.multiplicityShallBeOne", element="ExtendedCapabilities/MetadataUrl/URL")
            if len(gtext(url)) == 0:
                raise Fail("TR.valueShallNotBeEmpty", element="ExtendedCapabilities/MetadataUrl")
            if URL_RE.sub("", gtext(url)):
                raise Fail("TR.metadataURLNotWellFormed", url=repr(gtext(url)))
            if len(sl) != 1:
                raise Fail("TR.multiplicityShallBeOne", element="ExtendedCapabilities/SupportedLanguages")
            if len(rl) != 1:
                raise Fail("TR.multiplicityShallBeOne", element="ExtendedCapabilities/ResponseLanguage")
        else:
            url = path(ec[0], "MetadataUrl.URL")
            if len(url) == 1 and URL_RE.sub("", gtext(url)):
                raise Fail("TR.metadataURLNotWellFormed", url=repr(gtext(url)))
            for name, multi in (("ResourceType", "1"), ("SpatialDataServiceType", "1"),
                                ("MandatoryKeyword.KeywordValue", "+"), ("Conformity.Specification", "+"),
                                ("Conformity.Degree", "+"), ("MetadataPointOfContact", "+"), ("MetadataDate", "1"),
                                ("SupportedLanguages", "1"), ("ResponseLanguage", "1")):
                n = len(path(ec[0], name))
                element = "ExtendedCapabilities/" + name.replace(".", "/")
                if multi == "1" and n != 1:
                    raise Fail("TR.multiplicityShallBeOne", element=element)
                if multi == "+" and n == 0:
                    raise Fail("TR.multiplicityShallBeOneOrMore", element=element)
    P.groovy(S_OPS, case, "check-extended-capabilities", check_extended_capabilities)

    def check_other_mandatory_elements():
        if st["scenario"] != "2":
            return
        si = kids(caps, "ServiceIdentification")
        if len(si) != 1:
            raise Fail("TR.multiplicityShallBeOne", element="/Capabilities/ServiceIdentification")
        for name, multi in (("Title", "1"), ("Abstract", "1"), ("Fees", "+"), ("AccessConstraints", "+")):
            n = len(kids(si, name))
            if (multi == "1" and n != 1) or (multi == "+" and n == 0):
                raise Fail("TR.multiplicityShallBeOne" if multi == "1" else "TR.multiplicityShallBeOneOrMore",
                           element=f"/Capabilities/ServiceIdentification/{name}")
        sp = kids(caps, "ServiceProvider")
        if len(sp) != 1:
            raise Fail("TR.multiplicityShallBeOne", element="/Capabilities/ServiceProvider")
        for name in ("ProviderName", "ServiceContact.ContactInfo.Address.ElectronicMailAddress", "ServiceContact.Role"):
            if len(path(sp[0], name)) != 1:
                raise Fail("TR.multiplicityShallBeOne", element="/Capabilities/ServiceProvider/" + name.replace(".", "/"))
    P.groovy(S_OPS, case, "check-other-mandatory-elements", check_other_mandatory_elements)

    case = "at-12-discover-resource-matching-query"
    r12 = http.get(gr_ep, GETRECORDS_PARAMS + [("maxRecords", "10")])
    P.http(S_OPS, case, "http-getrecords", r12, [sla(SLA_GETRECORDS_S), status_in(200), no_exception()])

    def check_getrecords_response():
        root = r12.xml()
        sr = kids(root, "SearchResults")
        children = [c for s in sr for c in s if isinstance(c.tag, str)]
        md = kids(sr, "MD_Metadata")
        if len(md) != len(children):
            raise Fail("TR.invalidGetRecordsResponse",
                       found=", ".join(sorted({ln(c) for c in children if ln(c) != "MD_Metadata"})))
        for rec in children:
            ident = gtext(path(rec, "fileIdentifier.CharacterString"))
            codes = [c.get("codeListValue") for c in path(rec, "hierarchyLevel.MD_ScopeCode")
                     if c.get("codeListValue") is not None]
            mtype = "".join(codes)  # ETS: several hierarchyLevels run together
            if mtype not in ("dataset", "series", "service"):
                raise Fail("TR.recordNotConformantToInspire", identifier=ident,
                           description="The codeListValue attribute of hierarchyLevel/MD_ScopeCode shall be dataset, "
                                       "series or service", found=mtype)
    P.groovy(S_OPS, case, "check-getrecords-response", check_getrecords_response)

    for case, tr in (("at-15-link-publish-metadata-operation", "TR.manual.testManual15"),
                     ("at-16-link-federated-capabilities-document", "TR.manual.testManual16")):
        name = "check-manually-publish-metadata" if "15" in case else "check-manually-federated"
        P.http(S_OPS, case, "manual-check", http.get(endpoint, caps_params), [(name, manual(tr))])

    # ---------------------------------------------------------------- Discovery_Service_Queryable
    P.http(S_QUERY, "at-19-query-search-criteria", "manual-check", http.get(endpoint, caps_params),
           [("check-manually-query-search", manual("TR.manual.testManual19"))])

    case = "at-20-query-language-parameter"

    def check_queryable_parameter_language():
        op = getrecords_operation()
        ok = any(gtext(v) == "Language" for c in kids(op, "Constraint") if c.get("name") == "SupportedISOQueryables"
                 for v in kids(c, "Value"))
        if not ok:
            raise Fail("TR.missingSupportedQueryableValue", value="Language")
    P.groovy(S_QUERY, case, "check-queryable-parameter-language", check_queryable_parameter_language)
    lang_checks = [sla(SLA_S), status_in(200), no_exception(),
                   ("check-getrecords-language-response", getrecords_language_response)]
    if lang_steps == "cql":
        P.http(S_QUERY, case, "http-getrecords-language-cql_text", http.get(gr_ep, cql_params("eng", 10)), lang_checks)
    elif lang_steps == "filter":
        P.http(S_QUERY, case, "http-getrecords-language-filter", http.post(gr_ep, filter_body("eng", 10)), lang_checks)

    P.http(S_QUERY, "at-21-query-additional-parameters", "manual-check", http.get(endpoint, caps_params),
           [("check-manually-query-additional-parameters", manual("TR.manual.testManual21"))])

    def check_additional_queryable_parameters():
        values = [gtext(v) for om in kids(caps, "OperationsMetadata") for op in kids(om, "Operation")
                  for v in desc(op, "Value")
                  if ln(v.getparent()) == "Constraint" and v.getparent().get("name") == "AdditionalQueryables"
                  and v.getparent().getparent() is not None and v.getparent().getparent().get("name") == "GetRecords"]
        missing = [q for q in ADDITIONAL_QUERYABLES if q not in values]
        if missing:
            raise Fail("TR.missingAdditionalQueryableValue", value=", ".join(missing))
    P.groovy(S_QUERY, "at-22-query-parameters-advertised", "check-additional-queryable-parameters",
             check_additional_queryable_parameters)

    # ---------------------------------------------------------------- Language_Requirements
    P.http(S_LANG, "at-24-language-natural-lang-fields", "manual-check", http.get(endpoint, caps_params),
           [("check-manually-natural-language-fields", manual("TR.manual.testManual24"))])

    default_lang = path(caps, "OperationsMetadata.ExtendedCapabilities.SupportedLanguages.DefaultLanguage.Language")
    supported = path(caps, "OperationsMetadata.ExtendedCapabilities.SupportedLanguages.SupportedLanguage.Language")
    response_lang = path(caps, "OperationsMetadata.ExtendedCapabilities.ResponseLanguage.Language")

    def check_language_parameter_iso():
        bad = []
        if gtext(response_lang) not in ISO_LANG:
            bad.append(gtext(response_lang))
        if gtext(default_lang) not in ISO_LANG:
            bad.append(gtext(default_lang))
        bad += [gtext(s) for s in supported if gtext(s) not in ISO_LANG]
        if bad:
            raise Fail("TR.languagesNotISO", language=", ".join(bad))
    P.groovy(S_LANG, "at-25-language-parameter-iso-valid", "check-language-parameter-iso", check_language_parameter_iso)

    languaged_checks = [sla(SLA_S), status_in(200), no_exception()]

    def languaged(runs, lang):
        r = http.get(endpoint, caps_params + [("language", lang)])
        runs.append((f"language={lang or '(empty, left out)'}", r))
        if r.status == 0:
            raise ScriptError(f"no response ({r.error})")
        if "xml" not in r.content_type:
            raise Fail("TR.notXMLResponse", contentType=r.content_type or "(none)")
        return r.xml()

    case = "at-26-language-natural-fields-default"
    runs26 = []

    def check_natural_language_fields():
        title = gtext(path(caps, "ServiceIdentification.Title"))
        abstract = gtext(path(caps, "ServiceIdentification.Abstract"))
        for lang in (gtext(default_lang), "zzz"):
            c = languaged(runs26, lang)
            if title != gtext(path(c, "ServiceIdentification.Title")) or \
                    abstract != gtext(path(c, "ServiceIdentification.Abstract")):
                raise Fail("TR.reponseTitleAbstractShallBeDefault", language=lang)
    P.groovy(S_LANG, case, "check-natural-language-fields", check_natural_language_fields)
    P.runs(S_LANG, case, "http-request-languaged", runs26, languaged_checks)

    case = "at-27-language-response-value"
    runs27 = []

    def check_language_response():
        wrong = "zzz"
        for lang in [gtext(default_lang)] + [gtext(s) for s in supported] + [wrong]:
            c = languaged(runs27, lang)
            got = gtext(path(c, "OperationsMetadata.ExtendedCapabilities.ResponseLanguage.Language"))
            expected = gtext(default_lang) if lang == wrong else lang
            if got != expected:
                raise Fail("TR.responseLanguageDifferentThanRequested", requested=lang, expected=expected,
                           responseLanguage=got)
    P.groovy(S_LANG, case, "check-language-response", check_language_response)
    P.runs(S_LANG, case, "http-request-languaged", runs27, languaged_checks)

    def check_language_cardinality():
        if len(default_lang) != 1:
            raise Fail("TR.multiplicityShallBeOne", element="DefaultLanguage")
    P.groovy(S_LANG, "at-28-language-supported-default-cardinality", "check-language-cardinality",
             check_language_cardinality)

    def schema_valid():
        r = http.get(endpoint, caps_params)
        if r.status == 0:
            raise Fail("TR.invalidSchema", error=f"no response ({r.error})")
        c = r.xml()
        sl = c.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") or ""
        if "inspire_ds.xsd" not in sl:
            raise Fail("TR.invalidSchema", error="Missing schema location reference to inspire_ds.xsd")
        errs = ctx.validator.validate(r)
        if errs:
            raise Fail("TR.invalidSchema", error="; ".join(errs[:10]) + (f" (+{len(errs) - 10} more)" if len(errs) > 10
                                                                        else ""))
    P.groovy(S_LANG, "at-29-extended-capabilities-schema-valid", "schema-valid", schema_valid)

    P.http(S_LANG, "at-30-language-getrecords-without-parameter", "manual-check",
           http.get(endpoint, GETRECORDS_PARAMS + [("maxRecords", "10")]),
           [("check-manually-getrecords-without-parameters", manual("TR.manual.testManual30"))])

    for case, literal, max_records, checks in (
            ("at-31-language-getrecords-lang-filter", "zzz", 10,
             [no_exception(), ("check-manually-language-filter", manual("TR.manual.testManual31"))]),
            ("at-32-language-getrecords-exception", "eng", 1,
             [("check-manually-wrong-exception", manual("TR.manual.testManual32"))])):
        if lang_steps == "cql":
            P.http(S_LANG, case, "manual-check-cql_text", http.get(gr_ep, cql_params(literal, max_records)), checks)
        elif lang_steps == "filter":
            P.http(S_LANG, case, "manual-check-filter", http.post(gr_ep, filter_body(literal, max_records)), checks)
        else:
            P.not_applicable(S_LANG, case, "manual-check", "the GetRecords operation advertises neither CQL_TEXT nor "
                             "FILTER (CONSTRAINTLANGUAGE): the ETS enables none of this case's steps")


CASES = [
    (S_OPS, "at-07-extended-capabilities"), (S_OPS, "at-12-discover-resource-matching-query"),
    (S_OPS, "at-15-link-publish-metadata-operation"), (S_OPS, "at-16-link-federated-capabilities-document"),
    (S_QUERY, "at-19-query-search-criteria"), (S_QUERY, "at-20-query-language-parameter"),
    (S_QUERY, "at-21-query-additional-parameters"), (S_QUERY, "at-22-query-parameters-advertised"),
    (S_LANG, "at-24-language-natural-lang-fields"), (S_LANG, "at-25-language-parameter-iso-valid"),
    (S_LANG, "at-26-language-natural-fields-default"), (S_LANG, "at-27-language-response-value"),
    (S_LANG, "at-28-language-supported-default-cardinality"), (S_LANG, "at-29-extended-capabilities-schema-valid"),
    (S_LANG, "at-30-language-getrecords-without-parameter"), (S_LANG, "at-31-language-getrecords-lang-filter"),
    (S_LANG, "at-32-language-getrecords-exception"),
]


def skip_all(P, reason):
    """Every test case depends on initial-testcase (check-initial-testcase): ETF skips them when it failed."""
    for suite, case in CASES:
        P.add(suite, case, "check-initial-testcase", "skipped", reason)
