"""A Python-Markdown extension: fence tags Pygments lacks render with the right lexer.

`yml` becomes `yaml`, `terminal` becomes `console` … before fenced_code reads
the fence, so codehilite never falls back to plain text (or to a guess).
Load it as the extension "plugins.codecheck.render".
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor
from markdown_it import MarkdownIt

from .tags import ALIASES

FENCE_RE = re.compile(r"^(?P<fence>\s*(?:`{3,}|~{3,})[ ]*)(?P<info>.*)$")
ATTR_CLASS_RE = re.compile(r"(?<=\.)(?P<cls>[\w#.+-]+)")
PLAIN_TAG_RE = re.compile(r"^(?P<dot>\.?)(?P<tag>[\w#.+-]+)(?P<rest>.*)$")


def rewrite_info(info: str, aliases: dict) -> str:
    """The fence info string with an aliased language replaced."""
    stripped = info.strip()
    if stripped.startswith("{"):
        match = ATTR_CLASS_RE.search(stripped)
        if match and match.group("cls").lower() in aliases:
            start, end = match.span()
            return (
                stripped[:start] + aliases[match.group("cls").lower()] + stripped[end:]
            )
        return info
    match = PLAIN_TAG_RE.match(stripped)
    if match and match.group("tag").lower() in aliases:
        return (
            match.group("dot")
            + aliases[match.group("tag").lower()]
            + match.group("rest")
        )
    return info


# Block structure is all a fence needs; inline rules would only cost time.
FENCES = MarkdownIt("commonmark").disable("inline")


class AliasPreprocessor(Preprocessor):
    """Rewrites opening fence lines (found by markdown-it, so never inside code)."""

    def __init__(self, md, aliases):
        super().__init__(md)
        self.aliases = aliases

    def _has_alias(self, lines) -> bool:
        """Cheap pre-check: does any line look like a fence with an aliased tag?"""
        for line in lines:
            match = FENCE_RE.match(line)
            if match and rewrite_info(match.group("info"), self.aliases) != (
                match.group("info")
            ):
                return True
        return False

    def run(self, lines):
        # Most documents use no alias: skip parsing them at all.
        if not self._has_alias(lines):
            return lines
        tokens = FENCES.parse("\n".join(lines))
        for token in tokens:
            if token.type != "fence" or not token.map:
                continue
            index = token.map[0]
            match = FENCE_RE.match(lines[index])
            if match:
                info = rewrite_info(match.group("info"), self.aliases)
                lines[index] = match.group("fence") + info
        return lines


class CodecheckExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "aliases": [{}, "extra tag aliases: {'mytag': 'pygments-alias'}"]
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's API)
        aliases = {
            **ALIASES,
            **{k.lower(): v for k, v in self.getConfig("aliases").items()},
        }
        # After `meta` (27) removed the header, before fenced_code (25).
        md.preprocessors.register(
            AliasPreprocessor(md, aliases), "codecheck_aliases", 26
        )


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's API)
    return CodecheckExtension(**kwargs)
