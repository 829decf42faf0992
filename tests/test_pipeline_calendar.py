"""`invoke calendar`: the season's table and the empty-days warning."""

from __future__ import annotations

from conftest import article_text
from test_new import invoke


def calendar(site, *args):
    return invoke("calendar", "--content", str(site.content), *args)


def test_table_shows_each_state(site):
    site.write(
        "2017/16-a-draft.md",
        article_text(
            title="A draft", date="2017-12-16T00:00:00-05:00", day="16", status="draft"
        ),
    )
    result = calendar(site, "--year", "2017", "--today", "2017-12-12")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    row = {line.split()[0]: line for line in lines if line[:2].strip().isdigit()}
    assert len(row) == 25
    assert (
        "published" in row["12"] and "Monitoring Postgres Replication Lag" in row["12"]
    )
    assert "Kathryn Exline" in row["12"] and "Baron Schwartz" in row["12"]
    assert "scheduled" in row["13"]
    assert "draft" in row["16"] and "A draft" in row["16"]
    assert row["1"].split()[4] == "empty"
    assert "4 published, 3 scheduled, 1 draft, 17 empty" in result.stdout
    assert (
        "warning: 3 day(s) in the next 7 days have no article: "
        "Dec 16 (draft), Dec 17 (empty), Dec 18 (empty)" in result.stdout
    )


def test_no_warning_when_the_next_week_is_filled(site):
    result = calendar(site, "--year", "2017", "--today", "2017-12-09")
    assert result.returncode == 0
    assert "no article" not in result.stdout


def test_outside_december_there_is_nothing_to_warn_about(site):
    result = calendar(site, "--year", "2017", "--today", "2017-06-01")
    assert "no article" not in result.stdout
    assert "7 scheduled" in result.stdout


def test_a_broken_registry_counts_once_not_once_per_person_named(site):
    people = site.content / "people.toml"
    people.write_text(people.read_text(encoding="utf-8") + '\n[x]\nname = "X\n')
    result = calendar(site, "--year", "2017", "--today", "2017-12-12")
    assert "the articles have problems (1 error(s), 0 warning(s))" in result.stdout
