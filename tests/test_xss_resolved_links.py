"""Intra-site links resolved into sanitized HTML (plugins/sanitize/links.py):
a body whose links all resolve to plain URLs is not sanitized a second time,
and comes out exactly as the second pass would make it; any other
resolution is sanitized again, so a URL made from an author's header can
never leave its attribute."""

from __future__ import annotations

import datetime

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from xss_scan import scan_html

import plugins.sanitize as sanitize
from plugins.sanitize.html import sanitize_html
from plugins.sanitize.links import is_plain_url, resolve_links

SITEURL = "https://sysadvent.example.org"
DATE = datetime.datetime(2017, 12, 1)

PLAIN = [
    '<p>See <a href="{filename}other.md">the other one</a>.</p>',
    '<p><a href="{filename}other.md#why-it-matters">why</a> and '
    '<a href="{filename}/2017/other.md">rooted</a></p>',
    # Pelican resolves one placeholder a tag (its pattern is greedy).
    '<p><video src="{filename}other.md" poster="{filename}other.md"></video></p>',
    # Inside another attribute's value, between single quotes.
    '<p><a title="see src=\'{filename}other.md\'" href="#x">x</a></p>',
    "<p>No link at all.</p>",
]
NOT_PLAIN = [
    # A query with an entity: not plain, sanitized again.
    '<p><a href="{filename}other.md?a=1&amp;b=2">q</a></p>',
    # Unresolvable: Pelican leaves the placeholder.
    '<p><a href="{filename}missing.md">gone</a></p>',
    # The linked article's URL is an author's header: it tries to leave the
    # attribute.
    '<p><a href="{filename}evil.md">evil</a></p>',
]


def _settings() -> dict:
    return {**DEFAULT_CONFIG, "PATH": "/content", "SITEURL": SITEURL}


def _context(settings) -> dict:
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": SITEURL}
    for name, extra in [
        ("other", {}),
        ("evil", {"url": 'x" onmouseover="alert(1)" y="'}),
    ]:
        context["generated_content"][f"2017/{name}.md"] = Article(
            "<p>x</p>",
            metadata={"title": name, "slug": name, "date": DATE, **extra},
            settings=settings,
            source_path=f"/content/2017/{name}.md",
            context=context,
        )
    return context


def _article(body: str) -> Article:
    settings = _settings()
    article = Article(
        body,
        metadata={"title": "This", "slug": "this", "date": DATE},
        settings=settings,
        source_path="/content/2017/this.md",
        context=_context(settings),
    )
    sanitize.sanitize_content(article)
    return article


def _second_pass_calls(monkeypatch) -> list:
    calls = []

    def counting(html, settings=None):
        calls.append(html)
        return sanitize_html(html, settings)

    monkeypatch.setattr(sanitize, "sanitize_html", counting)
    return calls


@pytest.mark.parametrize("body", PLAIN + NOT_PLAIN)
def test_resolution_is_pelicans_own(body):
    article = _article(body)
    clean = article._content
    assert resolve_links(article, clean, SITEURL)[0] == Article._update_content(
        article, clean, SITEURL
    )


@pytest.mark.parametrize("body", PLAIN + NOT_PLAIN)
def test_the_content_is_what_a_second_sanitizer_pass_makes(body):
    article = _article(body)
    resolved = Article._update_content(article, article._content, SITEURL)
    assert article.content == sanitize_html(resolved)
    assert scan_html(article.content, "this.md", document=False) == []


@pytest.mark.parametrize("body", PLAIN)
def test_plain_resolutions_skip_the_second_pass(body, monkeypatch):
    article = _article(body)
    calls = _second_pass_calls(monkeypatch)
    assert resolve_links(article, article._content, SITEURL)[1] is True
    assert article.content
    assert calls == []


@pytest.mark.parametrize("body", NOT_PLAIN)
def test_other_resolutions_are_sanitized_again(body, monkeypatch):
    article = _article(body)
    calls = _second_pass_calls(monkeypatch)
    assert resolve_links(article, article._content, SITEURL)[1] is False
    content = article.content
    assert len(calls) == 1
    assert "onmouseover" not in content


def test_html_the_sanitizer_did_not_make_is_sanitized_again(monkeypatch):
    article = _article(PLAIN[0])
    calls = _second_pass_calls(monkeypatch)
    # Equal text, another object: only the very strings the sanitizer
    # returned skip the second pass.
    unknown = "".join([article._content[:5], article._content[5:]])
    article._update_content(unknown, SITEURL)
    assert len(calls) == 1


@pytest.mark.parametrize(
    "url, plain",
    [
        ("https://sysadvent.example.org/2017/12/day-1-x.html#why", True),
        ("../../2017/12/day-1-x.html", True),
        ("/images/a%20b.png", True),
        ('x" onmouseover="alert(1)', False),
        ("javascript:alert(1)", False),
        ("a b", False),
        ("a&amp;b", False),
        ("a<b", False),
        ("a'b", False),
        ("a\\b", False),
        ("", True),
    ],
)
def test_plain_urls(url, plain):
    assert is_plain_url(url) is plain
