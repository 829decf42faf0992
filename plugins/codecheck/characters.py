"""Typographic look-alikes in code: no-break spaces, smart quotes, en dashes.

A word processor or a blog editor turns `--force` into `–force`, `"x"` into
`“x”` and a space into U+00A0. They look right and break the command. They
are errors where the language would read them as code; inside strings and
comments they are text, and `It’s` (an apostrophe between letters) is fine.
Positions come from Pygments' lexer of the language, so strings and
comments are told apart the way the page highlights them.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from .findings import Finding, position

SPACES = {"\u00a0", "\u2007", "\u202f", "\u200b", "\u2009", "\u3000"}
QUOTES = {
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u00ab",
    "\u00bb",
    "\u2032",
    "\u2033",
}
DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"}
SUSPECTS = SPACES | QUOTES | DASHES

ADVICE = {
    **dict.fromkeys(SPACES, "type a plain space"),
    **dict.fromkeys(QUOTES, "type a straight quote (' or \")"),
    **dict.fromkeys(DASHES, "type a hyphen-minus (-)"),
}

# Checker kind -> Pygments lexer that tells code from strings and comments.
LEXERS = {
    "shell": "bash",
    "python": "python",
    "sql": "postgresql",
    "dockerfile": "docker",
    "nginx": "nginx",
    "hcl": "terraform",
    "json": "json",
    "toml": "toml",
    "ini": "ini",
    "systemd": "systemd",
    "yaml": "yaml",
}
# In these, values are free text: only a space look-alike (which breaks
# indentation or a key) is a defect.
TEXT_VALUES = {"yaml", "ini", "systemd"}


@cache
def _lexer(name: str):
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(name, stripnl=False, ensurenl=False)


def _is_text(token_type) -> bool:
    from pygments.token import Comment, Generic, Literal, String

    return (
        token_type in String
        or token_type in Comment
        or token_type in Generic.Output
        or token_type in Literal.Scalar
    )


def _apostrophe(text: str, index: int) -> bool:
    """A right single quote between letters is an apostrophe (`It’s`)."""
    return (
        text[index] == "\u2019"
        and 0 < index < len(text) - 1
        and text[index - 1].isalpha()
        and text[index + 1].isalpha()
    )


# Larger blocks are left to the limits of codecheck's checkers (limits.py).
MAX_BYTES = 256 * 1024


def check_characters(text: str, kind: str) -> list[Finding]:
    """Look-alike characters in the code of a snippet checked as `kind`."""
    if len(text) > MAX_BYTES or SUSPECTS.isdisjoint(text):
        return []
    name = LEXERS.get(kind)
    if name is None:
        return []
    # One finding per line and kind of look-alike: `“x”` is one defect.
    found: dict[tuple[int, str], tuple[int, list[str]]] = {}
    for start, token_type, value in _lexer(name).get_tokens_unprocessed(text):
        if _is_text(token_type):
            continue
        for index, char in enumerate(value):
            if char not in SUSPECTS or _apostrophe(value, index):
                continue
            if kind in TEXT_VALUES and char not in SPACES:
                continue
            line, column = position(text, start + index)
            column, chars = found.setdefault((line, ADVICE[char]), (column, []))
            if char not in chars:
                chars.append(char)
    findings = []
    for (line, advice), (column, chars) in found.items():
        names = " and ".join(
            f"U+{ord(c):04X} {unicodedata.name(c, 'UNKNOWN')}" for c in chars
        )
        findings.append(
            Finding(line, column, f"{names} in code; {advice}", "code/characters")
        )
    return findings
