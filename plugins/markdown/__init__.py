"""markdown: the site's Markdown, parsed and rendered the way GitHub does.

`parser` (one configured markdown-it, tokens with file line maps), `html`
(tokens -> the site's HTML), `reader` (the Pelican reader of `.md` files),
`checks` (what an author should fix in prose, e.g. placeholders that would
vanish). Only `.md` files are content: pelicanconf.py turns Pelican's other
readers off.
"""

from __future__ import annotations


def add_reader(readers) -> None:
    """Read `.md` files with the site's reader (signal `readers_init`)."""
    from .reader import GFMReader

    readers.reader_classes["md"] = GFMReader


def register():
    from pelican import signals

    signals.readers_init.connect(add_reader)
