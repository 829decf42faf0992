"""`invoke publish`: to a folder with rsync and to a bare repository's gh-pages
branch with ghp-import; a failing build leaves both untouched."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from conftest import article_text
from test_feeds_units import hub  # noqa: F401  (the fixture)
from test_new import invoke


def tree(folder):
    """Every file under `folder` with its content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def refs(repo):
    return subprocess.run(
        ["git", "for-each-ref"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def publish(site, *args):
    return invoke(
        "publish", "--content", str(site.content), "--today", "2017-12-31", *args
    )


def break_content(site):
    site.write(
        "2017/16-bad.md",
        article_text(
            date="2017-12-16T00:00:00-05:00", day="16", body="<script>x()</script>\n"
        ),
    )


def test_rsync_to_a_folder_then_a_failed_publish_changes_nothing(site, tmp_path):
    live = tmp_path / "live"
    result = publish(site, "--target", str(live))
    assert result.returncode == 0, result.stderr
    assert (live / "index.html").exists()
    page = (live / "2017/12/day-15-a-devops-christmas-carol.html").read_text()
    assert 'href="https://sysadvent.example.org/' in page  # publishconf.py URLs
    (live / "stale.html").write_text("gone after the next publish")

    # A second good publish removes what the site no longer has.
    assert publish(site, "--target", str(live)).returncode == 0
    assert not (live / "stale.html").exists()

    before = tree(live)
    break_content(site)
    result = publish(site, "--target", str(live))
    assert result.returncode == 1
    assert "16-bad.md:9:1: error [contentrules/script]" in result.stderr
    assert "nothing was deployed" in result.stderr
    assert tree(live) == before


@pytest.fixture
def bare_repo(tmp_path):
    repo = tmp_path / "site.git"
    subprocess.run(["git", "init", "--bare", "--quiet", str(repo)], check=True)
    return repo


def test_gh_pages_to_a_bare_repo_then_a_failed_publish_changes_nothing(site, bare_repo):
    result = publish(site, "--gh-pages", "--remote", str(bare_repo))
    assert result.returncode == 0, result.stderr
    files = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "gh-pages"],
        cwd=bare_repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "index.html" in files and ".nojekyll" in files
    assert "2017/12/day-15-a-devops-christmas-carol.html" in files

    # A second publish adds a commit on top: history is kept, nothing forced.
    site.write(
        "2017/16-more.md",
        article_text(date="2017-12-16T00:00:00-05:00", day="16", title="More"),
    )
    assert publish(site, "--gh-pages", "--remote", str(bare_repo)).returncode == 0
    count = subprocess.run(
        ["git", "rev-list", "--count", "gh-pages"],
        cwd=bare_repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert count == "2"

    before = refs(bare_repo)
    break_content(site)
    result = publish(site, "--gh-pages", "--remote", str(bare_repo))
    assert result.returncode == 1
    assert "nothing was deployed" in result.stderr
    assert refs(bare_repo) == before


def test_needs_exactly_one_target(site):
    result = publish(site)
    assert result.returncode == 2
    assert "--target" in result.stderr and "--gh-pages" in result.stderr


def test_publish_pings_the_websub_hub_after_the_deploy(site, tmp_path, hub):  # noqa: F811
    import os

    url, pings = hub
    live = tmp_path / "live"
    env = {**os.environ, "SYSADVENT_WEBSUB_HUB": f"{url}/hub"}
    result = invoke(
        "publish",
        "--content",
        str(site.content),
        "--today",
        "2017-12-31",
        "--target",
        str(live),
        env=env,
    )
    assert result.returncode == 0, result.stderr
    pinged = {p[1]["hub.url"][0] for p in pings}
    assert "https://sysadvent.example.org/feeds/all.atom.xml" in pinged
    assert all(p[1]["hub.mode"] == ["publish"] for p in pings)
    feeds = [p for p in (live / "feeds").rglob("*.*") if p.name != "index.html"]
    assert len(pinged) == len(feeds)


SCHEDULED_WITH_BROKEN_ANCHOR = article_text(
    title="Later",
    date="2017-12-20T00:00:00-05:00",
    day="20",
    body="See [the carol](day-15-a-devops-christmas-carol.html#no-such-part).\n",
)


def test_a_scheduled_article_fails_check_but_not_an_earlier_publish(site, tmp_path):
    site.write("2017/20-later.md", SCHEDULED_WITH_BROKEN_ANCHOR)
    # The pull request: checked as it will be on 20 December, today.
    checked = invoke("check", "--content", str(site.content))
    assert checked.returncode == 1
    assert "20-later.md:9:" in checked.stdout and "no-such-part" in checked.stdout
    # The daily publish of 15 December: the site of that day goes out, and the
    # problem of the 20th is reported, as a warning that names its day.
    live = tmp_path / "live"
    published = invoke(
        "publish", "--content", str(site.content), "--today", "2017-12-15",
        "--target", str(live),
    )  # fmt: skip
    assert published.returncode == 0, published.stderr
    assert (live / "2017/12/day-15-a-devops-christmas-carol.html").exists()
    assert not (live / "2017/12/day-20-later.html").exists()
    warning = next(
        line for line in published.stderr.splitlines() if "20-later.md:9:" in line
    )
    assert "warning [linkcheck/internal]" in warning
    assert "no-such-part" in warning and "scheduled for 2017-12-20" in warning


def test_a_target_that_is_a_file_is_refused(site, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    result = publish(site, "--target", str(target))
    assert result.returncode == 1
    assert "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text() == "not a folder"
