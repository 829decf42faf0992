"""Whether an article's summary adds something above its body.

Authors often write the summary by copying their opening paragraph; printed
as a standfirst above that paragraph, readers read it twice. The summary
still serves feeds, social cards and the page description.
"""

from __future__ import annotations

import re
from html import unescape

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")

# How much of the body's start counts as its opening: whole paragraphs up to
# this many times the summary's length in words.
OPENING_FACTOR = 3
# A summary whose words are at least this share of the opening's is a repeat.
# Measured on the 2017 articles: 0.69 to 1.0 for six summaries copied from
# the opening, 0.42 for the one written as a real standfirst.
REPEAT_THRESHOLD = 0.6


def words(text: str) -> list[str]:
    """The words of plain text, lowercased, apostrophes kept inside words."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def opening_words(content_html: str, enough: int) -> list[str]:
    """The words of the body's first paragraphs, whole paragraphs until at
    least `enough` words (a quote's paragraphs count too)."""
    found: list[str] = []
    for match in _PARAGRAPH.finditer(content_html or ""):
        found += words(unescape(_TAG.sub(" ", match.group(1))))
        if len(found) >= enough:
            break
    return found


def overlap(summary_html: str, content_html: str) -> float:
    """Share of the summary's words that the body's opening also has (0..1)."""
    summary = words(unescape(_TAG.sub(" ", summary_html or "")))
    if not summary:
        return 1.0
    opening = set(opening_words(content_html, OPENING_FACTOR * len(summary)))
    return sum(word in opening for word in summary) / len(summary)


def adds_something(
    summary_html: str, content_html: str, threshold: float = REPEAT_THRESHOLD
) -> bool:
    """True when the summary is worth printing above the body: it is not
    (mostly) the opening paragraph again."""
    return overlap(summary_html, content_html) < threshold
