"""`invoke check`: all articles or only those changed since a git ref, and
GitHub Actions annotations plus the job summary."""

from __future__ import annotations

import os
import subprocess

from conftest import article_text
from test_new import invoke

BAD_SUMMARY = "TODO later"


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def make_repo(site):
    git(site.root, "init", "--quiet", "--initial-branch=main")
    git(site.root, "config", "user.email", "test@example.org")
    git(site.root, "config", "user.name", "Test")
    git(site.root, "add", ".")
    git(site.root, "commit", "--quiet", "-m", "base")


def check(site, *args, env=None):
    return invoke(
        "check",
        "--content",
        str(site.content),
        *args,
        **({"env": env} if env else {}),
    )


def test_reports_every_problem_with_path_and_line(site):
    site.write(
        "2017/16-x.md",
        article_text(
            date="2017-12-16T00:00:00-05:00",
            day="16",
            summary=BAD_SUMMARY,
            body="<script>x</script>\n",
        ),
    )
    result = check(site)
    assert result.returncode == 1
    assert "content/2017/16-x.md:7: error [contentrules/todo]" in result.stdout
    assert "content/2017/16-x.md:9:1: error [contentrules/script]" in result.stdout
    assert "2 error(s)" in result.stderr


def test_changed_since_checks_only_changed_articles(site):
    # An old article breaks a rule but was not touched by the branch.
    old = site.content / "2017" / "10-from-product-eng-to-systems-eng.md"
    old.write_text(old.read_text().replace("Tags:", "Tags: TODO,", 1))
    make_repo(site)
    git(site.root, "checkout", "--quiet", "-b", "post")
    site.write(
        "2017/16-new.md",
        article_text(date="2017-12-16T00:00:00-05:00", day="16", summary=BAD_SUMMARY),
    )
    git(site.root, "add", ".")
    git(site.root, "commit", "--quiet", "-m", "new post")
    # An uncommitted, untracked article takes a day that is already taken:
    # the duplicate is found because every article is still read.
    site.write(
        "2017/15-dup.md", article_text(date="2017-12-15T00:00:00-05:00", day="15")
    )

    result = check(site, "--changed-since", "main")
    assert result.returncode == 1
    out = result.stdout
    assert "16-new.md:7: error [contentrules/todo]" in out
    assert "15-dup.md:3: error [advent/metadata] day 15 of 2017 is taken twice" in out
    assert "10-from-product-eng" not in out.replace("also by", "")
    assert "2 file(s) changed since main" in result.stderr


def test_changed_since_with_nothing_changed_passes(site):
    make_repo(site)
    result = check(site, "--changed-since", "main")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 file(s) changed since main" in result.stderr


def test_unknown_ref_is_a_clear_error(site):
    make_repo(site)
    result = check(site, "--changed-since", "no-such-branch")
    assert result.returncode == 2
    assert "unknown git ref 'no-such-branch'" in result.stderr


def test_github_annotations_and_job_summary(site, tmp_path):
    site.write(
        "2017/16-x.md",
        article_text(
            date="2017-12-16T00:00:00-05:00",
            day="16",
            body="![](https://example.com/x.png)\n",
        ),
    )
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = check(site, "--format", "github", env=env)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::error")]
    assert len(annotations) == 2
    assert [line for line in lines if "::" in line and line not in annotations] == [
        line for line in lines if line.startswith("::warning") and "feeds/guid" in line
    ]
    assert annotations[0].split(",", 1)[0].endswith("content/2017/16-x.md")
    assert ",line=9,title=contentrules/image-alt::image" in annotations[0]
    text = summary.read_text()
    assert text.startswith("earlier step\n## sysadvent check")
    assert "| ❌ contentrules | 2 | 0 |" in text
    assert "| ✅ advent/metadata | 0 | 0 |" in text
    assert "| ✅ feeds/guid | 0 | 1 |" in text
    assert "content/2017/16-x.md:9` | error | contentrules/image-path |" in text


def test_the_job_summary_shows_an_authors_text_as_text(site, tmp_path):
    """A message quoting the author (an unknown person) cannot put a link,
    an image or a heading of the author's into the job summary."""
    from test_xss_people_and_terminal import rendered_cells

    authors = "[Approve](https://evil.example/) <h1>All checks passed</h1>"
    site.write(
        "2017/16-x.md",
        article_text(date="2017-12-16T00:00:00-05:00", day="16", authors=authors),
    )
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert check(site, env=env).returncode == 1
    rows = [line for line in summary.read_text().splitlines() if "16-x.md:4" in line]
    assert rows
    cells = rendered_cells("| a | b | c | d |\n|---|---|---|---|\n" + "\n".join(rows))
    messages = [text for elements, text in cells[3::4] if not elements]
    assert len(messages) == len(rows)
    assert any(f"unknown author '{authors}'" in text for text in messages)


def test_json_format(site):
    import json

    site.write(
        "2017/16-x.md",
        article_text(date="2017-12-16T00:00:00-05:00", day="16", summary=BAD_SUMMARY),
    )
    result = check(site, "--format", "json")
    found = json.loads(result.stdout)
    assert [(p["line"], p["check"]) for p in found if p["severity"] == "error"] == [
        (7, "contentrules/todo")
    ]


def test_preview_is_built_as_of_the_changed_article(site):
    make_repo(site)
    site.write(
        "2017/20-later.md",
        article_text(title="Later", date="2017-12-20T00:00:00-05:00", day="20"),
    )
    output = site.root / "preview"
    result = invoke(
        "preview",
        "--content",
        str(site.content),
        "--changed-since",
        "main",
        "--output",
        str(output),
    )
    assert result.returncode == 0, result.stderr
    assert "as of 2017-12-20" in result.stdout
    assert (output / "2017/12/day-20-later.html").exists()


def test_check_runs_code_block_and_internal_link_checks(site):
    site.write(
        "2017/16-x.md",
        article_text(
            date="2017-12-16T00:00:00-05:00",
            day="16",
            body=(
                "See [day 9](../2017/12/day-9-no-such-article.html).\n\n"
                "```yaml\nkey: [unclosed\n```\n"
            ),
        ),
    )
    result = check(site)
    assert result.returncode == 1
    assert "16-x.md:9:13: error [linkcheck/internal] a href " in result.stdout
    assert "16-x.md:12:1: error [code/yaml] while parsing a flow" in result.stdout
