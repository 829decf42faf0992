"""The sanitizer (plugins/sanitize): what the renderers produce survives,
every trick of the corpus is removed, URLs are judged as browsers read them."""

from __future__ import annotations

import pickle

import pytest
from xss_scan import scan_html

from plugins.sanitize.csp import content_security_policy, headers_file
from plugins.sanitize.html import sanitize_html
from plugins.sanitize.urls import embed_url, is_allowed_link, is_script_url, scheme_of

HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com"]

# What Python-Markdown (codehilite, toc, footnotes, tables, abbr, def lists)
# and markdown-it-py (GFM: tables, strikethrough, task lists, footnotes,
# anchors) write, and must come out unchanged.
KEPT = [
    '<div class="highlight"><pre><span></span><code><span class="nb">export</span>'
    '<span class="w"> </span><span class="nv">X</span><span class="o">=</span>'
    '<span class="s2">"1"</span>\n</code></pre></div>',
    '<h2 id="why-it-matters">Why it matters<a class="headerlink" '
    'href="#why-it-matters" title="Link to this section">#</a></h2>',
    '<h2 id="x"><a class="header-anchor" href="#x" aria-hidden="true">¶</a> X</h2>',
    '<p>Text<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
    '<div class="footnote"><hr><ol><li id="fn:1"><p>Note.&nbsp;<a '
    'class="footnote-backref" href="#fnref:1" title="Jump back">↩</a></p></li>'
    "</ol></div>",
    '<section class="footnotes"><ol class="footnotes-list"><li id="fn1" '
    'class="footnote-item"><p>n <a href="#fnref1" class="footnote-backref">↩︎</a>'
    "</p></li></ol></section>",
    '<ul class="contains-task-list"><li class="task-list-item">'
    '<input class="task-list-item-checkbox" type="checkbox" disabled="" '
    'checked=""> done</li></ul>',
    "<p><del>gone</del> <s>struck</s> <kbd>Ctrl</kbd> "
    '<abbr title="HyperText Markup Language">HTML</abbr></p>',
    '<figure><img src="{attach}images/graph.png" alt="A graph" width="600" '
    'height="300" loading="lazy" srcset="{attach}images/graph@2x.png 2x">'
    "<figcaption>Lag over a day</figcaption></figure>",
    "<details><summary>More</summary><p>Hidden until opened.</p></details>",
    '<pre tabindex="0" role="region" aria-label="Code">x</pre>',
    '<p><a href="{filename}../2016/01-x.md#part">a</a> <a href="|filename|y.md">b</a>'
    ' <a href="{static}/images/x.png">c</a> <a href="mailto:a@example.com">m</a> '
    '<a href="https://example.com/?a=1&amp;b=2">e</a> <a href="#top">t</a></p>',
    "<dl><dt>term</dt><dd>definition</dd></dl><blockquote><p>quote</p></blockquote>",
    '<p><a name="old-anchor"></a><picture><source srcset="a.webp" type="image/webp">'
    '<img src="a.png" alt="a"></picture></p>',
    '<video src="demo.mp4" poster="demo.png" controls="" width="640"></video>',
    '<iframe src="https://www.youtube-nocookie.com/embed/xyz" title="A talk" '
    'width="560" height="315" allowfullscreen=""></iframe>',
]


@pytest.mark.parametrize("html", KEPT)
def test_what_the_renderers_write_is_kept(html):
    assert sanitize_html(html) == html


def test_table_alignment_becomes_classes_not_styles():
    html = (
        '<table><thead><tr><th style="text-align: right;">n</th><th align="center">'
        'c</th><th style="color: red">x</th></tr></thead><tbody><tr><td class="k" '
        'style="text-align:left">1</td></tr></tbody></table>'
    )
    assert sanitize_html(html) == (
        '<table><thead><tr><th class="align-right">n</th><th class="align-center">'
        'c</th><th>x</th></tr></thead><tbody><tr><td class="k align-left">1</td>'
        "</tr></tbody></table>"
    )


