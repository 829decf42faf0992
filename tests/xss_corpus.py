"""A corpus of script-injection vectors, one article (or page, or person) per
class, and a production build of the real content with them added (helpers
for tests/test_xss_*.py).

`build_with_vectors` builds with publishconf.py through the pipeline, as the
publish does, except for what a test turns off: the content rules (so the
sanitizer alone must hold), or, for the control build, the sanitizer and
Jinja's autoescaping too (so every vector is shown to be live).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import ROOT, article_text

VECTORS: dict[str, dict] = {
    "header-fields": {
        "day": 1,
        "title": 'Hello <details open ontoggle=alert(1)> "world"',
        # A word after the markup: a tag with nothing to make a URL of is
        # refused by the metadata rules (advent/metadata), whatever it holds.
        "tags": "testing, <img src=x onerror=alert(2)>xss",
        "summary": '"><svg onload=alert(3)> <img src=x onerror=alert(4)>',
        # The redirect page of an old address shows the title too.
        "aliases": "/2017/12/old-hello.html",
        "body": "Plain words.\n",
    },
    "people-registry": {
        "day": 2,
        "title": "Written by a registry entry",
        "authors": "eve-example",
        "body": "Plain words.\n",
    },
    "body-raw-html": {
        "day": 3,
        "title": "Raw HTML",
        "body": """\
            <img src=x onerror=alert(1) alt=x>

            <script>alert(2)</script>

            <p onclick=alert(3)>click</p>

            <details open ontoggle=alert(4)><summary>s</summary>d</details>

            <form action="javascript:alert(5)"><button>go</button></form>

            <base href="javascript:alert(6)//">

            <object data="javascript:alert(7)"></object>

            <embed src="javascript:alert(8)">

            <meta http-equiv="refresh" content="0;url=javascript:alert(9)">
            """,
    },
    "comments-and-cdata": {
        "day": 4,
        "title": "Comments and CDATA",
        "body": """\
            <!--> <img src=x onerror=alert(1) alt=x> -->

            <!---> <img src=x onerror=alert(2) alt=x> -->

            <![CDATA[ > <img src=x onerror=alert(3) alt=x> ]]>

            <!-- --!> <img src=x onerror=alert(4) alt=x> -->

            <? > <img src=x onerror=alert(5) alt=x> ?>
            """,
    },
    "raw-text-elements": {
        "day": 5,
        "title": "Raw text elements",
        "body": "\n\n".join(
            f'<{tag}><p title="</{tag}><img src=x onerror=alert({n}) alt=x>"></{tag}>'
            for n, tag in enumerate(
                "textarea xmp noembed title noscript iframe noframes".split(), 1
            )
        )
        + "\n",
    },
    "iframes": {
        "day": 6,
        "title": "Iframes",
        "body": """\
            <iframe src="https://www.youtube-nocookie.com/embed/x" srcdoc="<img src=x onerror=alert(1)>"></iframe>

            <iframe src="https://evil.example\\@www.youtube-nocookie.com/"></iframe>

            <iframe src="javascript:alert(2)"></iframe>

            <iframe src="data:text/html,<script>alert(3)</script>"></iframe>

            <iframe src="https://www.youtube-nocookie.com.evil.example/"></iframe>

            <iframe src="https://user:pw@www.youtube-nocookie.com/"></iframe>
            """,
    },
    "svg-and-mathml": {
        "day": 7,
        "title": "SVG and MathML",
        "body": """\
            <svg><animate attributeName="href" values="javascript:alert(1)" /><a><text x="0" y="20">click</text></a></svg>

            <svg><set attributeName="href" to="javascript:alert(2)" /><a><text>x</text></a></svg>

            <svg onload=alert(3)></svg>

            <svg><script>alert(4)</script></svg>

            <math><mi href="javascript:alert(5)">x</mi></math>

            <svg><foreignObject><img src=x onerror=alert(6)></foreignObject></svg>
            """,
    },
    "url-schemes": {
        "day": 8,
        "title": "URL schemes",
        "body": """\
            <a href="java&#x09;script:alert(1)">a</a>
            <a href="&#106;avascript:alert(2)">b</a>
            <a href="java&NewLine;script:alert(3)">c</a>
            <a href=" javascript:alert(4)">d</a>
            <a href="JaVaScRiPt:alert(5)">e</a>
            <a href="vbscript:msgbox(6)">f</a>
            <a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(7)">g</a>
            <img src=x srcset="javascript:alert(8) 2x" alt=x>
            <blockquote cite="javascript:alert(9)">q</blockquote>
            """,
    },
    "data-urls": {
        "day": 16,
        "title": "Data URLs",
        "body": """\
            <a href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">svg</a>
            <a href="data:application/xhtml+xml,<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(2)</script></html>">xhtml</a>
            <a href="data:text/html,<script>alert(3)</script>">html</a>
            <img src="data:image/svg+xml,<svg onload=alert(4)>" alt=x>
            """,
    },
    "markdown-links": {
        "day": 17,
        "title": "Markdown links",
        "body": """\
            [a](javascript:alert(1)) and <javascript:alert(2)> and
            [b](java&#x09;script:alert(3)) and ![i](javascript:alert(4)) and
            [c][r] and [d](<javascript:alert(6)>) and [e](data:text/html,x)

            [r]: javascript:alert(5)
            """,
    },
    "slugs-and-links": {
        "day": 18,
        "title": "Slugs and intra-site links",
        "slug": 'x"onmouseover="alert(1)',
        "body": "A link to [the other day]({filename}19-slug.md).\n",
    },
    "slug-in-sitemap": {
        "day": 19,
        "title": "A slug in the sitemap",
        "slug": "a<b",
        "body": "A link back to [the day before]({filename}18-slug.md).\n",
    },
}

# Valid for the registry's rules (which refuse markup, script URLs and
# quotes in links): what is left is a quote that ends an attribute.
PERSON = """
[eve-example]
name = "Eve\\" onmouseover=\\"alert(5)"
handle = "eve"
links = ["https://example.com/eve?a=1&b=2"]
bio = "Writes about 'quotes' & \\"ampersands\\"."
"""

PAGE = """\
Title: Evil <img src=x onerror=alert(1)> page
Slug: evil

<script>alert(2)</script> <img src=x onerror=alert(3) alt=x>
"""

# Where each class shows up (output paths, relative to the site).
PAGES = {
    "header-fields": [
        "2017/12/day-1-{slug}.html",
        "2017/12/old-hello.html",
        "index.html",
        "archive/index.html",
    ],
    "people-registry": ["people/eve-example/index.html", "2017/12/day-2-{slug}.html"],
    "page": ["evil/index.html", "index.html"],
}


def vector_file(name: str) -> str:
    """The source path of a class's article, under content/."""
    return f"2017/{VECTORS[name]['day']:02d}-slug.md"


def write_vectors(site) -> None:
    """Add every vector to a copy of the real content (`site`: SiteFixture)."""
    for name, fields in VECTORS.items():
        fields = dict(fields)
        day = fields.pop("day")
        body = textwrap.dedent(fields.pop("body"))
        site.write(
            vector_file(name),
            article_text(
                date=f"2017-12-{day:02d}T00:00:00-05:00",
                day=str(day),
                body=body,
                **fields,
            ),
        )
    people = site.content / "people.toml"
    people.write_text(people.read_text(encoding="utf-8") + PERSON, encoding="utf-8")
    site.write("pages/evil.md", PAGE)


def build_with_vectors(
    site, *, rules=False, sanitizer=True, autoescape=True, siteurl=None
):
    """Build `site` as `invoke build --publish` does (the pipeline, in a fresh
    process, Pagefind included) as of 31 December 2017; return the output
    folder (the build must succeed)."""
    from pelican.settings import read_settings

    from pipeline.site import build_site

    publish = ROOT / "publishconf.py"
    settings = read_settings(str(publish))
    removed = set() if rules else {"plugins.contentrules"}
    if not sanitizer:
        removed.add("plugins.sanitize")
    overrides = {
        "PLUGINS": [p for p in settings["PLUGINS"] if p not in removed],
        "JINJA_ENVIRONMENT": {
            **settings["JINJA_ENVIRONMENT"],
            "autoescape": autoescape,
        },
        # img src=x is a broken link: not what these builds are about.
        "LINKCHECK_INTERNAL_ON_BUILD": False,
    }
    if siteurl:
        overrides["SITEURL"] = siteurl
    result = build_site(
        publish,
        site.output,
        today="2017-12-31",
        content=site.content,
        search=True,
        overrides=overrides,
    )
    assert result.ok, "\n".join(p.as_text() for p in result.problems)
    return Path(site.output)
