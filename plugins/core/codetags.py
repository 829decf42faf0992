"""Language tags: which are known, how they render, how they are checked.

A tag is known when Pygments has a lexer for it, or when it is one of the
common aliases authors use that Pygments lacks (`yml`, `terminal`, …); those
are rendered with that Pygments lexer (see `plugins.gfm.html`).
"""

from __future__ import annotations

import difflib
from functools import cache

# Aliases Pygments lacks -> the Pygments alias that renders them.
ALIASES = {
    "yml": "yaml",
    "terminal": "console",
    "shell-console": "console",
    "sh-session": "console",
    "shellsession": "console",
    "zsh-session": "console",
    "bash-session": "console",
    "plaintext": "text",
    "plain": "text",
    "txt": "text",
    "output": "text",
    "j2": "jinja",
    "conf-nginx": "nginx",
    "tfvars": "terraform",
    "postgres-sql": "postgresql",
}

# Canonical tag -> checker kind. Tags not listed are accepted but not checked.
KINDS = {
    "bash": "shell",
    "sh": "shell",
    "shell": "shell",
    "ksh": "shell",
    "console": "console",
    "shell-session": "console",
    "python": "python",
    "py": "python",
    "python3": "python",
    "py3": "python",
    "pycon": "pycon",
    "yaml": "yaml",
    "json": "json",
    "toml": "toml",
    "ini": "ini",
    "cfg": "ini",
    "dosini": "ini",
    "systemd": "systemd",
    "sql": "sql",
    "postgresql": "sql",
    "postgres": "sql",
    "psql": "sql",
    "postgresql-console": "sql",
    "postgres-console": "sql",
    "docker": "dockerfile",
    "dockerfile": "dockerfile",
    "nginx": "nginx",
    "hcl": "hcl",
    "terraform": "hcl",
    "tf": "hcl",
    "xml": "xml",
    "html": "html",
    "jinja": "jinja",
}

# Kinds whose angle brackets are syntax, never placeholders.
MARKUP_KINDS = {"xml", "html", "jinja"}

DEFAULT_PLACEHOLDER = r"(?<![<\w])<[A-Za-z][A-Za-z0-9_.:/ -]*[A-Za-z0-9_]>"


@cache
def pygments_aliases() -> frozenset[str]:
    """Every alias Pygments knows (lowercase)."""
    from pygments.lexers import get_all_lexers

    names: set[str] = set()
    for _name, aliases, _files, _mimes in get_all_lexers():
        names.update(alias.lower() for alias in aliases)
    return frozenset(names)


def canonical(tag: str, extra_aliases: dict | None = None) -> str | None:
    """The Pygments alias a tag renders with, or None when the tag is unknown."""
    tag = tag.lower()
    aliases = {**ALIASES, **(extra_aliases or {})}
    if tag in aliases:
        return aliases[tag]
    if tag in pygments_aliases():
        return tag
    return None


def kind_of(tag: str, extra_aliases: dict | None = None) -> str | None:
    """The checker kind for a tag (None: accepted, nothing to check)."""
    name = canonical(tag, extra_aliases)
    return KINDS.get(name) if name else None


def suggest(tag: str, extra_aliases: dict | None = None) -> list[str]:
    """Known tags close to an unknown one, best first (aliases as their target)."""
    aliases = {**ALIASES, **(extra_aliases or {})}
    known = set(pygments_aliases()) | set(aliases)
    # Tags people actually use first, then anything Pygments knows.
    close = difflib.get_close_matches(tag.lower(), [*KINDS, *aliases], n=3, cutoff=0.6)
    close += difflib.get_close_matches(tag.lower(), sorted(known), n=3, cutoff=0.75)
    found: list[str] = []
    for name in close:
        name = aliases.get(name, name)
        if name not in found:
            found.append(name)
    return found[:3]
