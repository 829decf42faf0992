"""How long an article takes to read: its words at 230 a minute, rounded up."""

from __future__ import annotations

import html
import math
import re

# Reading speed of the "N min read" line (words a minute).
WORDS_PER_MINUTE = 230
# Tags and comments, as markupsafe's striptags removes them (the sanitized
# HTML has no comment and no unclosed tag); words as Jinja's wordcount finds
# them.
_TAGS = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_WORD = re.compile(r"\w+")


def word_count(content) -> int:
    """The words of an HTML body: `content|striptags|wordcount`, without
    markupsafe's loop over every tag (a body of highlighted code has
    thousands)."""
    return len(_WORD.findall(html.unescape(_TAGS.sub("", str(content)))))


def minutes(content) -> int:
    """Minutes to read an HTML body, rounded up."""
    return math.ceil(word_count(content) / WORDS_PER_MINUTE)
