"""The search index: Pagefind (PyPI `pagefind[bin]`, the binary is in the wheel)
over the built folder, before it replaces the live output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from plugins.core.problems import error


def index_search(site: Path) -> list:
    """Index article bodies (`data-pagefind-body`) into `site/pagefind/`;
    a problem (not an exception) when Pagefind fails."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        capture_output=True,
        text=True,
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
