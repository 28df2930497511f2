"""The viewer page (/): its files are consistent with each other and served as is.

Static checks need no browser: every string the page shows has a French and an
English text, every element the script looks up exists in the page, nothing is
fetched from outside the server. The served copy must be the one on disk (the
files are compiled into the binary: a stale build fails here).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "crates" / "geocentre-server" / "assets"


def _read(name):
    return (ASSETS / name).read_text(encoding="utf-8")


def _i18n_block(js, lang, next_marker):
    start = js.index(f"\n    {lang}: {{")
    end = js.index(next_marker, start)
    return set(re.findall(r"^ {6}(\w+):", js[start:end], flags=re.M))


@pytest.fixture(scope="module")
def i18n():
    js = _read("viewer.js")
    fr = _i18n_block(js, "fr", "\n    en: {")
    en = _i18n_block(js, "en", "\n  };")
    return fr, en


def test_every_string_has_french_and_english(i18n):
    fr, en = i18n
    assert fr, "no French strings found in viewer.js"
    assert fr == en, f"only in fr: {sorted(fr - en)}; only in en: {sorted(en - fr)}"


def test_every_key_used_is_translated(i18n):
    fr, _ = i18n
    html = _read("index.html")
    js = _read("viewer.js")
    used = set(re.findall(r'data-i18n(?:-aria-label)?="(\w+)"', html))
    used |= set(re.findall(r"\bt\('(\w+)'", js))
    used |= set(re.findall(r"\b(?:key|detailKey): '(\w+)'", js))
    for pair in re.findall(r"plural\([^,]+, '(\w+)', '(\w+)'\)", js):
        used |= set(pair)
    missing = sorted(used - fr)
    assert not missing, f"keys used but not in the strings table: {missing}"


def test_elements_looked_up_exist():
    html = _read("index.html")
    js = _read("viewer.js")
    ids = set(re.findall(r'\bid="([\w-]+)"', html))
    wanted = set(re.findall(r"getElementById\('([\w-]+)'\)", js))
    assert wanted, "viewer.js looks nothing up?"
    assert not sorted(wanted - ids), f"ids missing from index.html: {sorted(wanted - ids)}"
    for cls in re.findall(r"querySelector\('\.([\w-]+)'\)", js):
        assert re.search(rf'class="[^"]*\b{re.escape(cls)}\b', html), f"no .{cls} in index.html"


def test_no_external_resource():
    for name in ("index.html", "viewer.js", "viewer.css"):
        hits = re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s'\"<)]*", _read(name))
        assert not hits, f"{name} refers to outside resources: {hits[:5]}"


def test_viewer_script_parses():
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, ("Node.js is not installed: `node --check` parses viewer.js. Install it with "
                  "`scripts/install-deps.sh --test` (Debian package nodejs); this test never skips.")
    p = subprocess.run([node, "--check", str(ASSETS / "viewer.js")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_node_check_rejects_a_broken_script(tmp_path):
    """Control: `node --check` does fail on a script that does not parse (so the
    check above can fail): viewer.js with one closing brace removed at the end."""
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is not installed (scripts/install-deps.sh --test installs nodejs)"
    js = _read("viewer.js")
    cut = js.rstrip()
    i = cut.rfind("}")
    assert i > 0, "viewer.js has no closing brace?"
    broken = tmp_path / "viewer-broken.js"
    broken.write_text(cut[:i] + cut[i + 1:] + "\n", encoding="utf-8")
    p = subprocess.run([node, "--check", str(broken)], capture_output=True, text=True)
    assert p.returncode != 0, "node --check accepted viewer.js with a brace removed"
    assert "SyntaxError" in p.stderr, p.stderr


@pytest.mark.parametrize("path,name", [
    ("/", "index.html"),
    ("/assets/viewer.js", "viewer.js"),
    ("/assets/viewer.css", "viewer.css"),
])
def test_served_assets_are_current(env, path, name):
    r = env.server.get(path)
    assert r.status_code == 200, r.text[:300]
    assert r.content == (ASSETS / name).read_bytes(), \
        f"{path} differs from {name} on disk: rebuild the binary"
