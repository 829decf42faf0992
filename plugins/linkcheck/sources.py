"""Find the line of the Markdown source that holds a link seen in the HTML."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

EMPTY_LINK_PATTERNS = ("]()", "](<>)", "]( )", 'href=""', "href=''", 'src=""', "src=''")
REF_DEF_EMPTY_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<>)?\s*$")


class SourceText:
    """A Markdown file's lines, past its metadata header, searchable by link."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        # The header runs to the first blank line; links live below it.
        self.body_start = next(
            (i for i, line in enumerate(self.lines) if not line.strip()), 0
        )

    @classmethod
    def read(cls, path) -> SourceText | None:
        try:
            return cls(Path(path), Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None

    def lines_with(self, needle: str) -> list[tuple[int, int]]:
        """(line, column), 1-based, of every occurrence of `needle` in the body."""
        found = []
        for i in range(self.body_start, len(self.lines)):
            column = self.lines[i].find(needle)
            while column >= 0:
                found.append((i + 1, column + 1))
                column = self.lines[i].find(needle, column + len(needle))
        return found

    def lines_matching(self, regex) -> list[tuple[int, int]]:
        found = []
        for i in range(self.body_start, len(self.lines)):
            match = regex.search(self.lines[i])
            if match:
                found.append((i + 1, match.start() + 1))
        return found

    def locate(
        self, url: str, text: str = "", siteurl: str = ""
    ) -> list[tuple[int, int]]:
        """(line, column) that may hold the link, in order (empty: not in this file)."""
        if not url.strip():
            if text:
                found = self.lines_with(f"[{text}]()") or self.lines_with(f"[{text}](")
                if found:
                    return found
            found = sorted(
                {n for pattern in EMPTY_LINK_PATTERNS for n in self.lines_with(pattern)}
            )
            return found or self.lines_matching(REF_DEF_EMPTY_RE)
        for needle in candidates(url, siteurl):
            found = self.lines_with(needle)
            if found:
                return found
        return []


def candidates(url: str, siteurl: str = "") -> list[str]:
    """Ways the URL may be spelt in Markdown, from the most to the least exact."""
    url = url.strip()
    out = [url, unquote(url), url.replace("&", "&amp;")]
    if siteurl and url.startswith(siteurl):
        out.append(url[len(siteurl) :])
    parts = urlsplit(url)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if url.startswith("#"):
        return [u for u in dict.fromkeys(out) if u]
    if tail:
        out += [tail + fragment, unquote(tail) + fragment]
    if fragment:
        out.append(fragment)
        # Pelican leaves an unresolved {filename}x.md#frag mangled
        # ("{filename}#frag#frag"): its part before the first "#" still shows.
        first = url.split("#")[1]
        out.append(f"#{first}")
    if url.startswith("{"):
        out.append(url.split("#", 1)[0])
    return [u for u in dict.fromkeys(out) if len(u) > 1]
