"""Blogger's rule for the address of a post, and the project's own slugs.

Blogger made a post's file name once, from its title, when it was first
published: lowercase ASCII words joined by `-`, apostrophes dropped, the
articles "a", "an" and "the" left out unless they open the title, and whole
words only, up to 40 characters. Checked against real SysAdvent addresses
(guides say 39 characters; the 2017 Day 2 address below has 40):

- "Day 9 - Using Kubernetes for multi-provider, multi-region batch jobs"
  -> day-9-using-kubernetes-for-multi
- "Day 13 - Don't Be a Human Keyboard" -> day-13-dont-be-human-keyboard
- "Day 2 - Shifting Left Securely With InSpec"
  -> day-2-shifting-left-securely-with-inspec (40 characters)
- "Day 12 - Monitoring Postgres Replication Lag"
  -> day-12-monitoring-postgres-replication

An export carries the real address (the `alternate` link, or
`blogger:filename`); this rule is only for posts whose export has none and
for articles written here before the import.
"""

from __future__ import annotations

import re

from unidecode import unidecode

MAX_LENGTH = 40
DROPPED_WORDS = frozenset({"a", "an", "the"})
_APOSTROPHES = re.compile(r"['’‘`]")
_WORD = re.compile(r"[a-z0-9]+")


def blogger_slug(title: str) -> str:
    """The file name (without `.html`) Blogger gives a post of this title."""
    text = _APOSTROPHES.sub("", unidecode(title).lower())
    words = _WORD.findall(text)
    kept = [w for i, w in enumerate(words) if i == 0 or w not in DROPPED_WORDS]
    slug = ""
    for word in kept:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_LENGTH:
            break
        slug = longer
    if not slug and kept:  # one word longer than the limit is cut
        slug = kept[0][:MAX_LENGTH]
    return slug


def blogger_path(year: int, month: int, title: str) -> str:
    """The path Blogger serves a post of this title at, e.g.
    `/2017/12/day-9-using-kubernetes-for-multi.html`."""
    return f"/{year:04d}/{month:02d}/{blogger_slug(title)}.html"


def site_slug(title: str) -> str:
    """The project's slug for a title: Pelican's default rule (what the
    article URL `/<year>/12/day-<N>-<slug>.html` uses)."""
    from pelican.utils import slugify

    return slugify(title, regex_subs=_PELICAN_SUBS) or "untitled"


def article_slug(title: str) -> str:
    """`site_slug`, cut at a word to the site's longest slug (the article
    rules refuse a longer one; a file name has at most 255 bytes)."""
    from plugins.advent.rules import MAX_SLUG

    slug = site_slug(title)
    if len(slug) <= MAX_SLUG:
        return slug
    cut = slug[: MAX_SLUG + 1].rsplit("-", 1)[0]
    return (cut if cut and len(cut) <= MAX_SLUG else slug[:MAX_SLUG]).strip("-")


# Pelican's default SLUG_REGEX_SUBSTITUTIONS.
_PELICAN_SUBS = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]
