"""The search index: Pagefind (PyPI `pagefind[bin]`, the binary is in the wheel)
over the built folder, before it replaces the live output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from plugins.core.problems import error


def start_search(site: Path) -> subprocess.Popen:
    """Start indexing article bodies (`data-pagefind-body`) into
    `site/pagefind/`; the build goes on meanwhile (`finish_search`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def index_search(site: Path) -> list:
    """Index the site and wait; a problem (not an exception) when Pagefind fails."""
    return finish_search(start_search(site), site)


def finish_search(process: subprocess.Popen, site: Path) -> list:
    """Wait for Pagefind; a problem (not an exception) when it failed."""
    stdout, stderr = process.communicate()
    result = subprocess.CompletedProcess(
        process.args, process.returncode, stdout, stderr
    )
    if result.returncode != 0:
        detail = (result.stdout + result.stderr).strip().splitlines()
        return [
            error(
                site,
                0,
                "build/search",
                "the Pagefind search index could not be built: "
                + (detail[-1] if detail else f"exit {result.returncode}"),
            )
        ]
    return []
