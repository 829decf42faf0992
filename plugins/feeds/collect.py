"""Build the feed model from Pelican's articles (duck-typed; no Pelican import)."""

from __future__ import annotations

from .html import absolutize, strip_chrome
from .model import Credit, Entry, Feed, FeedIndex, newest_first


def credit(person, base: str, settings) -> Credit:
    """A registry person (advent.people.Person) as a feed names them."""
    return Credit(
        person.display_name, f"{base}/{settings['PERSON_URL'].format(key=person.key)}"
    )


def make_entry(article, base: str, settings, full_text: bool = True) -> Entry:
    """One article as feeds carry it: content and summary with absolute URLs,
    every author and editor, tags, dates in the site's time zone.

    With `full_text` the content is the whole article (without page chrome);
    without, the entry has no content: readers show its summary and link.
    """
    url = f"{base}/{article.url}"
    # get_content(base) resolves {filename} links against the absolute site
    # URL; absolutize() then fixes plain relative ones (images/x.png, #anchor).
    summary = absolutize(article.get_summary(base), url)
    title = settings["FEEDS_ENTRY_TITLE"].format(
        title=article.title, day=article.day, season=article.season
    )
    content = (
        absolutize(strip_chrome(article.get_content(base)), url) if full_text else None
    )
    updated = max(article.date, getattr(article, "modified", None) or article.date)
    return Entry(
        id=article.feed_id,
        url=url,
        title=title,
        content_html=content,
        summary_html=summary,
        published=article.date,
        updated=updated,
        authors=[credit(p, base, settings) for p in article.author_people],
        editors=[credit(p, base, settings) for p in article.editor_people],
        tags=[t.name for t in getattr(article, "tags", [])],
        season=article.season,
        day=article.day,
    )


def build_index(articles, base: str, settings) -> FeedIndex:
    """Every feed of the site from the published `articles` (each with its
    `feed_id`); entries are filled in later (`FeedIndex.fill_entries`).

    Each kind of feed keeps its newest articles up to its limit
    (FEEDS_MAX_ITEMS for the site feed, FEEDS_SEASON_MAX_ITEMS,
    FEEDS_PERSON_MAX_ITEMS, FEEDS_TAG_MAX_ITEMS; None: all). Feeds of the
    FEEDS_FULL_TEXT_KINDS carry the newest FEEDS_FULL_TEXT_ITEMS articles of
    the site in full; every other entry is a summary and a link.
    """
    site_name = settings["SITENAME"]
    newest = newest_first(articles)
    site = Feed(
        "site",
        "all",
        site_name,
        settings.get("SITESUBTITLE") or site_name,
        f"{base}/",
        site_name,
        newest_up_to(newest, settings.get("FEEDS_MAX_ITEMS")),
    )

    seasons, people, tags = {}, {}, {}
    for article in newest:
        seasons.setdefault(article.season, []).append(article)
        for person in article.author_people:
            people.setdefault(person.key, (person, []))[1].append(article)
        for tag in getattr(article, "tags", []):
            tags.setdefault(tag.slug, (tag, []))[1].append(article)

    season_feeds = [
        Feed(
            "season",
            str(year),
            f"{site_name} {year}",
            f"Every article of the {year} season of {site_name}.",
            f"{base}/{settings['SEASON_URL'].format(year=year)}",
            str(year),
            newest_up_to(found, settings.get("FEEDS_SEASON_MAX_ITEMS")),
        )
        for year, found in sorted(seasons.items(), reverse=True)
    ]
    people_feeds = [
        Feed(
            "person",
            f"people/{key}",
            f"{site_name}: {person.display_name}",
            f"Articles written by {person.display_name} for {site_name}.",
            credit(person, base, settings).url,
            person.display_name,
            newest_up_to(found, settings.get("FEEDS_PERSON_MAX_ITEMS")),
        )
        for key, (person, found) in sorted(people.items())
    ]
    tag_feeds = [
        Feed(
            "tag",
            f"tags/{slug}",
            f"{site_name}: {tag.name}",
            f"{site_name} articles about {tag.name}.",
            f"{base}/{tag.url}",
            tag.name,
            newest_up_to(found, settings.get("FEEDS_TAG_MAX_ITEMS")),
        )
        for slug, (tag, found) in sorted(tags.items())
    ]
    return FeedIndex(
        settings["FEEDS_PATH"],
        settings["FEEDS_FORMATS"],
        site,
        season_feeds,
        people_feeds,
        tag_feeds,
        full_text=newest_up_to(newest, settings.get("FEEDS_FULL_TEXT_ITEMS")),
        full_text_kinds=settings.get("FEEDS_FULL_TEXT_KINDS", ("site", "season")),
    )


def newest_up_to(newest: list, limit) -> list:
    """The first `limit` of `newest` (all of them when `limit` is None)."""
    return list(newest) if limit is None else list(newest[: max(int(limit), 0)])
