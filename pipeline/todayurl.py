"""The URL of the article that opens on a given day (for the post-deploy check)."""

from __future__ import annotations

import datetime as dt

from plugins.advent.rules import check_sources

from .newpost import slug_for
from .sitesettings import article_sources


def article_for(settings, today: dt.date):
    """The published article dated `today` in the site's time zone, or None."""
    sources, _ = check_sources(
        [str(p) for p in article_sources(settings)],
        None,
        timezone=settings["TIMEZONE"],
        last_day=settings.get("ADVENT_LAST_DAY", 25),
    )
    for source in sources:
        if (
            source.date is not None
            and source.day is not None
            and source.status == "published"
            and source.date.date() == today
        ):
            return source
    return None


def today_url(settings, today: dt.date, site_url: str | None = None) -> str | None:
    """The absolute URL of today's article, or None when no door opens today."""
    source = article_for(settings, today)
    if source is None:
        return None
    slug = source.header.value("slug") or slug_for(
        source.header.value("title"), settings
    )
    path = settings["ARTICLE_URL"].format(date=source.date, day=source.day, slug=slug)
    base = (site_url if site_url is not None else settings.get("SITEURL", "")).rstrip(
        "/"
    )
    return f"{base}/{path}"
