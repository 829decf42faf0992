"""A scheduled article appears nowhere before its day, whatever its header
says, and never stops the build of an earlier day.

Pelican keeps articles in lists besides `articles` (hidden articles,
translations) and writes every one of them; the advent model filters only
`articles`. These builds put a scheduled article in each of those lists.
"""

from __future__ import annotations

import pytest
from conftest import SiteFixture, article_text, image_bytes

SECRET = "SCHEDULEDCANARY"


def scheduled(day: int, **extra) -> str:
    return article_text(
        title=f"Not yet {day}",
        date=f"2017-12-{day}T00:00:00-05:00",
        day=str(day),
        summary=f"{SECRET} summary",
        body=f"{SECRET} body.\n\n![what it shows]({{attach}}images/later-{day}.png)\n",
        **extra,
    )


def leaked(output) -> list[str]:
    """Every output file that names the scheduled article or holds its words."""
    found = []
    for path in sorted(output.rglob("*")):
        if path.is_file() and (
            "later-" in path.name
            or "not-yet" in path.name
            or SECRET.encode() in path.read_bytes()
            or b"not-yet" in path.read_bytes()
        ):
            found.append(str(path.relative_to(output)))
    return found


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "hidden"},
        {"status": "Hidden"},
        # Pelican groups articles by slug: one in another language becomes a
        # translation of the other, and translations are written as well.
        {"lang": "fr", "slug": "a-devops-christmas-carol"},
        {"lang": "de", "slug": "a-devops-christmas-carol", "translation": "true"},
    ],
    ids=["hidden", "Hidden", "lang", "translation"],
)
def test_a_scheduled_article_leaks_nowhere_and_never_stops_an_earlier_build(
    tmp_path, extra
):
    site = SiteFixture(tmp_path)
    (site.content / "2017" / "images").mkdir(exist_ok=True)
    (site.content / "2017" / "images" / "later-20.png").write_bytes(image_bytes())
    site.write("2017/20-not-yet.md", scheduled(20, **extra))
    result = site.build(today="2017-12-16")
    assert "Traceback" not in result.stderr
    assert ": error [" not in result.stderr, result.stderr
    assert result.returncode == 0
    assert leaked(site.output) == []