TRICKS = {
    "script": "<script>alert(1)</script>",
    "event handler": "<img src=x onerror=alert(1) alt=x>",
    "details ontoggle": "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "comment <!-->": "<!--> <img src=x onerror=alert(1)> -->",
    "comment <!--->": "<!---> <img src=x onerror=alert(1)> -->",
    "CDATA in HTML": "<![CDATA[ > <img src=x onerror=alert(1)> ]]>",
    "textarea": '<textarea><p title="</textarea><img src=x onerror=alert(1)>">',
    "noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "xmp": '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
    "srcdoc": '<iframe src="https://www.youtube-nocookie.com/embed/x" '
    'srcdoc="<script>alert(1)</script>"></iframe>',
    "iframe host": '<iframe src="https://evil.example\\@www.youtube-nocookie.com/">',
    "iframe javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "svg animate": '<svg><animate attributeName="href" values="javascript:alert(1)"/>'
    "<a><text>x</text></a></svg>",
    "svg set": '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    "mathml href": '<math><mi href="javascript:alert(1)">x</mi></math>',
    "tab in scheme": '<a href="java&#x09;script:alert(1)">x</a>',
    "entity scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "newline entity": '<a href="java&NewLine;script:alert(1)">x</a>',
    "svg data URL": '<a href="data:image/svg+xml;base64,PHN2Zz4=">x</a>',
    "xhtml data URL": '<a href="data:application/xhtml+xml,x">x</a>',
    "srcset": '<img src="a.png" srcset="javascript:alert(1) 2x" alt="">',
    "object": '<object data="javascript:alert(1)"></object>',
    "form": '<form action="javascript:alert(1)"><button>x</button></form>',
    "base": '<base href="javascript:alert(1)//">',
}


@pytest.mark.parametrize("name", TRICKS)
def test_every_trick_is_removed(name):
    html = TRICKS[name]
    assert scan_html(html, name, document=False), "the scan must see the trick"
    clean = sanitize_html(html)
    assert scan_html(clean, name, document=False) == []
    assert "<svg" not in clean and "<math" not in clean


def test_inline_styles_are_dropped():
    html = '<p style="background:url(javascript:alert(1))" class="x">x</p>'
    assert sanitize_html(html) == '<p class="x">x</p>'


def test_a_second_pass_changes_nothing():
    for html in [*KEPT, *TRICKS.values()]:
        once = sanitize_html(html)
        assert sanitize_html(once) == once


@pytest.mark.parametrize(
    ("src", "allowed"),
    [
        ("https://www.youtube-nocookie.com/embed/x", True),
        ("HTTPS://WWW.YOUTUBE-NOCOOKIE.COM/embed/x", True),
        ("https:\\\\www.youtube-nocookie.com\\embed", True),
        (" htt\tps://player.vimeo.com/video/1", True),
        ("https://evil.example\\@www.youtube-nocookie.com/", False),
        ("https://www.youtube-nocookie.com:443@evil.example/", False),
        ("https://user@www.youtube-nocookie.com/", False),
        ("https://www.youtube-nocookie.com:8443/", False),
        ("https://www.youtube-nocookie.com.evil.example/", False),
        ("https://www.youtube-nocookie.com./", False),
        ("http://www.youtube-nocookie.com/", False),
        ("//www.youtube-nocookie.com/embed/x", False),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
    ],
)
def test_embeds_are_judged_as_browsers_parse_urls(src, allowed):
    assert (embed_url(src, HOSTS) is not None) is allowed


def test_an_allowed_embed_is_written_as_the_url_the_browser_loads():
    html = '<iframe src="https:\\\\WWW.youtube-nocookie.com\\embed\\x"></iframe>'
    assert sanitize_html(html) == (
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>'
    )


def test_an_embed_is_granted_only_what_a_player_needs():
    # An author's embed must not hand the camera, microphone or location to
    # a frame, nor send the reader's full URL as the referrer.
    html = (
        '<iframe src="https://www.youtube-nocookie.com/embed/x" allow="camera; '
        "Autoplay; microphone *; encrypted-media; geolocation; fullscreen 'src'; "
        'payment" referrerpolicy="unsafe-url"></iframe>'
        '<iframe src="https://www.youtube-nocookie.com/embed/y" allow="camera" '
        'referrerpolicy=" Strict-Origin-When-Cross-Origin"></iframe>'
    )
    assert sanitize_html(html) == (
        '<iframe src="https://www.youtube-nocookie.com/embed/x" allow="Autoplay; '
        "encrypted-media; fullscreen 'src'\"></iframe>"
        '<iframe src="https://www.youtube-nocookie.com/embed/y" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )


def test_iframe_hosts_come_from_the_content_rules_setting():
    html = '<iframe src="https://video.example/x"></iframe>'
    assert 'src="' not in sanitize_html(html)
    settings = {"CONTENTRULES_IFRAME_HOSTS": ["video.example"]}
    assert 'src="https://video.example/x"' in sanitize_html(html, settings)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("java\tscript:x", "javascript"),
        ("\x01 JAVASCRIPT:x", "javascript"),
        ("java\nscript:x", "javascript"),
        ("{filename}x.md", None),
        ("|filename|x.md", None),
        ("./a:b", None),
        ("mailto:a@example.com", "mailto"),
    ],
)
def test_schemes_are_found_as_browsers_find_them(url, scheme):
    assert scheme_of(url) == scheme


