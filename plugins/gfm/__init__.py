"""gfm: the site's Markdown, parsed and rendered the way GitHub does.

Named `gfm`, not `markdown`: with `plugins/` on a path (the benchmark puts it
there) a package called `markdown` would hide Python-Markdown from Pelican.

`parser` (one configured markdown-it, tokens with file line maps), `html`
(tokens -> the site's HTML), `reader` (the Pelican reader of `.md` files),
`checks` (what an author should fix in prose: placeholders GitHub would
hide). Only `.md` files are content: pelicanconf.py turns Pelican's other
readers off.
"""

from __future__ import annotations

from plugins.core.checks import SOURCE, Check

__all__ = ["CHECKS", "register", "use_reader"]


def check_prose(sources, settings) -> list:
    """Prose placeholders (`<yourdomain>`) in every article and page."""
    import os

    from plugins.core.problems import warning
    from plugins.core.run import RUN_SETTING

    from .checks import CHECK, check_placeholders
    from .reader import PRERENDERED

    # The pipeline's pre-render stage found them in the same parse.
    run = settings.get(RUN_SETTING)
    done = run.data.get(PRERENDERED, {}) if run is not None else {}
    problems = []
    for source in sources:
        if source.kind not in ("article", "page"):
            continue
        found = (done.get(os.path.abspath(source.path)) or {}).get("placeholders")
        if found is None:
            problems.extend(check_placeholders(source))
            continue
        for line, column, message in found:
            problems.append(warning(source.path, line, CHECK, message, column=column))
    return problems


CHECKS = [
    Check("markdown", SOURCE, check_prose, "prose placeholders GitHub would hide")
]


def use_reader(pelican) -> None:
    """Read `.md` files with the site's reader (signal `initialized`).

    Set in READERS, which Pelican applies before `readers_init`, so whoever
    wraps readers then (the pipeline skips sources with errors) wraps this one.
    """
    from .reader import GFMReader

    readers = dict(pelican.settings.get("READERS") or {})
    readers["md"] = GFMReader
    pelican.settings["READERS"] = readers


def register():
    from pelican import signals

    signals.initialized.connect(use_reader)
