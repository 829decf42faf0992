"""The internal check: every reference inside the built site resolves, offline."""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from plugins.core.problems import display_path

from . import report, urls
from .extract import Page, Ref, page_from_json, page_json, parse_css, parse_html
from .sources import SourceText

HTML_SUFFIXES = (".html", ".htm")
# Fragments every page has: "#" alone and "#top" scroll to the top (HTML spec).
ALWAYS_THERE = {"", "top"}


@dataclass
class Site:
    """The built site: every file, and the parsed HTML pages and stylesheets."""

    root: Path
    files: set[str] = field(default_factory=set)
    pages: dict[str, Page] = field(default_factory=dict)

    @classmethod
    def scan(cls, root, cache=None, settings=None) -> Site:
        """Every file of the built site at `root`; HTML pages parsed, or
        taken from `cache` (a folder) when a page of the same bytes was
        parsed before: a rebuild re-parses only the pages that changed.
        Pages not in the cache are parsed in the process pool
        (`plugins.core.pool`, sized by `settings`)."""
        root = Path(root)
        site = cls(root)
        html = []
        for folder, _, names in os.walk(root):
            rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
            for name in names:
                rel = name if rel_folder == "." else f"{rel_folder}/{name}"
                site.files.add(rel)
                if name.endswith(HTML_SUFFIXES):
                    html.append(rel)
                elif name.endswith(".css"):
                    text = Path(folder, name).read_text(
                        encoding="utf-8", errors="replace"
                    )
                    site.pages[rel] = parse_css(text)
        site.pages.update(PageCache(cache).parse_all(root, html, settings))
        return site

    def target(self, path: str, folder_like: bool) -> str | None:
        """The file a site path is served from, or None."""
        path = path.lstrip("/")
        if folder_like or path == "":
            index = posixpath.join(path, "index.html") if path else "index.html"
            return index if index in self.files else None
        if path in self.files:
            return path
        index = f"{path}/index.html"  # a folder without its slash: servers redirect
        return index if index in self.files else None


class PageCache:
    """Parsed pages by a hash of their bytes and of the parser's code."""

    def __init__(self, folder):
        from plugins.core.store import Store

        self.store = Store(folder)

    def parse_all(self, root: Path, rels: list[str], settings=None) -> dict:
        """{rel: Page} for the HTML files `rels` under `root`: from the cache,
        else parsed, in the pool when there are enough of them."""
        from plugins.core.pool import parallel_map

        pages, missing = {}, []
        for rel in rels:
            key = self._key(root / rel)
            page = self._get(key)
            if page is None:
                missing.append((rel, key))
            else:
                pages[rel] = page
        paths = [str(root / rel) for rel, _ in missing]
        parsed = (
            parallel_map(parse_file, paths, settings)
            if len(paths) >= POOL_AT_LEAST
            else [parse_file(path) for path in paths]
        )
        for (rel, key), page in zip(missing, parsed, strict=True):
            pages[rel] = page
            if key is not None:
                self.store.put(key, page_json(page))
        return pages

    def _key(self, path: Path) -> str | None:
        if self.store.folder is None:
            return None
        from plugins.core.cachekeys import code_version, digest, package_versions

        return digest(
            "linkcheck/page",
            code_version("plugins.linkcheck.extract"),
            package_versions("lxml"),
            path.read_bytes(),
        )

    def _get(self, key: str | None) -> Page | None:
        found = None if key is None else self.store.get(key)
        if found is None:
            return None
        try:
            return page_from_json(found)
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry: parse again


# Below this many pages to parse, starting worker processes costs more than
# it saves (a fork and a pickled Page back per page).
POOL_AT_LEAST = 200


def parse_file(path: str) -> Page:
    """The references and anchors of the HTML file at `path` (a pool task)."""
    return parse_html(Path(path).read_bytes())


def page_cache(settings):
    """The folder of the parsed-page cache (CACHE_PATH/linkcheck-pages), or None."""
    folder = settings.get("CACHE_PATH")
    if not folder or not settings.get("BUILD_RENDER_CACHE", True):
        return None
    return Path(folder) / "linkcheck-pages"


class Locator:
    """Maps (output page, reference) to the Markdown file and line that hold it."""

    def __init__(self, output_dir, source_map, settings):
        self.output_dir = Path(output_dir)
        self.source_map = dict(source_map or {})
        self.siteurl = settings.get("SITEURL", "")
        self._texts: dict[str, SourceText | None] = {}
        self._seen: dict[tuple, int] = defaultdict(int)
        content = Path(settings.get("PATH", "content"))
        # Pages with no Markdown source may still take links from data files
        # (people pages from people.toml).
        self.extra = [
            content / name for name in settings.get("LINKCHECK_EXTRA_SOURCES", [])
        ]

    def _text(self, path) -> SourceText | None:
        key = str(path)
        if key not in self._texts:
            self._texts[key] = SourceText.read(path)
        return self._texts[key]

    def locate(self, page: str, ref: Ref, also=()) -> tuple[str, int, int, bool]:
        """(path, line, column, in_source): in the source, else in the output page.

        `also`: other spellings of the link in Markdown (the file name a
        `{filename}` link was written with), tried when the URL is not there."""
        source = self.source_map.get(page)
        searched = [source] if source else []
        searched += [p for p in self.extra if p.is_file()]
        for path in searched:
            text = self._text(path)
            if text is None:
                continue
            lines = text.locate(ref.url, ref.text, self.siteurl)
            for needle in also:
                lines = lines or text.lines_with(needle)
            if lines:
                # The n-th identical link of a page maps to its n-th line.
                key = (page, str(path), ref.url)
                index = min(self._seen[key], len(lines) - 1)
                self._seen[key] += 1
                return display_path(path), *lines[index], True
        return page, ref.line, 0, False


