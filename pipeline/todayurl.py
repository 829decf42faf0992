"""The URL of the article that opens on a given day (for the post-deploy check)."""

from __future__ import annotations

import datetime as dt

from plugins.advent.rules import check_sources

from .newpost import slug_for
from .settings import article_sources


def article_for(settings, today: dt.date):
    """The published article dated `today` in the site's time zone, or None."""
    sources, _ = check_sources(
        [str(p) for p in article_sources(settings)],
        None,
        timezone=settings["TIMEZONE"],
        last_day=settings["ADVENT_LAST_DAY"],
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


def newest_changed_day(settings_file, content, changed_since) -> str | None:
    """The day (YYYY-MM-DD) of the newest article changed since a git ref."""
    from .changes import changed_files
    from .settings import load_settings

    settings = load_settings(settings_file, content)
    changed = changed_files(changed_since, settings["PATH"])
    paths = [p for p in article_sources(settings) if p.resolve() in changed]
    sources, _ = check_sources(
        [str(p) for p in paths],
        None,
        timezone=settings["TIMEZONE"],
        last_day=settings["ADVENT_LAST_DAY"],
    )
    dates = [s.date.date() for s in sources if s.date]
    return max(dates).isoformat() if dates else None
