"""The content rules see raw HTML as browsers do, check header fields, and
report every trick of the corpus at its path:line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, article_text

from plugins.contentrules.rules import check_text

# The header (article_text) takes lines 1-7, a blank line 8: the body starts at 9.
TRICKS = {
    "comment <!-->": ("<!--> <img src=x onerror=alert(1) alt=x> -->", "event-handler"),
    "comment <!--->": (
        "<!---> <img src=x onerror=alert(1) alt=x> -->",
        "event-handler",
    ),
    "CDATA in HTML": (
        "<![CDATA[ > <img src=x onerror=alert(1) alt=x> ]]>",
        "event-handler",
    ),
    "textarea": (
        '<textarea><p title="</textarea><img src=x onerror=alert(1) alt=x>">',
        "event-handler",
    ),
    "xmp": (
        '<xmp><p title="</xmp><img src=x onerror=alert(1) alt=x>">',
        "event-handler",
    ),
    "noembed": (
        '<noembed><p title="</noembed><img src=x onerror=alert(1) alt=x>">',
        "event-handler",
    ),
    "title": (
        '<title><p title="</title><img src=x onerror=alert(1) alt=x>">',
        "event-handler",
    ),
    "noscript": (
        '<noscript><p title="</noscript><img src=x onerror=alert(1) alt=x>">',
        "event-handler",
    ),
    "noframes": (
        '<noframes><p title="</noframes><img src=x onerror=alert(1) alt=x>">',
        "event-handler",
    ),
    "srcdoc": (
        '<iframe src="https://www.youtube-nocookie.com/embed/x" srcdoc="x"></iframe>',
        "srcdoc",
    ),
    "iframe host": (
        '<iframe src="https://evil.example\\@www.youtube-nocookie.com/"></iframe>',
        "iframe",
    ),
    "svg animate": (
        '<svg><animate attributeName="href" values="javascript:alert(1)" /></svg>',
        "svg-animation",
    ),
    "svg set": (
        '<svg><set attributeName="href" to="javascript:alert(1)" /></svg>',
        "svg-animation",
    ),
    "svg itself": ("<svg><circle r=1 /></svg>", "forbidden-tag"),
    "mathml": ('<math><mi href="javascript:alert(1)">x</mi></math>', "javascript-url"),
    "tab entity": ('<a href="java&#x09;script:alert(1)">x</a>', "javascript-url"),
    "newline entity": (
        '<a href="java&NewLine;script:alert(1)">x</a>',
        "javascript-url",
    ),
    "svg data URL": (
        '<a href="data:image/svg+xml,<svg onload=alert(1)>">x</a>',
        "javascript-url",
    ),
    "xhtml data URL": (
        '<a href="data:application/xhtml+xml,x">x</a>',
        "javascript-url",
    ),
    "srcset": (
        '<img src="a.png" srcset="javascript:alert(1) 2x" alt="a">',
        "javascript-url",
    ),
    "markdown link": ("[x](javascript:alert(1))", "javascript-url"),
    "markdown link with an entity": (
        "[x](java&#x09;script:alert(1))",
        "javascript-url",
    ),
    "autolink": ("<javascript:alert(1)>", "javascript-url"),
    # Reported where the URL is written: the definition (GitHub and the site
    # refuse it, so the link is shown as text).
    "reference link": ("[r]: javascript:alert(1)\n\n[x][r]", "javascript-url"),
}


def found_in(tmp_path, body, **fields):
    path = tmp_path / "2017" / "01-test.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = article_text(body=body, **fields)
    path.write_text(text, encoding="utf-8")
    return [(p.line, p.check) for p in check_text(path, text)]


@pytest.mark.parametrize("name", TRICKS)
def test_every_trick_is_reported_at_its_line(tmp_path, name):
    html, rule = TRICKS[name]
    body = f"Intro.\n\n{html}\n"
    assert (11, f"contentrules/{rule}") in found_in(tmp_path, body)


def test_a_tag_split_over_a_paragraph_is_read_in_its_context(tmp_path):
    body = (
        'Some text <noscript>and\n<p title="</noscript><img src=x onerror=y alt=x>">\n'
    )
    assert (10, "contentrules/event-handler") in found_in(tmp_path, body)


def test_markup_in_text_and_code_is_not_a_tag(tmp_path):
    body = (
        "If a < b and `<script>` in code, or &lt;img onerror&gt; as text.\n\n"
        "<textarea><img src=x onerror=alert(1)></textarea>\n"
    )
    assert found_in(tmp_path, body) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Hello <details open ontoggle=alert(1)> world"),
        ("tags", "testing, <img src=x onerror=alert(1)>"),
        ("summary", "A <b>bold</b> claim"),
        ("editors", "michelle-carroll<!-- x -->"),
    ],
)
def test_header_fields_are_plain_text(tmp_path, field, value):
    line = {"title": 1, "tags": 6, "summary": 7, "editors": 5}[field]
    found = found_in(tmp_path, "Body.\n", **{field: value})
    assert found == [(line, "contentrules/header-markup")]


def test_a_less_than_sign_in_a_title_is_fine(tmp_path):
    assert found_in(tmp_path, "Body.\n", title="When p < 0.05 & n <= 3") == []


def test_a_slug_must_be_plain(tmp_path):
    found = found_in(tmp_path, "Body.\n", slug='x"onmouseover="alert(1)')
    assert found == [(8, "contentrules/slug")]


def test_a_production_build_reports_header_markup_at_its_line(site):
    site.write(
        "2017/16-bad.md",
        article_text(
            title="Hello <details open ontoggle=alert(1)> world",
            date="2017-12-16T00:00:00-05:00",
            day="16",
        ),
    )
    result = site.build(settings="publishconf.py", today="2017-12-31")
    assert result.returncode == 1
    assert "2017/16-bad.md:1: error [contentrules/header-markup]" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_rendered_checks_see_the_raw_rendering_and_the_site_the_sanitized_one():
    """The pipeline connects its rendered-stage receiver before Pelican starts;
    the sanitizer connects its own once every plugin is registered, so it runs
    after: the rendered checks report the author's raw HTML, and everything
    else (templates, feeds, search) reads the sanitized HTML."""
    code = """
from pelican import Pelican, signals
from pelican.contents import Article
from pelican.settings import read_settings

seen = []
def rendered_check(instance):
    seen.append(instance._content)
signals.content_object_init.connect(rendered_check)
settings = read_settings("pelicanconf.py")
pelican = Pelican(settings)
article = Article('<p onclick="x()">Hi</p>', metadata={"title": "T"},
                  settings=settings, source_path="content/2017/09-x.md")
print(seen)
print(article._content)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['<p onclick=\"x()\">Hi</p>']",
        "<p>Hi</p>",
    ]


def test_links_the_sanitizer_removes_are_reported(tmp_path):
    body = '[call](tel:+15555550100) and <a href="file:///etc/hosts">f</a>\n'
    assert found_in(tmp_path, body) == [
        (9, "contentrules/link-scheme"),
        (9, "contentrules/link-scheme"),
    ]


def test_style_attributes_are_a_warning(tmp_path):
    path = tmp_path / "2017" / "01-test.md"
    path.parent.mkdir(parents=True)
    text = article_text(body='<p style="color: red">x</p>\n')
    found = check_text(path, text)
    assert [(p.line, p.check, p.severity) for p in found] == [
        (9, "contentrules/style", "warning")
    ]
