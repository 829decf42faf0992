"""Build the real content as of a given day, once per test module (helpers
for tests/test_site_*.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def build_as_of(output: Path, today: str, publish: bool = False, content=None) -> Path:
    """`invoke build --today TODAY [--publish] [--content DIR]` into `output`,
    as a person would."""
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
    if content is not None:
        args += ["--content", str(content)]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return output


def with_season25(root: Path) -> Path:
    """A copy of the real content plus the fixture season of 25 articles
    (tests/season25.py) under `root`; returns the content folder."""
    from season25 import write_season25

    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    write_season25(content)
    return content


def two_seasons(built_site: Path, folder: Path) -> tuple[Path, int]:
    """A copy of a built site with a second season (2017 copied as 2015),
    without its search index; returns it and the pages of one season."""
    site = folder / "site"
    shutil.copytree(built_site, site)
    shutil.rmtree(site / "pagefind")
    shutil.copytree(site / "2017", site / "2015")
    return site, len(list((site / "2017" / "12").glob("*.html")))


def html_pages(folder: Path) -> list[str]:
    """Every HTML page of a built site, as paths under it (posix)."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.html")
        if "pagefind" not in p.relative_to(folder).parts
    )


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
