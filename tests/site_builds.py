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


def calendar_days(page: BeautifulSoup) -> dict[int, object]:
    """{day: the calendar item that shows it}; a folded run of empty days
    ("1–8") is one item shown for each of its days."""
    days = {}
    for item in page.select_one("ol.calendar").find_all("li", recursive=False):
        numbers = item.select_one(".door-day").get_text(" ", strip=True).split()
        numbers = [int(n) for n in numbers if n.isdigit()]
        for day in range(numbers[0], numbers[-1] + 1):
            days[day] = item
    return days
