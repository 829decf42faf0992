"""Settings declared once per plugin, Sphinx-style: name, type, default, doc.

A plugin lists its settings as `SETTINGS = declare({...defaults}, {...docs})`.
`apply_defaults` fills in what the site's settings leave out; `validate`
reports a value of the wrong type and any unknown setting that carries a
plugin's prefix (a typo such as `CODECHECK_ALIAS` would otherwise be ignored).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One setting of a plugin."""

    name: str
    default: object
    doc: str
    types: tuple = ()  # accepted types; () accepts anything (a None default)

    def accepts(self, value) -> bool:
        if not self.types or value is None and self.default is None:
            return True
        if isinstance(value, bool) and bool not in self.types:
            return False  # True is an int to Python, not to an author
        return isinstance(value, self.types)


def _types_of(default) -> tuple:
    if default is None:
        return ()
    if isinstance(default, bool):
        return (bool,)
    if isinstance(default, int):
        return (int,)
    if isinstance(default, float):
        return (int, float)
    if isinstance(default, (list, tuple)):
        return (list, tuple)
    return (type(default),)


def declare(defaults: dict, docs: dict, types: dict | None = None) -> list[Setting]:
    """Settings from a dict of defaults and a dict of one-line docs.

    The type is the default's (lists and tuples are interchangeable; a None
    default accepts anything unless `types` names the accepted types).
    """
    missing = sorted(set(defaults) - set(docs))
    if missing:
        raise ValueError(f"settings without a doc line: {', '.join(missing)}")
    types = types or {}
    return [
        Setting(name, value, docs[name], types.get(name, _types_of(value)))
        for name, value in defaults.items()
    ]


def apply_defaults(settings: dict, declared) -> None:
    """Give every declared setting its default where the site sets none."""
    for setting in declared:
        if setting.name not in settings:
            value = setting.default
            settings[setting.name] = list(value) if isinstance(value, list) else value


def validate(settings: dict, declared, prefixes) -> list[str]:
    """Messages for wrong types and unknown settings with a declared prefix."""
    by_name = {s.name: s for s in declared}
    messages = []
    for name, value in settings.items():
        setting = by_name.get(name)
        if setting is None:
            if name.startswith(tuple(prefixes)):
                close = difflib.get_close_matches(name, list(by_name), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                messages.append(f"unknown setting {name}{hint}")
            continue
        if not setting.accepts(value):
            wanted = " or ".join(t.__name__ for t in setting.types)
            messages.append(
                f"setting {name} must be {wanted}, not {type(value).__name__} "
                f"({value!r}): {setting.doc}"
            )
    return messages


def prefix_of(declared) -> set[str]:
    """The prefixes (`CODECHECK_`, …) of a plugin's settings."""
    return {s.name.split("_", 1)[0] + "_" for s in declared}


def over_defaults(defaults: dict, settings=None) -> dict:
    """A plugin's settings for its pure functions: whatever `settings` (a
    Pelican settings dict, or a partial one in a test) sets over `defaults`."""
    merged = dict(defaults)
    merged.update({k: v for k, v in (settings or {}).items() if k in defaults})
    return merged
