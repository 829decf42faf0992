"""A table of contents from an article's rendered headings.

Built from the HTML the renderer produced (heading elements and their ids),
never from renderer internals, so it follows whatever markup the Markdown
renderer writes for headings and their permalinks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from plugins.feeds.html import without_permalinks

_HEADING = re.compile(
    r"<h(?P<level>[2-4])(?P<attributes>(?:[\t\n\f\r ][^>]*)?)>(?P<inner>.*?)</h(?P=level)\s*>",
    re.IGNORECASE | re.DOTALL,
)
_ID = re.compile(
    r"""(?:^|[\t\n\f\r ])id[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]+))""",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


@dataclass
class Section:
    """One heading of the article and the headings one level below it."""

    level: int
    id: str
    text: str
    children: list[Section] = field(default_factory=list)


def headings(content_html: str) -> list[Section]:
    """Every h2–h4 with an id, in order, as plain text without permalinks."""
    found = []
    for match in _HEADING.finditer(content_html or ""):
        ident = _ID.search(match.group("attributes") or "")
        if not ident:
            continue
        inner = without_permalinks(match.group())
        text = " ".join(unescape(_TAG.sub("", inner)).split())
        if text:
            value = next(g for g in ident.groups() if g is not None)
            found.append(Section(int(match.group("level")), unescape(value), text))
    return found


def table_of_contents(content_html: str, min_sections: int = 4) -> list[Section]:
    """The article's sections (its highest heading level), each with the
    headings one level below; empty when it has fewer than `min_sections`."""
    found = headings(content_html)
    if not found:
        return []
    top = min(s.level for s in found)
    sections: list[Section] = []
    for section in found:
        if section.level == top:
            sections.append(section)
        elif section.level == top + 1 and sections:
            sections[-1].children.append(section)
    return sections if len(sections) >= min_sections else []
