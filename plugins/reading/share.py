"""Share links that need no third-party script: plain URLs built at build
time (e-mail, Bluesky and Mastodon compose pages), plus buttons the site's
own script adds (copy link, the device's share sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class ShareLink:
    label: str
    url: str


def share_links(url: str, title: str, templates) -> list[ShareLink]:
    """One link per `(label, template)`; a template names `{url}`, `{title}`
    and `{text}` (title and URL), each filled in percent-encoded."""
    values = {
        "url": quote(url, safe=""),
        "title": quote(title, safe=""),
        "text": quote(f"{title} {url}", safe=""),
    }
    return [
        ShareLink(label, template.format(**values)) for label, template in templates
    ]


def discuss_url(template: str | None, url: str, title: str, year, day, slug) -> str:
    """The article's discussion URL from the SHARE_DISCUSS_URL template
    (`{url}`, `{title}` percent-encoded; `{year}`, `{day}`, `{slug}`), or ""."""
    if not template:
        return ""
    return template.format(
        url=quote(url, safe=""),
        title=quote(title, safe=""),
        year=year,
        day=day,
        slug=slug,
    )
