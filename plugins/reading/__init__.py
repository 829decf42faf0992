"""reading: what helps a reader through an article page. The standfirst only
when it adds something, a table of contents for long articles, share links
without third-party script and an optional discussion link.

Wiring only (template filters and their settings); the logic lives in
`standfirst`, `toc`, `share` and `reading_time`.
"""

from __future__ import annotations

from jinja2 import pass_context
from pelican import signals

from plugins.core.settings import apply_defaults, declare
from plugins.feeds import feeds_siteurl

from .reading_time import minutes
from .share import discuss_url, share_links
from .standfirst import REPEAT_THRESHOLD, adds_something
from .toc import table_of_contents

SETTINGS = declare(
    {
        "READING_TOC_MIN_SECTIONS": 4,
        "READING_STANDFIRST_THRESHOLD": REPEAT_THRESHOLD,
        # Mastodon has no central server: the default page asks for the
        # reader's; `https://<server>/share?text={text}` targets one.
        "SHARE_LINKS": (
            ("E-mail", "mailto:?subject={title}&body={url}"),
            ("Bluesky", "https://bsky.app/intent/compose?text={text}"),
            ("Mastodon", "https://mastodonshare.com/?text={text}"),
        ),
        "SHARE_DISCUSS_URL": None,
        "SHARE_DISCUSS_LABEL": "Discuss this article",
    },
    {
        "READING_TOC_MIN_SECTIONS": "articles with this many sections get a table of contents",
        "READING_STANDFIRST_THRESHOLD": (
            "a summary sharing this share of its words with the opening is not "
            "printed above it (it still describes the page, feeds and cards)"
        ),
        "SHARE_LINKS": "(label, URL template) per share link; {url}, {title}, {text}",
        "SHARE_DISCUSS_URL": (
            "where readers discuss an article (None: no link); {url}, {title}, "
            "{year}, {day}, {slug}"
        ),
        "SHARE_DISCUSS_LABEL": "the text of the discussion link",
    },
    types={"SHARE_DISCUSS_URL": (str,)},
)
# Articles carry the advent plugin's day and season; URLs follow the feeds'.
REQUIRES = ("plugins.advent", "plugins.feeds")


# Filters read their settings from the template context (Pelican puts every
# setting there) and are module-level functions: Pelican's content cache
# pickles the settings, filters included, and a closure cannot be pickled.


def reading_minutes(article) -> int:
    """Template filter: minutes to read the article, rounded up."""
    return minutes(article.content)


@pass_context
def toc(context, content):
    """Template filter: the sections of an article's rendered HTML."""
    return table_of_contents(str(content), context["READING_TOC_MIN_SECTIONS"])


@pass_context
def standfirst(context, article):
    """Template filter: whether the article's summary adds something."""
    return adds_something(
        str(article.summary),
        str(article.content),
        context["READING_STANDFIRST_THRESHOLD"],
    )


@pass_context
def article_url(context, article):
    """Template filter: the article's absolute URL (development builds:
    FEEDS_DEV_SITEURL), for links that leave the site."""
    return f"{feeds_siteurl(context)}/{article.url}"


@pass_context
def shares(context, article):
    """Template filter: the share links of an article."""
    return share_links(
        article_url(context, article), str(article.title), context["SHARE_LINKS"]
    )


@pass_context
def discuss(context, article):
    """Template filter: the article's discussion URL, or ""."""
    return discuss_url(
        context["SHARE_DISCUSS_URL"],
        article_url(context, article),
        str(article.title),
        article.season,
        article.day,
        article.slug,
    )


FILTERS = {
    "reading_minutes": reading_minutes,
    "toc": toc,
    "standfirst": standfirst,
    "article_url": article_url,
    "share_links": shares,
    "discuss_url": discuss,
}


def initialized(pelican) -> None:
    apply_defaults(pelican.settings, SETTINGS)
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(FILTERS)


def register():
    signals.initialized.connect(initialized)
