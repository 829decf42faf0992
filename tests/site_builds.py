"""Build the real content as of a given day, once per test module (helpers
for tests/test_site_*.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def build_as_of(output: Path, today: str, publish: bool = False) -> Path:
    """`invoke build --today TODAY [--publish]` into `output`, as a person would."""
    args = [
        sys.executable,
        "-m",
        "invoke",
        "build",
        "--today",
        today,
        "--output",
        str(output),
    ]
    if publish:
        args.append("--publish")
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return output


def soup(folder: Path, relpath: str) -> BeautifulSoup:
    """The parsed page at `relpath` of a built site."""
    return BeautifulSoup((folder / relpath).read_text(encoding="utf-8"), "html.parser")


def pipeline_build(settings_file, output, today=None, mode="build", **overrides):
    """The pipeline's build (in a fresh process), returning its result."""
    from pipeline.build import BuildRequest, build

    return build(
        BuildRequest(
            settings_file=str(settings_file),
            output=str(output),
            today=today,
            overrides=overrides,
            mode=mode,
        )
    )


def article_pages(folder: Path, pattern: str = "2017/12/*.html") -> list[Path]:
    """The article pages among `pattern`: redirect pages written for old
    addresses (the aliases plugin) live beside them and are left out."""
    return sorted(
        p
        for p in folder.glob(pattern)
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
    )
