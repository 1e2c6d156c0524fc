"""hckg_web.render.templates: every page is a Jinja2 template extending base.html, with escaping on (issue 18)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from hckg_web.render.templates import TEMPLATES_DIR, local_href, render

WEB = Path(__file__).resolve().parents[1] / "hckg_web"
SVG_BUILDERS = {"render/svg.py", "render/svg_map.py", "render/svg_network.py", "render/charts.py"}
PARTIALS = {"base.html", "macros.html", "editor_form.html", "community_section.html"}
HTML_TAG = re.compile(r"</?(a|p|table|thead|tbody|tr|td|th|div|span|h[1-6]|ul|li|form|select|option|input|label|"
                      r"strong|em|code|pre|section|figure|details|html|body|main|header|script|style|br)\b")


def python_strings(path: Path) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in tokens if t.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1))]


def test_no_html_is_built_in_python_outside_the_svg_builders():
    found = [f"{path.relative_to(WEB)}:{line}: {text[:60]}"
             for path in sorted(WEB.rglob("*.py")) if str(path.relative_to(WEB)) not in SVG_BUILDERS
             for line, text in python_strings(path) if HTML_TAG.search(text)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES_DIR.glob("*.html") if p.name not in PARTIALS))
def test_every_page_extends_the_one_base_layout(template: str):
    assert (TEMPLATES_DIR / template).read_text(encoding="utf-8").startswith('{% extends "base.html" %}')


def test_values_are_escaped_in_pages():
    page = render("error.html", title="<b>x</b>", error="<script>alert(1)</script>", base_iri="https://w3id.org/hckg/")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;b&gt;x&lt;/b&gt; · HCKG</title>" in page


@pytest.mark.parametrize("iri, href", [
    ("https://w3id.org/hckg/id/province/PV21", "/id/province/PV21"),
    ("https://w3id.org/hckg/def#Province", "/def#Province"),
    ("https://www.wikidata.org/wiki/Q701", "https://www.wikidata.org/wiki/Q701"),
])
def test_data_iris_link_to_the_servers_own_pages(iri: str, href: str):
    assert local_href(iri, "https://w3id.org/hckg/") == href


def test_without_make_vendor_the_editor_is_the_plain_form_and_docs_say_how_to_install(settings, store, monkeypatch,
                                                                                        tmp_path: Path):
    """A bare `pip install` has no static/vendor/: the pages still work and name the fix."""
    import warnings

    import hckg_web.render.templates as templates
    from hckg_web import create_app

    monkeypatch.setattr(templates, "VENDOR_DIR", tmp_path / "no-vendor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

        with TestClient(create_app(settings)) as client:
            editor = client.get("/editor").text
            assert "<textarea" in editor and "yasgui.min.js" not in editor and "<code>make vendor</code>" in editor
            docs = client.get("/docs")
            assert docs.status_code == 503 and "`make vendor`" in docs.text
