"""The `Aliases:` header field: old paths that must keep leading to an article.

Pure functions over header values. An alias is a path on this site, written
as it was served: `/2017/12/day-9-using-kubernetes-for-multi.html`. Each one
must be absolute, without a scheme or host, `..`, a query or a fragment, and
no two articles may claim the same one.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from plugins.core.problems import clashes, error
from plugins.core.source import split_list

CHECK = "aliases/alias"
FIELD = "aliases"
# As written (a space is written %20) and once decoded.
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f\\\"'<>`]")
_BAD_DECODED = re.compile(r"[\x00-\x1f\x7f\\\"'<>`]")


def parse_aliases(value: str) -> list[str]:
    """The aliases of a header value (comma-separated)."""
    return split_list(value or "")


# Names at the site's root that the site writes *after* the redirect pages
# (the theme's files, the sitemap, `_headers`, the redirect files, Pagefind):
# an alias there would take their place, or make a folder where one of their
# files goes. A name like a file's is refused by `_taken_name`; these keep
# page-like aliases (`/theme/js/`, `/pagefind/fragment`) out of those folders
# too. What is written before is on disk by then, and refused there.
RESERVED_ROOTS = frozenset(
    {"theme", "pagefind", "sitemap.xml", "_headers", "_redirects", "redirects.map"}
)
# The settings that name those files or folders.
RESERVED_SETTINGS = (
    "THEME_STATIC_DIR",
    "SANITIZE_HEADERS_SAVE_AS",
    "ALIASES_REDIRECTS_FILE",
    "ALIASES_NGINX_MAP",
)


def reserved_roots(settings) -> set[str]:
    """RESERVED_ROOTS plus the first name of what RESERVED_SETTINGS write."""
    names = set(RESERVED_ROOTS)
    for key in RESERVED_SETTINGS:
        value = settings.get(key)
        if isinstance(value, str) and value.strip("/"):
            names.add(value.strip("/").split("/")[0].casefold())
    return names


def alias_problem(alias: str, reserved=RESERVED_ROOTS) -> str:
    """Why an alias cannot be used ("" when it can)."""
    parts = urlsplit(alias)
    if parts.scheme or alias.startswith("//"):
        return "write the path only, without a scheme or host (e.g. /2017/12/old.html)"
    if not alias.startswith("/"):
        return "an alias is an absolute path: it starts with /"
    if "?" in alias or "#" in alias:
        return "an alias cannot have a query (?) or a fragment (#)"
    decoded = unquote(alias)
    if _BAD_CHARS.search(alias) or _BAD_DECODED.search(decoded):
        return "an alias cannot hold spaces, quotes, backslashes or control characters"
    segments = decoded.split("/")[1:]
    if any(s in (".", "..") for s in segments):
        return "an alias cannot hold . or .. segments"
    if "" in segments[:-1]:
        return "an alias cannot hold an empty segment (//)"
    if decoded == "/":
        return "the site's home page cannot be an alias"
    taken = _taken_name(segments, decoded.endswith("/"))
    if taken:
        return taken
    if segments[0].casefold() in reserved:
        return (
            f"/{segments[0]} is written by the site itself: an alias cannot take "
            "its place or lie under it"
        )
    return ""


# A file name's extension: the site writes files by these names (site.js,
# all.atom.xml, day-1.png, pagefind.js…), and an alias that a static host
# would have to serve as a folder of that name takes the file's place.
_EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")
PAGE_EXTENSIONS = (".html", ".htm")


def _taken_name(segments: list[str], folder: bool) -> str:
    """Why the alias's path could be that of a file the site writes, or of a
    file static hosts read as their configuration ("" when it cannot)."""
    if segments[0].startswith(("_", ".")):
        return (
            "an alias cannot start with _ or . (_headers, _redirects and "
            ".well-known are read by static hosts)"
        )
    folders = segments if folder else segments[:-1]
    for name in folders:
        if _EXTENSION.search(name):
            return (
                f"an alias cannot go through a folder named like a file ({name!r}): "
                "it would take the place of a file of the site"
            )
    last = "" if folder else segments[-1]
    extension = _EXTENSION.search(last)
    if extension and extension.group().lower() not in PAGE_EXTENSIONS:
        return (
            f"an alias is a page: a name ending in .html or none, not {last!r} "
            "(it would take the place of a file of the site)"
        )
    return ""


def output_file(alias: str) -> str:
    """The file of the built site an alias is served from.

    `/2017/12/old.html` -> `2017/12/old.html`; `/old/` and `/old` (no
    extension) -> `old/index.html`, which static hosts serve for both.
    """
    path = unquote(alias).lstrip("/")
    if path.endswith("/"):
        return path + "index.html"
    if posixpath.splitext(path)[1].lower() in (".html", ".htm"):
        return path
    return path + "/index.html"


def check_field(path: str, header) -> list:
    """Problems of one source's `Aliases:` field, at its line."""
    found = header.get(FIELD)
    if found is None:
        return []
    problems = []
    aliases = parse_aliases(found.value)
    if not aliases:
        problems.append(error(path, found.line, CHECK, "field 'aliases' is empty"))
    seen = set()
    for alias in aliases:
        reason = alias_problem(alias)
        if reason:
            problems.append(
                error(path, found.line, CHECK, f"alias {alias!r}: {reason}")
            )
        elif output_file(alias) in seen:
            problems.append(
                error(path, found.line, CHECK, f"alias {alias!r} is given twice")
            )
        seen.add(output_file(alias))
    return problems


class _Claim:
    def __init__(self, path, line):
        self.path = path
        self.line = line


def check_clashes(sources) -> list:
    """Two sources claiming one alias: an error at the field of each.

    `sources` have `.path` and `.header` (the advent rules' ArticleSource)."""
    claims: dict[str, list] = {}
    for source in sources:
        found = source.header.get(FIELD)
        if found is None:
            continue
        files = {
            output_file(a) for a in parse_aliases(found.value) if not alias_problem(a)
        }
        for file in files:
            claims.setdefault(file, []).append(_Claim(source.path, found.line))
    problems = []
    for file, claim, others in clashes(dict(sorted(claims.items()))):
        problems.append(
            error(
                claim.path,
                claim.line,
                CHECK,
                f"alias /{file} is also claimed by {others}",
            )
        )
    return problems
