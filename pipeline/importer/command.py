"""`invoke import blogger EXPORT.xml` and `invoke import html PATH`.

Exit status: 0 imported (the report lists what needs a person), 1 the export
or some entries could not be read (named in the message), 2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .blogger import ExportError
from .run import Options, fetch_settings, import_blogger, import_html

KINDS = ("blogger", "html")


def run(
    kind: str,
    path: str,
    *,
    settings_file,
    content=None,
    years=(),
    offline=False,
    dry_run=False,
    force=False,
    pages=False,
    report_file=None,
    fmt="text",
    overrides=None,
    out=None,
    err=None,
) -> int:
    """Run one import, print its report, write the Markdown report; exit status."""
    from pipeline.settings import SettingsError, load_settings
    from plugins.core.problems import format_problems

    out, err = out or sys.stdout, err or sys.stderr
    if kind not in KINDS:
        print(
            f"invoke import: the first word is one of {', '.join(KINDS)}, not {kind!r}",
            file=err,
        )
        return 2
    if fmt not in ("text", "markdown"):
        print("invoke import: --format is text or markdown", file=err)
        return 2
    try:
        wanted = {int(y) for y in years or ()}
    except ValueError:
        print(f"invoke import: --year takes a year, not {years!r}", file=err)
        return 2
    try:
        settings = load_settings(settings_file, content, overrides)
    except ValueError as exc:  # Pelican's word for a missing content folder
        print(f"invoke import: {exc}", file=err)
        return 2
    except SettingsError as exc:
        print(format_problems(exc.problems), file=err)
        return 2
    options = Options(
        settings,
        years=wanted,
        offline=offline,
        dry_run=dry_run,
        force=force,
        pages=pages,
        fetch=fetch_settings(settings),
    )
    try:
        if kind == "blogger":
            result = import_blogger(path, options)
        else:
            result = import_html(path, options)
    except ExportError as exc:
        print(f"invoke import: {exc}; nothing was written", file=err)
        return 1
    print(
        result.as_markdown() if fmt == "markdown" else result.as_text(),
        file=out,
        end="",
    )
    if report_file:
        Path(report_file).write_text(result.as_markdown(), encoding="utf-8")
        print(f"review report: {report_file}", file=err)
    print(result.summary(), file=err)
    return 1 if result.failed else 0