def check_page_refs(site: Site, page: str, settings) -> list[tuple[Ref, str]]:
    """(reference, message) for every broken internal reference of one page."""
    siteurl = settings.get("SITEURL", "")
    allowed = tuple(settings.get("LINKCHECK_ALLOW_NETWORKS", ()))
    broken = []
    for ref in site.pages[page].refs:
        kind = urls.classify(ref.url, siteurl, allowed)
        if kind.kind == urls.BAD:
            broken.append((ref, f"{ref.what} {ref.url!r}: {kind.reason}"))
        elif kind.kind == urls.INTERNAL:
            message = _check_internal_ref(site, page, ref, kind)
            if message:
                broken.append((ref, message))
    return broken


def _check_internal_ref(site: Site, page: str, ref: Ref, kind: urls.Kind) -> str:
    raw_path = unquote(kind.path)
    if kind.rooted:
        path = raw_path
    elif raw_path == "":
        path = page  # "#fragment" or "?query" alone: this very page
    else:
        joined = posixpath.join(posixpath.dirname(page), raw_path)
        path = posixpath.normpath(joined)
        if path.startswith("../") or path == "..":
            return f"{ref.what} {ref.url!r}: goes above the site's root"
        if path == ".":
            path = ""
    folder_like = raw_path.endswith("/") or (kind.rooted and raw_path == "")
    target = site.target(path, folder_like and path != page)
    if target is None:
        shown = path + ("/" if folder_like and path else "")
        return f"{ref.what} {ref.url!r}: no file {shown or '/'} in the built site"
    if kind.fragment is None:
        return ""
    fragment = unquote(kind.fragment)
    if fragment in ALWAYS_THERE or not target.endswith(HTML_SUFFIXES):
        return ""
    anchors = site.pages[target].anchors
    if fragment not in anchors and kind.fragment not in anchors:
        return f"{ref.what} {ref.url!r}: {target} has no anchor id={fragment!r}"
    return ""


def internal_findings(output_dir, source_map, settings, pages=None, site=None):
    """Findings for every broken internal reference (of `pages`, or of all pages).

    Links written in a Markdown source are reported at its line; links that
    come from the theme are reported once, at the first output page holding
    them, with the number of pages affected.
    """
    site = site or Site.scan(output_dir)
    locator = Locator(output_dir, source_map, settings)
    selected = (
        sorted(site.pages) if pages is None else sorted(set(pages) & set(site.pages))
    )
    findings = []
    theme: dict[str, list] = {}
    for page in selected:
        for ref, message in check_page_refs(site, page, settings):
            path, line, column, in_source = locator.locate(page, ref)
            if in_source:
                findings.append(
                    report.error(path, line, ref.url, message, page=page, column=column)
                )
            else:
                theme.setdefault(_theme_key(page, message), []).append(
                    (page, ref, message)
                )
    for group in theme.values():
        page, ref, message = group[0]
        if len(group) > 1:
            message += f" (theme: in {len(group)} pages)"
        else:
            message += " (no Markdown source: the theme or a generated page)"
        findings.append(report.error(page, ref.line, ref.url, message, page=page))
    return findings


def _theme_key(page: str, message: str) -> str:
    # A broken link in base.html appears once per page; relative URLs differ
    # from page to page, the file they miss does not.
    return (
        message.split(": ", 1)[-1] if ": no file " in message else f"{page}|{message}"
    )


def check_internal(output_dir, source_map, settings, pages=None) -> list:
    """Every broken internal reference of the built site, as `problems.Problem`s.

    `source_map` maps output pages (relative paths like "2017/12/day-9-x.html")
    to their Markdown source; `settings` needs SITEURL and PATH (a Pelican
    settings dict will do). `pages` limits the check to those output pages.
    """
    return [
        f.problem() for f in internal_findings(output_dir, source_map, settings, pages)
    ]


def future_links(output_dir, source_map, opens, settings=None, site=None) -> list:
    """Links from an article to an article that opens later.

    `invoke check` builds every scheduled article at once, so such a link
    resolves there; on the linking article's own day its target is not out
    yet and the link is broken. `opens` maps source paths to opening dates.
    """
    site = site or Site.scan(output_dir)
    settings = settings or {}
    siteurl = settings.get("SITEURL", "")
    locator = Locator(output_dir, source_map, settings)
    by_page = {page: opens.get(source) for page, source in source_map.items()}
    findings = []
    for page in sorted(p for p, day in by_page.items() if day and p in site.pages):
        day = by_page[page]
        for ref in site.pages[page].refs:
            kind = urls.classify(ref.url, siteurl, ())
            if kind.kind != urls.INTERNAL:
                continue
            target = _target_page(site, page, kind)
            target_day = by_page.get(target) if target else None
            if not (target_day and target_day > day):
                continue
            # Written as {filename}<its source>.md, the usual way.
            written = Path(source_map[target]).name
            path, line, column, in_source = locator.locate(page, ref, (written,))
            if in_source:  # the theme links only what is out on that day
                findings.append(
                    report.error(
                        path,
                        line,
                        ref.url,
                        f"{ref.what} {ref.url!r}: {target} opens on "
                        f"{target_day:%Y-%m-%d}, after this article ({day:%Y-%m-%d}); "
                        "on this article's day the link is broken",
                        page=page,
                        column=column,
                    )
                )
    return [f.problem() for f in findings]


def _target_page(site: Site, page: str, kind: urls.Kind) -> str | None:
    raw_path = unquote(kind.path)
    if kind.rooted:
        path = raw_path
    elif raw_path == "":
        return None
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), raw_path))
    return site.target(path, raw_path.endswith("/"))
