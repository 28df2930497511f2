#!/usr/bin/env python3
"""Seeds the fuzz corpora (fuzz/corpus/<target>/) from real inputs in the
repository: the literals of the parsers' unit tests and of the interop
tests, the OGC examples under schemas/, and the first KB of the delivered
TIFFs under data/. Files are named by their SHA-1, as libFuzzer names its
own, so running this again adds nothing that is already there.

Run once when a target is added; `cargo fuzz cmin` then keeps only the
inputs that reach new code. Usage: python3 fuzz/seeds.py
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
import struct
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
# Seeds are kept small: a large one only slows every mutation of it.
MAX_SEED = 16 * 1024

seeds: dict[str, set[bytes]] = {}


def add(target: str, data: str | bytes) -> None:
    b = data.encode() if isinstance(data, str) else data
    if 0 < len(b) <= MAX_SEED:
        seeds.setdefault(target, set()).add(b)


# ------------------------------------------------------------ Rust tests

RUST_STR = re.compile(r'r(#+)"(.*?)"\1|"((?:[^"\\]|\\.)*)"', re.S)


def rust_unescape(s: str) -> str:
    # Only the escapes the tests use; a line continuation drops the
    # newline and the next line's indentation, as rustc does.
    s = re.sub(r"\\\n\s*", "", s)
    return re.sub(
        r"\\(u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)",
        lambda m: {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}.get(
            m.group(1),
            chr(int(m.group(1)[2:-1], 16)) if m.group(1).startswith("u{")
            else chr(int(m.group(1)[1:], 16)) if m.group(1).startswith("x") else m.group(0),
        ),
        s,
    )


def rust_test_strings(path: str) -> list[str]:
    text = (ROOT / path).read_text()
    tests = text[text.find("#[cfg(test)]"):]
    out = []
    for m in RUST_STR.finditer(tests):
        out.append(m.group(2) if m.group(2) is not None else rust_unescape(m.group(3)))
    return out


# ---------------------------------------------------------- Python tests

def python_literals(path: Path) -> tuple[list[str], list[object]]:
    """Every string constant, and every dict or list literal that reads as
    a value (JSON-able), of a test module."""
    tree = ast.parse(path.read_text())
    strings, values = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append(node.value)
        elif isinstance(node, (ast.Dict, ast.List)):
            try:
                values.append(ast.literal_eval(node))
            except ValueError:
                pass
    return strings, values


def looks_like_cql2_text(s: str) -> bool:
    return (
        len(s) < 400
        and not s.lstrip().startswith(("<", "{", "/", "http"))
        and re.search(r"(=|<|>| LIKE | IN ?\(| BETWEEN | IS NULL|S_[A-Z]+\(|CASEI\()", s, re.I)
        is not None
    )


def fes_to_11(doc: str) -> str:
    """A FES 2.0 filter written as FES 1.1 (the ogc namespace, PropertyName,
    GML 3.1.1): what WFS 1.1 clients send for the same question."""
    return (
        doc.replace("http://www.opengis.net/fes/2.0", "http://www.opengis.net/ogc")
        .replace("http://www.opengis.net/gml/3.2", "http://www.opengis.net/gml")
        .replace("fes:", "ogc:")
        .replace("xmlns:fes", "xmlns:ogc")
        .replace("ValueReference", "PropertyName")
        .replace("ResourceId rid=", "GmlObjectId gml:id=")
    )


def main() -> None:
    # FES: the unit tests, the OGC's own FES 2.0 examples, and each seen
    # as FES 1.1 too.
    fes = [s for s in rust_test_strings("crates/geocentre-filter/src/fes.rs") if "<" in s]
    for f in sorted((ROOT / "schemas/ogc/filter/2.0/examples").rglob("*.xml")):
        fes.append(f.read_text(errors="replace"))
    for s in fes:
        if "opengis.net/ogc" in s or "ogc:" in s:
            add("fes11", s)
        else:
            add("fes20", s)
            add("fes11", fes_to_11(s))

    # WFS POST bodies: the unit tests and the OGC's WFS 2.0 request examples.
    for s in rust_test_strings("crates/geocentre-ogc/src/wfs_xml.rs"):
        if s.lstrip().startswith("<"):
            add("wfs_post", s)
            add("fes11" if "version=\"1.1.0\"" in s else "fes20", s)
    ex = ROOT / "schemas/ogc/wfs/2.0/examples"
    for f in sorted(ex.rglob("*.xml")):
        name = f.name
        if "_Res" in name or "Response" in name or "Instance" in name or f.parent.name == "Common":
            continue
        if name.startswith(("RoadGeocurve", "SampleData")):
            continue
        add("wfs_post", f.read_text(errors="replace"))
    for s in rust_test_strings("crates/geocentre-ogc/src/xml_tree.rs"):
        add("wfs_post", s)

    # CQL2: the unit tests of both languages and the interop tests.
    for s in rust_test_strings("crates/geocentre-filter/src/cql2_text.rs"):
        if s.lstrip().startswith("{"):
            add("cql2_json", s)
        elif looks_like_cql2_text(s):
            add("cql2_text", s)
    for s in rust_test_strings("crates/geocentre-filter/src/expr.rs"):
        if s.lstrip().startswith("{"):
            add("cql2_json", s)
    for p in sorted((ROOT / "tests/interop").glob("test_*.py")):
        strings, values = python_literals(p)
        for s in strings:
            if looks_like_cql2_text(s):
                add("cql2_text", s)
            if s.lstrip().startswith("{\"op\""):
                add("cql2_json", s)
            if "<ogc:" in s or "<fes:" in s:
                add("fes11" if "<ogc:" in s else "fes20", s)
        for v in values:
            if isinstance(v, dict) and "op" in v:
                add("cql2_json", json.dumps(v))
            # Query dictionaries of the interop tests: KVP requests.
            if isinstance(v, dict) and any(k.upper() in ("SERVICE", "REQUEST") for k in v if isinstance(k, str)):
                if all(isinstance(x, str) for x in v.values()):
                    add("kvp", urllib.parse.urlencode(v))
        for s in strings:
            m = re.match(r"/(wms|wmts|wfs)\?(.+)$", s)
            if m and "{" not in s:
                add("kvp", m.group(2))

    # KVP: the WFS 2.0 standard's examples (URLs broken over lines, not
    # escaped), and the requests the interop tests make.
    lines = (ex / "KVP/kvp.txt").read_text(errors="replace").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("http://www.someserver.example.com/wfs.cgi"):
            parts = []
            i += 1
            while i < len(lines) and lines[i].startswith(" "):
                parts.append(lines[i].strip())
                i += 1
            query = "".join(parts)
            pairs = [p.split("=", 1) for p in query.split("&") if "=" in p]
            add("kvp", urllib.parse.urlencode([(k, v) for k, v in pairs]))
        else:
            i += 1
    for q in [
        "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=ign&STYLES=&CRS=EPSG:2154"
        "&BBOX=619000,6692000,620000,6693000&WIDTH=256&HEIGHT=256&FORMAT=image/png",
        "SERVICE=WMS&VERSION=1.1.1&REQUEST=GetFeatureInfo&LAYERS=ign&QUERY_LAYERS=ign&SRS=EPSG:4326"
        "&BBOX=1.9,47.8,2.0,47.9&WIDTH=101&HEIGHT=101&X=50&Y=50&INFO_FORMAT=application/json&TIME=2021",
        "SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=ign&STYLE=default&TILEMATRIXSET=PM"
        "&TILEMATRIX=15&TILEROW=11500&TILECOL=16600&FORMAT=image/jpeg",
        "SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=gc:admin.communes&SRSNAME=urn:x-ogc:def:crs:EPSG:4326"
        "&OUTPUTFORMAT=text/xml;%20subtype=gml/3.1.1&MAXFEATURES=5&BBOX=47.8,1.9,47.9,2.0,urn:ogc:def:crs:EPSG::4326",
    ]:
        add("kvp", q)

    # SLD/SE: the unit tests and the OGC's SLD 1.1 and SE 1.1 examples.
    for s in rust_test_strings("crates/geocentre-carto/src/sld.rs"):
        if s.lstrip().startswith("<"):
            add("sld", s)
    for f in sorted((ROOT / "schemas/ogc/se/1.1.0").glob("example-*.xml")):
        add("sld", f.read_text(errors="replace"))
    add("sld", (ROOT / "schemas/ogc/sld/1.1.0/example-sld.xml").read_text(errors="replace"))

    # COG headers: the first KB of each delivered TIFF (striped: the
    # reader refuses them, after reading every tag), and chunk COG headers
    # as our ingest writes them, made here: classic and BigTIFF, both
    # byte orders, an image and its mask with JPEG tables.
    for f in sorted((ROOT / "data").rglob("*.tif")):
        add("cog_header", f.read_bytes()[:1024])
    for le in (True, False):
        for big in (False, True):
            add("cog_header", synthetic_cog(le, big))

    for target, items in sorted(seeds.items()):
        d = CORPUS / target
        d.mkdir(parents=True, exist_ok=True)
        new = 0
        for b in sorted(items):
            p = d / hashlib.sha1(b).hexdigest()
            if not p.exists():
                p.write_bytes(b)
                new += 1
        print(f"{target}: {len(items)} seeds, {new} new")


def synthetic_cog(le: bool, big: bool) -> bytes:
    """A header of two tiled IFDs, 512x512 in 256x256 tiles: a JPEG image
    with JPEGTables, then its mask (NewSubfileType 4, deflate)."""
    e = "<" if le else ">"
    entry_fmt = e + ("HHQQ" if big else "HHII")
    head = (b"II" if le else b"MM") + (
        struct.pack(e + "HHHQ", 43, 8, 0, 16) if big else struct.pack(e + "HI", 42, 8)
    )
    tables = bytes([0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 1, 2, 0xFF, 0xD9])
    body = bytearray(head)

    def ifd(tags: list[tuple[int, int, int, bytes | int]], last: bool) -> None:
        count_fmt, n_size, off_size = (e + "Q", 8, 8) if big else (e + "H", 2, 4)
        inline = 8 if big else 4
        start = len(body)
        size = n_size + len(tags) * (20 if big else 12) + off_size
        extra = bytearray()
        entries = bytearray()
        for tag, typ, count, value in tags:
            if isinstance(value, bytes) and len(value) > inline:
                ptr = start + size + len(extra)
                extra += value
                entries += struct.pack(entry_fmt, tag, typ, count, ptr)
            elif isinstance(value, bytes):
                entries += struct.pack(e + "HH" + ("Q" if big else "I"), tag, typ, count) + value.ljust(inline, b"\0")
            else:
                fmt = {3: "H", 4: "I", 16: "Q"}[typ]
                entries += struct.pack(e + "HH" + ("Q" if big else "I"), tag, typ, count) + struct.pack(
                    e + fmt, value).ljust(inline, b"\0")
        nxt = 0 if last else start + size + len(extra)
        body.extend(struct.pack(count_fmt, len(tags)) + entries + struct.pack(e + ("Q" if big else "I"), nxt)
                    + extra)

    lt = 16 if big else 4
    arr = lambda vals: b"".join(struct.pack(e + ("Q" if big else "I"), v) for v in vals)  # noqa: E731
    ifd([(256, 3, 1, 512), (257, 3, 1, 512), (259, 3, 1, 7), (322, 3, 1, 256), (323, 3, 1, 256),
         (324, lt, 4, arr([4096, 8192, 0, 12288])), (325, lt, 4, arr([100, 200, 0, 300])),
         (347, 7, len(tables), tables)], last=False)
    ifd([(254, 4, 1, 4), (256, 3, 1, 512), (257, 3, 1, 512), (259, 3, 1, 8), (322, 3, 1, 256),
         (323, 3, 1, 256), (324, lt, 4, arr([16384, 0, 0, 16400])), (325, lt, 4, arr([16, 0, 0, 16]))],
        last=True)
    return bytes(body)


if __name__ == "__main__":
    main()
