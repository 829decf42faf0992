"""JSON-LD for an article: a schema.org BlogPosting naming its authors and editors."""

from __future__ import annotations

from markupsafe import Markup


def _join(siteurl: str, path: str) -> str:
    return f"{siteurl}/{path}" if siteurl else path


def _person(person, siteurl: str) -> dict:
    data = {
        "@type": "Person",
        "name": person.display_name,
        "url": _join(siteurl, person.url),
    }
    same_as = list(person.links)
    if person.handle:
        data["alternateName"] = f"@{person.handle}"
    if same_as:
        data["sameAs"] = same_as
    return data


def article_jsonld(article, siteurl: str, sitename: str, image_url: str = "") -> dict:
    """The schema.org description of `article` with URLs under `siteurl`."""
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": article.title,
        "description": Markup(getattr(article, "summary", "") or "").striptags(),
        "datePublished": article.date.isoformat(),
        "url": _join(siteurl, article.url),
        "mainEntityOfPage": _join(siteurl, article.url),
        "author": [_person(p, siteurl) for p in article.author_people],
        "isPartOf": {
            "@type": "CreativeWorkSeries",
            "name": f"{sitename} {article.season}",
            "url": _join(siteurl, f"{article.season}/"),
        },
        "publisher": {"@type": "Organization", "name": sitename, "url": siteurl or "/"},
    }
    if article.editor_people:
        data["editor"] = [_person(p, siteurl) for p in article.editor_people]
    if getattr(article, "tags", None):
        data["keywords"] = [str(t) for t in article.tags]
    if image_url:
        data["image"] = image_url
    modified = getattr(article, "modified", None)
    if modified:
        data["dateModified"] = modified.isoformat()
    return data