def test_links_and_script_urls():
    assert is_allowed_link("https://x") and is_allowed_link("#a")
    assert not is_allowed_link("ftp://x") and not is_allowed_link("data:image/png,x")
    assert is_script_url("data:image/svg+xml,x") and is_script_url("vbscript:x")
    assert not is_script_url("data:image/png;base64,AAAA")


def test_the_wrapper_pelican_calls_survives_the_content_cache():
    """Pelican's content cache pickles articles with their attributes."""
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from plugins.sanitize import sanitize_content

    settings = dict(DEFAULT_CONFIG)
    article = Article(
        '<p onclick="x()">Hi <a href="{filename}other.md">there</a></p>',
        metadata={"title": "T", "summary": "<p>S<script>x</script></p>"},
        settings=settings,
        source_path="content/a.md",
    )
    sanitize_content(article)
    assert article._content == '<p>Hi <a href="{filename}other.md">there</a></p>'
    assert article.metadata["summary"] == "<p>S</p>"
    copy = pickle.loads(pickle.dumps(article))
    assert copy._update_content('<a href="x" onclick="y">z</a>', "") == (
        '<a href="x">z</a>'
    )


def test_links_pelican_resolves_are_sanitized_again():
    """A linked article's slug or a file name cannot break out of href."""
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from plugins.sanitize import sanitize_content

    settings = {**DEFAULT_CONFIG, "RELATIVE_URLS": False, "PATH": "content"}
    other = Article(
        "x",
        metadata={"title": "O", "slug": "o"},
        settings=settings,
        source_path="content/other.md",
    )
    other.slug = 'o" onmouseover="alert(1)'  # as if set after the check
    context = {"generated_content": {"other.md": other}, "static_content": {}}
    article = Article(
        '<a href="{filename}other.md">o</a>',
        metadata={"title": "T"},
        settings=settings,
        source_path="content/a.md",
        context=context,
    )
    sanitize_content(article)
    html = article.get_content("https://site.example")
    assert scan_html(html, "resolved", document=False) == []
    assert "onmouseover" not in html.split('"')[::2][0]


def _article_in_a_build(tmp_path, html, fact):
    """An article as Pelican makes it in a build whose pre-render stage left
    `fact` (the sanitize plugin's parse fact) on its source."""
    import datetime as dt

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from plugins.core.run import RUN_SETTING, BuildRun
    from plugins.core.source import Sources
    from plugins.sanitize import CLEAN_KEY

    path = tmp_path / "a.md"
    path.write_text("Title: T\n\nbody\n", encoding="utf-8")
    sources = Sources()
    sources.get(path)._cache[CLEAN_KEY] = fact
    run = BuildRun(sources=sources, now=dt.datetime.now(dt.UTC))
    settings = {**DEFAULT_CONFIG, RUN_SETTING: run}
    article = Article(
        html, metadata={"title": "T"}, settings=settings, source_path=str(path)
    )
    return article, sources.get(path)


def test_the_html_cleaned_where_it_was_rendered_is_taken_over(tmp_path):
    from plugins.core.checks import fingerprint
    from plugins.sanitize import CLEAN_KEY, sanitize_content

    raw = '<p onclick="x()">Hi</p>'
    # A marker the sanitizer would never write: proves the fact was used.
    article, source = _article_in_a_build(
        tmp_path, raw, {fingerprint(raw): "<p>cleaned in the worker</p>"}
    )
    sanitize_content(article)
    assert article._content == "<p>cleaned in the worker</p>"
    assert CLEAN_KEY not in source._cache  # taken: not held for the build


def test_html_changed_after_it_was_rendered_is_sanitized_again(tmp_path):
    from plugins.core.checks import fingerprint
    from plugins.sanitize import sanitize_content

    # The fact is for other HTML (a plugin changed it, or an edit in `serve`).
    article, _ = _article_in_a_build(
        tmp_path,
        '<p onclick="x()">Changed<script>alert(1)</script></p>',
        {fingerprint("<p>Before</p>"): "<p>Before</p>"},
    )
    sanitize_content(article)
    assert article._content == "<p>Changed</p>"


def test_the_policy_allows_only_what_the_site_needs():
    policy = content_security_policy()
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "'unsafe-inline'" not in policy and "object-src 'none'" in policy
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in (
        policy
    )
    assert headers_file().startswith("/*\n  Content-Security-Policy: default-src")
