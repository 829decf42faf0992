"""`invoke linkcheck`: build every article as of its day, report its links."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .build import BuildRequest, build
from .changes import changed_files
from .settings import load_settings


def linkcheck(
    settings_file,
    content=None,
    *,
    external=False,
    fmt="text",
    changed_since=None,
    overrides=None,
    out=sys.stdout,
    err=sys.stderr,
) -> int:
    """Build, check and report; the exit status of `plugins.linkcheck.command`."""
    from plugins.linkcheck import report
    from plugins.linkcheck.command import CANNOT_RUN, run

    from .changes import GitError

    if fmt not in report.FORMATS:  # said before a whole build, not after it
        print(f"linkcheck: unknown format {fmt!r} ({', '.join(report.FORMATS)})", file=err)  # fmt: skip
        return CANNOT_RUN
    try:
        changed = (
            changed_files(changed_since, content or "content")
            if changed_since
            else None
        )
    except GitError as exc:
        print(f"linkcheck: {exc}", file=err)
        return CANNOT_RUN
    overrides = dict(overrides or {})
    with tempfile.TemporaryDirectory(prefix="sysadvent-linkcheck-") as tmp:
        output = Path(tmp) / "site"
        result = build(
            BuildRequest(
                settings_file=str(settings_file),
                output=str(output),
                content=str(content) if content else None,
                overrides=overrides,
                mode="check",
                # External links are checked while the site builds.
                external=external,
                external_sources=None if changed is None else sorted(map(str, changed)),
            )
        )
        settings = load_settings(settings_file, content, overrides)
        return run(
            result,
            output,
            settings,
            external=external,
            fmt=fmt,
            changed=changed,
            out=out,
            err=err,
        )
