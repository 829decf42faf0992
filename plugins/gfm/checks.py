"""What an author should fix in the prose of an article, found in its parse.

`check_placeholders`: a prose placeholder such as `<yourdomain>` is an HTML
tag to Markdown; GitHub's preview hides it (and the words it wraps). The
site shows it as text, and this warns, with the fix, so both agree.
"""

from __future__ import annotations

from plugins.core.problems import Problem, warning

from . import htmltags
from .parser import parse_source

CHECK = "markdown/placeholder"


def placeholder_problems(tokens, lines: list[str], path: str) -> list[Problem]:
    """A warning at each prose placeholder of parsed tokens (`lines`: the file's)."""
    problems = []
    for token in tokens:
        if token.type != "inline" or not token.children or not token.map:
            continue
        line = token.map[0]
        searched: dict[int, int] = {}  # line -> where the next search starts
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
                continue
            if child.type != "html_inline" or not child.meta.get("placeholder"):
                continue
            raw = child.content
            text = lines[line] if line < len(lines) else ""
            found = text.find(raw, searched.get(line, 0))
            searched[line] = found + len(raw) if found >= 0 else 0
            name = (htmltags.open_tag(raw) or ("",))[0]
            what = (
                "is not an HTML element"
                if name not in htmltags.KNOWN_ELEMENTS
                else "is an HTML tag that nothing closes"
            )
            inner = raw.strip()[1:-1]
            problems.append(
                warning(
                    path,
                    line + 1,
                    CHECK,
                    f"{raw} {what}: GitHub's preview hides it (the site shows it "
                    f"as text); write `{raw}` in backticks or &lt;{inner}&gt;",
                    column=found + 1 if found >= 0 else 0,
                )
            )
    return problems


def check_placeholders(source) -> list[Problem]:
    """Placeholder warnings for one `plugins.core.source.Source`."""
    if not source.ok:
        return []
    return placeholder_problems(
        parse_source(source), source.body_blanked().split("\n"), source.path
    )
