"""`invoke new`: free day, taken day, unknown and new people, as a person runs it."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT


def invoke(*args, env=None):
    """Run an invoke task in a subprocess, as a person would."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )


def new(site, *args):
    return invoke("new", "--content", str(site.content), *args)


def test_takes_the_first_free_day_from_today(site):
    result = new(
        site,
        "--title",
        "Backups: the Sequel",
        "--author",
        "eric-sigler",
        "--today",
        "2017-12-10",
    )
    assert result.returncode == 0, result.stderr
    path = site.content / "2017" / "16-backups-the-sequel.md"
    text = path.read_text()
    # Days 10..15 are taken in the real content: 16 is the first free one.
    assert "Title: Backups: the Sequel\n" in text
    assert "Date: 2017-12-16T00:00:00-05:00\n" in text
    assert "Day: 16\n" in text
    assert "Authors: eric-sigler\n" in text
    assert "Summary: TODO" in text
    assert "Tags: TODO" in text
    assert "created " in result.stdout and "16-backups-the-sequel.md" in result.stdout


def test_a_past_season_starts_at_day_one(site):
    result = new(
        site,
        "--title",
        "Old",
        "--author",
        "eric-sigler",
        "--year",
        "2017",
        "--today",
        "2018-03-01",
    )
    assert result.returncode == 0, result.stderr
    assert (site.content / "2017" / "01-old.md").exists()


def test_refuses_a_taken_day(site):
    before = sorted(p.name for p in (site.content / "2017").iterdir())
    result = new(
        site,
        "--title",
        "Clash",
        "--author",
        "eric-sigler",
        "--year",
        "2017",
        "--day",
        "15",
    )
    assert result.returncode == 1
    assert "day 15 of 2017 is taken by" in result.stderr
    assert "15-a-devops-christmas-carol.md" in result.stderr
    assert "free days: 1, 2, 3" in result.stderr
    assert sorted(p.name for p in (site.content / "2017").iterdir()) == before


def test_unknown_author_is_told_the_flags_to_add(site):
    people = (site.content / "people.toml").read_text()
    result = new(
        site, "--title", "Hello", "--author", "jane-doe", "--year", "2017", "--day", "2"
    )
    assert result.returncode == 1
    assert "unknown author 'jane-doe'" in result.stderr
    assert '--name "Full Name"' in result.stderr and "--handle" in result.stderr
    assert (site.content / "people.toml").read_text() == people
    assert not (site.content / "2017" / "02-hello.md").exists()


def test_a_new_person_is_added_to_the_registry(site):
    result = new(
        site,
        "--title",
        "Hello",
        "--author",
        "jane-doe",
        "--year",
        "2017",
        "--day",
        "2",
        "--name",
        'Jane "JD" Doe',
        "--handle",
        "@janedoe",
        "--editor",
        "corey-quinn",
        "--tags",
        "testing",
    )
    assert result.returncode == 0, result.stderr
    people = tomllib.loads((site.content / "people.toml").read_text())
    assert people["jane-doe"] == {"name": 'Jane "JD" Doe', "handle": "janedoe"}
    text = (site.content / "2017" / "02-hello.md").read_text()
    assert "Editors: corey-quinn\nTags: testing\n" in text
    # Only the TODO summary and body are left for the author to write.
    check = invoke("check", "--content", str(site.content))
    assert check.returncode == 1
    todo = [line for line in check.stdout.splitlines() if "02-hello.md" in line]
    assert todo and all("[contentrules/todo]" in line for line in todo)


def test_a_filled_in_article_passes_check(site):
    new(
        site,
        "--title",
        "Filled",
        "--author",
        "eric-sigler",
        "--year",
        "2017",
        "--day",
        "3",
        "--editor",
        "corey-quinn",
        "--tags",
        "testing",
    )
    path = site.content / "2017" / "03-filled.md"
    text = path.read_text().replace("Summary: TODO one or two", "Summary: Two")
    body_start = text.index("\n\n")
    path.write_text(text[:body_start] + "\n\nThe article.\n")
    result = invoke("check", "--content", str(site.content))
    assert result.returncode == 0, result.stdout + result.stderr
