"""feeds.html.absolutize rewrites only URL attribute values, finds markup as
browsers do, and runs once per article however many feeds carry it."""

from __future__ import annotations

from bs4 import BeautifulSoup

from plugins.feeds.html import URL_ATTRIBUTES, absolute_srcset, absolute_url, absolutize
from plugins.feeds.model import Feed, FeedIndex

PAGE = "https://sysadvent.example.org/2017/12/day-3-x.html"
SITE = "https://sysadvent.example.org"


def tree_reference(html: str, base: str) -> str:
    """The same job done on a full parse tree (the plugin's former code)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        for name in URL_ATTRIBUTES:
            if isinstance(element.get(name), str):
                element[name] = absolute_url(element[name], base)
        if isinstance(element.get("srcset"), str):
            element["srcset"] = absolute_srcset(element["srcset"], base)
    return str(soup)


def shape(html: str):
    """Elements, attributes and text of a fragment, as a parser sees them."""
    soup = BeautifulSoup(html, "html.parser")
    elements = [
        (e.name, sorted((k, str(v)) for k, v in e.attrs.items()))
        for e in soup.find_all(True)
    ]
    return elements, soup.get_text()


def test_only_url_values_change_and_every_other_byte_is_kept():
    html = (
        "<p class='lead'  id=x>Don&rsquo;t &quot;panic&quot;<br>\n"
        '<A HREF=notes.html TITLE="a &gt; b">notes</A> '
        "<img alt='it&#39;s' src = 'i.png' width=10/>"
        '<a href="https://other.example/x?y=1&amp;z=2">kept as written</a></p>'
    )
    out = absolutize(html, PAGE)
    assert out == (
        "<p class='lead'  id=x>Don&rsquo;t &quot;panic&quot;<br>\n"
        f'<A HREF="{SITE}/2017/12/notes.html" TITLE="a &gt; b">notes</A> '
        f"<img alt='it&#39;s' src = \"{SITE}/2017/12/i.png\" width=10/>"
        '<a href="https://other.example/x?y=1&amp;z=2">kept as written</a></p>'
    )


def test_text_comments_and_raw_text_elements_are_not_markup():
    html = (
        '<pre><code>&lt;a href="code.html"&gt;</code></pre>'
        '<!-- <a href="comment.html"> --><!--><a href="after-empty-comment.html">'
        '<script src="s.js">document.write(\'<img src="in-script.png">\')</script>'
        '<style>a { background: url("in-style.png") }</style>'
        '<textarea><a href="in-textarea.html"></textarea>'
        '<svg><![CDATA[ <a href="cdata.html"> ]]></svg>'
        '<noscript><img src="lazy.png"></noscript>'
        '<p>1 < 2 and <a href="#end">end</a></p>'
    )
    out = absolutize(html, PAGE)
    for untouched in (
        '&lt;a href="code.html"&gt;',
        '<!-- <a href="comment.html"> -->',
        '<img src="in-script.png">',
        'url("in-style.png")',
        '<a href="in-textarea.html">',
        '<a href="cdata.html">',
    ):
        assert untouched in out
    assert f'<a href="{SITE}/2017/12/after-empty-comment.html">' in out
    assert f'<script src="{SITE}/2017/12/s.js">' in out
    assert f'<img src="{SITE}/2017/12/lazy.png">' in out
    assert f'<p>1 < 2 and <a href="{PAGE}#end">end</a></p>' in out


def test_character_references_in_urls_follow_the_attribute_rules():
    html = (
        '<a href="search?a=1&amp;b=2">amp</a>'
        '<a href="search?q=1&copy=2">not a reference before "="</a>'
        '<a href="search?q=&#x31;">numeric</a>'
        '<a href="say&quot;hi&quot;.html">quote</a>'
    )
    out = absolutize(html, PAGE)
    assert f'href="{SITE}/2017/12/search?a=1&amp;b=2"' in out
    assert f'href="{SITE}/2017/12/search?q=1&amp;copy=2"' in out
    assert f'href="{SITE}/2017/12/search?q=1"' in out
    assert f'href="{SITE}/2017/12/say&quot;hi&quot;.html"' in out


def test_agrees_with_a_full_parser_on_an_article_like_fragment():
    html = (
        '<h2 id="setup">Setup</h2><p>See <a href="{filename}x.md">x</a>, '
        '<a href="../../about/">about</a> and <a href="mailto:a@b.c">mail</a>.</p>'
        '<figure><picture><source srcset="a.webp 1x, /b.webp 2x" type="image/webp">'
        '<img src="a.png" alt="A &amp; B"></picture>'
        '<figcaption><cite><q cite="quote.html">q</q></cite></figcaption></figure>'
        '<video poster="p.jpg" controls><source src="v.mp4"></video>'
        '<div class="highlight"><pre><span></span><span class="n">x</span>'
        '<span class="o">=</span><span class="s2">&quot;&lt;a href=y&gt;&quot;</span>'
        "\n</pre></div><ul><li><a href=#setup>back</a></li></ul>"
    )
    out = absolutize(html, PAGE)
    assert shape(out) == shape(tree_reference(html, PAGE))
    assert 'href="mailto:a@b.c"' in out
    assert f'href="{PAGE}#setup"' in out


def test_an_unclosed_tag_at_the_end_is_left_as_it_is():
    html = '<p><a href="x.html">x</a></p><a ' + "b " * 20000
    out = absolutize(html, PAGE)
    assert out.endswith("<a " + "b " * 20000)
    assert f'<a href="{SITE}/2017/12/x.html">' in out


def test_each_article_is_made_into_an_entry_once_whatever_its_feeds():
    articles = [object(), object(), object()]
    site = Feed("site", "all", "T", "D", "u", articles=articles)
    seasons = [Feed("season", "2017", "T", "D", "u", articles=articles[:2])]
    people = [
        Feed("person", f"people/{n}", "T", "D", "u", articles=articles)
        for n in ("a", "b")
    ]
    tags = [Feed("tag", "tags/t", "T", "D", "u", articles=articles[1:])]
    index = FeedIndex("feeds", ("atom",), site, seasons, people, tags)
    made = []
    index.fill_entries(lambda article, full: made.append(article) or len(made))
    assert made == articles
    assert [f.entries for f in index.all()] == [
        [1, 2, 3],
        [1, 2],
        [1, 2, 3],
        [1, 2, 3],
        [2, 3],
    ]
