"""Build the site into a fresh folder and only then put it in place.

A failed build, a killed build or a full disk never damages the last good
output: the new site is written beside it and swapped in, in one step where
the system can (Linux's `renameat2` exchange: a reader of `output/` never
finds it missing), else by two renames. Leftovers of builds that were killed
(`.output-*` folders) are removed by the next build.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from plugins.core.problems import error

from .build import BuildRequest, BuildResult, build


def build_site(
    settings_file,
    output,
    *,
    today=None,
    content=None,
    search=False,
    overrides=None,
    runner=None,
) -> BuildResult:
    """Build into `output` (replaced only when the build has no error).

    `runner` runs the build request (default `build`: a fresh process);
    `invoke serve` passes one that keeps the process warm.
    """
    output = Path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(output)
        fresh = Path(
            tempfile.mkdtemp(
                prefix=f".{output.name}-new-{os.getpid()}-", dir=output.parent
            )
        )
    except OSError as exc:  # a read-only or full disk: a problem, not a traceback
        return BuildResult(
            [error(output, 0, "build/output", f"cannot write there: {exc.strerror}")],
            False,
            {},
            Counter(),
        )
    try:
        result = (runner or build)(
            BuildRequest(
                settings_file=str(settings_file),
                output=str(fresh),
                content=str(content) if content else None,
                today=today,
                search=search,
                overrides=dict(overrides or {}),
                previous=str(output),
            )
        )
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if not result.ok:
        shutil.rmtree(fresh, ignore_errors=True)
        return result
    try:
        swap(fresh, output)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        result.problems.append(
            error(output, 0, "build/output", f"cannot replace it: {exc.strerror}")
        )
        result.built = False
    return result


def swap(fresh: Path, output: Path) -> None:
    """Put `fresh` where `output` is; the old site is removed afterwards."""
    os.chmod(fresh, 0o755)  # mkdtemp makes it private; the site is public
    if output.is_dir() and not output.is_symlink() and exchange(fresh, output):
        shutil.rmtree(fresh, ignore_errors=True)  # the old site, now
        return
    old = output.with_name(f".{output.name}-old-{os.getpid()}")
    if output.exists():
        output.rename(old)
    fresh.rename(output)
    shutil.rmtree(old, ignore_errors=True)


# renameat2(2): AT_FDCWD and RENAME_EXCHANGE from <fcntl.h> and <stdio.h>.
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux's `renameat2` with RENAME_EXCHANGE);
    False, with nothing changed, where the C library or the file system
    cannot."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    done = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    return done == 0


def clean_leftovers(output: Path) -> None:
    """Remove what killed builds left beside `output` (no process owns them)."""
    for path in output.parent.glob(f".{output.name}-*"):
        owner = re.match(rf"\.{re.escape(output.name)}-(?:new|old)-(\d+)", path.name)
        if owner is None or _alive(int(owner.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
