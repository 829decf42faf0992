"""Internal checks on hand-written output folders: theme pages, heads, stylesheets."""

from __future__ import annotations

from plugins.linkcheck.extract import css_urls, parse_srcset
from plugins.linkcheck.internal import internal_findings
from plugins.linkcheck.settings import with_defaults
from plugins.linkcheck.sources import SourceText
from plugins.linkcheck.urls import BAD, EXTERNAL, IGNORED, INTERNAL, classify

SETTINGS = with_defaults({"SITEURL": "https://example.org/blog"})

HEAD = """<!doctype html><html><head>
<link rel="stylesheet" href="{root}theme/site.css">
<link rel="icon" href="{root}favicon.ico">
<link rel="preconnect" href="{root}nowhere/">
<meta property="og:image" content="https://example.org/blog/images/card.png">
</head><body>
"""


def write_site(root, pages):
    for rel, text in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def messages(findings):
    return sorted(f.message for f in findings)


def test_theme_links_are_reported_once_with_the_pages_count(tmp_path):
    write_site(
        tmp_path,
        {
            "index.html": HEAD.format(root="") + '<a href="missing/">x</a>',
            "a/index.html": HEAD.format(root="../") + '<a href="../missing/">x</a>',
            "a/b/index.html": HEAD.format(root="../../")
            + '<a id="here" href="#here">x</a>',
            "theme/site.css": "body { background: url(../images/bg.png) }\n"
            "h1 { background: url('../images/nope.png') }\n",
            "favicon.ico": "",
            "images/bg.png": "",
            "images/card.png": "",
        },
    )
    findings = internal_findings(tmp_path, {}, SETTINGS)
    assert messages(findings) == [
        "a href '../missing/': no file missing/ in the built site (theme: in 2 pages)",
        "css url() '../images/nope.png': no file images/nope.png in the built site"
        " (no Markdown source: the theme or a generated page)",
    ]
    css = next(f for f in findings if "css" in f.message)
    assert (css.path, css.line) == ("theme/site.css", 2)


def test_heads_favicons_and_open_graph_images_are_checked(tmp_path):
    write_site(tmp_path, {"index.html": HEAD.format(root="")})
    found = messages(internal_findings(tmp_path, {}, SETTINGS))
    assert any("favicon.ico" in m for m in found)
    assert any("meta og:image" in m and "images/card.png" in m for m in found)
    assert any("theme/site.css" in m for m in found)
    assert not any("nowhere" in m for m in found)  # preconnect hints are not links


def test_a_page_with_a_source_reports_the_markdown_line(tmp_path):
    source = tmp_path / "post.md"
    source.write_text(
        "Title: x\n\nFirst.\nSee [this](other.html#part) and [that](other.html#part).\n"
    )
    write_site(
        tmp_path / "out",
        {
            "post.html": '<p><a href="other.html#part">this</a>'
            '<a href="other.html#part">that</a><a href="#main">skip</a></p>',
            "other.html": '<h2 id="part2">x</h2>',
        },
    )
    findings = internal_findings(tmp_path / "out", {"post.html": str(source)}, SETTINGS)
    in_source = sorted(
        (f.line, f.column) for f in findings if f.path.endswith("post.md")
    )
    # Two identical links: each maps to its own place on the line.
    assert in_source == [(4, 12), (4, 40)]
    # The theme's "#main" is not in the Markdown: reported at the output page.
    theme = [f for f in findings if f.path == "post.html"]
    assert [(f.line, f.url) for f in theme] == [(1, "#main")]


def test_classify():
    site = "https://example.org/blog"
    assert classify("", site).kind == BAD
    assert classify("  ", site).kind == BAD
    assert classify("file:///etc/passwd", site).kind == BAD
    assert classify("http://localhost:8000/", site).kind == BAD
    assert classify("http://app.localhost/", site).kind == BAD
    assert classify("http://[::1]/", site).kind == BAD
    assert classify("http://0.0.0.0:8000/", site).kind == BAD
    assert classify("{filename}x.md", site).kind == BAD
    assert classify("mailto:a@b.c", site).kind == IGNORED
    assert classify("ftp://ftp.example.org/x", site).kind == IGNORED
    assert classify("https://example.com/x", site).kind == EXTERNAL
    assert classify("//cdn.example.com/x.js", site).kind == EXTERNAL
    # The site's own URL: inside the site, only under its path.
    own = classify("https://example.org/blog/2017/x.html#a", site)
    assert (own.kind, own.path, own.rooted, own.fragment) == (
        INTERNAL,
        "2017/x.html",
        True,
        "a",
    )
    assert classify("https://example.org/other/", site).kind == EXTERNAL
    assert classify("/blog/tags/", site).path == "tags/"
    assert classify("/elsewhere/", site).kind == BAD
    relative = classify("../x.html", site)
    assert (relative.kind, relative.rooted) == (INTERNAL, False)


def test_srcset_and_css_parsing():
    assert parse_srcset("a.png 1x, b,c.png 2x,d.png,, e.png 480w") == [
        "a.png",
        "b,c.png",
        "d.png",
        "e.png",
    ]
    assert css_urls('a{b:url("x.png")}\n@import "y.css";\nc{d:url( z.svg )}') == [
        ("x.png", 1),
        ("z.svg", 3),
        ("y.css", 2),
    ]


def test_source_text_skips_the_header_and_finds_empty_links():
    text = SourceText(
        None, "Title: x\nSummary: see ]()\n\nA [named]() one.\nB []() two.\n"
    )
    assert text.locate("", "named") == [(4, 3)]
    assert text.locate("") == [(4, 9), (5, 4)]
