"""Redirects as files: a page per alias, `_redirects`, and an nginx map.

Pure functions: they take `Redirect`s and return text.

- A redirect page works on any static host, without JavaScript: a
  `<meta http-equiv="refresh">`, a `<link rel="canonical">`, a visible link,
  and `noindex` so search engines keep the new address only.
- `_redirects` (Netlify, Cloudflare Pages): `old new 301`, one per line.
- the nginx map: `old new;` lines to include inside a `map $uri …` block;
  its first lines say how (nginx then answers 301 itself).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from .paths import output_file


@dataclass(frozen=True)
class Redirect:
    """An old path and where it leads now."""

    old: str  # /2017/12/day-9-using-kubernetes-for-multi.html
    new: str  # the new path on this site: /2017/12/day-9-….html
    title: str = ""  # of the page it leads to
    source: str = ""  # the file that asked for it (for problems)
    line: int = 0
    generated: bool = False  # made from Blogger's URL scheme, not an Aliases: field
    page: bool = True  # write a redirect page (feeds get only server redirects)


def relative_url(from_file: str, to_path: str) -> str:
    """A URL that leads from an output file to a site path, relative to it."""
    target = to_path.lstrip("/")
    folder = posixpath.dirname(from_file)
    relative = posixpath.relpath(target or ".", folder or ".")
    if to_path.endswith("/") and not relative.endswith("/"):
        relative = "./" if relative == "." else relative + "/"
    return quote(relative, safe="/#%.-_~")


def page(redirect: Redirect, siteurl: str = "", lang: str = "en") -> str:
    """The HTML redirect page written at the alias."""
    file = output_file(redirect.old)
    url = relative_url(file, redirect.new)
    canonical = (
        f"{siteurl.rstrip('/')}/{quote(redirect.new.lstrip('/'), safe='/#%.-_~')}"
        if siteurl.startswith(("http://", "https://"))
        else url
    )
    title = redirect.title or redirect.new
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>Moved: {escape(title)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(url)}">\n'
        f'<link rel="canonical" href="{escape(canonical)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "</head>\n"
        "<body>\n"
        f'<p>This page has moved to <a href="{escape(url)}">{escape(title)}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    )


def _site_path(path: str, prefix: str) -> str:
    return prefix.rstrip("/") + quote(path, safe="/%.-_~")


def netlify(redirects, prefix: str = "") -> str:
    """`_redirects`: `old new 301` lines (Netlify, Cloudflare Pages)."""
    lines = [
        "# Old addresses of the site and where they moved (301). Written by the",
        "# aliases plugin from the articles' Aliases: fields; do not edit.",
    ]
    for r in sorted(redirects, key=lambda r: r.old):
        lines.append(f"{_site_path(r.old, prefix)} {_site_path(r.new, prefix)} 301")
    return "\n".join(lines) + "\n"


def _nginx_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_map(redirects, prefix: str = "") -> str:
    """Entries for an nginx `map $uri $sysadvent_redirect { … }` block.

    `$uri` is the decoded path without the query, so keys are decoded paths.
    """
    from urllib.parse import unquote

    lines = [
        "# Old addresses of the site and where they moved. Written by the aliases",
        "# plugin; do not edit. Use it in the http block of nginx.conf:",
        "#",
        "#   map $uri $sysadvent_redirect {",
        '#       default "";',
        "#       include /path/to/redirects.map;",
        "#   }",
        "#",
        "# and in the server block:",
        "#",
        "#   if ($sysadvent_redirect) { return 301 $sysadvent_redirect; }",
    ]
    for r in sorted(redirects, key=lambda r: r.old):
        old = unquote(prefix.rstrip("/") + r.old)
        lines.append(
            f"{_nginx_string(old)} {_nginx_string(_site_path(r.new, prefix))};"
        )
    return "\n".join(lines) + "\n"


def blogger_redirects(seasons, tags, feed_path: str, tag_feed=None) -> list[Redirect]:
    """Blogger's other addresses, mapped to this site's pages.

    - `/feeds/posts/default` (Atom, or RSS with `?alt=rss`) -> the site feed;
    - `/feeds/posts/default/-/<label>` -> the tag's feed, when given;
    - `/search/label/<label>` -> the tag page;
    - `/YYYY/12/` and `/YYYY_12_01_archive.html` (month archives) -> the season.

    `seasons` are years; `tags` are (label as written, tag page path) pairs;
    `tag_feed(label)` gives a tag's feed path (or None).
    """
    found = [
        Redirect(
            "/feeds/posts/default",
            feed_path,
            "the site's feed",
            generated=True,
            page=False,
        )
    ]
    for year in sorted(set(seasons)):
        season = f"/{year}/"
        found.append(
            Redirect(f"/{year}/12/", season, f"SysAdvent {year}", generated=True)
        )
        found.append(
            Redirect(
                f"/{year}_12_01_archive.html",
                season,
                f"SysAdvent {year}",
                generated=True,
            )
        )
    for label, tag_path in sorted(set(tags)):
        encoded = quote(label, safe="")
        found.append(
            Redirect(f"/search/label/{encoded}", tag_path, label, generated=True)
        )
        feed = tag_feed(label) if tag_feed else None
        if feed:
            found.append(
                Redirect(
                    f"/feeds/posts/default/-/{encoded}",
                    feed,
                    label,
                    generated=True,
                    page=False,
                )
            )
    return found
