"""`invoke linkcheck` end to end: build, check, report, exit status."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import article_text
from test_linkcheck_external import Server

import tasks
from pipeline.links import linkcheck

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def web():
    started = [Server("127.0.0.1"), Server("127.0.0.2")]
    yield started
    for server in started:
        server.close()


from test_linkcheck_internal import WITHOUT_CONTENT_RULES  # noqa: E402


def check(content, tmp_path, fmt="json", **kwargs):
    """`invoke linkcheck` as the task runs it, with tiny waits and loopback allowed."""
    overrides = {
        "PLUGINS": WITHOUT_CONTENT_RULES,
        "STATIC_PATHS": ["images"],
        "LINKCHECK_ALLOW_NETWORKS": ["127.0.0.0/8"],
        "LINKCHECK_CACHE_PATH": str(tmp_path / "cache"),
        "LINKCHECK_TIMEOUT": 0.5,
        "LINKCHECK_BACKOFF_BASE": 0.01,
        "LINKCHECK_HOST_MIN_GAP": 0.0,
        # The Write page links the repository: no internet here.
        "REPOSITORY_URL": "",
        "CONTRIBUTING_URL": "",
    }
    out, err = io.StringIO(), io.StringIO()
    code = linkcheck(
        tasks.PUBLISH_SETTINGS,
        content,
        fmt=fmt,
        overrides=overrides,
        out=out,
        err=err,
        **kwargs,
    )
    return code, out.getvalue(), err.getvalue()


def make_content(tmp_path, web):
    a, b = web
    a.redirects["/old"] = (301, a.url("/ok-new"))
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    # Only our article: the real ones link to real sites, out of a test's reach.
    for path in content.glob("20*/*.md"):
        path.unlink()
    body = (
        "Intro.\n\n"
        f"A [fine page]({a.url('/ok')}) and a [gone one]({b.url('/status/410')}).\n"
        f"An [old address]({a.url('/old')}#part).\n"
        f"A [bot wall]({b.url('/status/403')}), [empty]() and "
        f"[fine again]({a.url('/ok')}#x).\n"
    )
    (content / "2017/16-links.md").write_text(
        article_text(
            title="Links", date="2017-12-16T00:00:00-05:00", day="16", body=body
        )
    )
    return content


def test_external_findings_point_at_markdown_lines_in_json(tmp_path, web):
    a, b = web
    content = make_content(tmp_path, web)
    code, out, err = check(content, tmp_path, external=True)
    assert code == 1, err
    rows = json.loads(out)
    for row in rows:
        assert {"url", "path", "line", "outcome", "status", "message"} <= set(row)
    by_url = {row["url"]: row for row in rows}
    gone = by_url[b.url("/status/410")]
    assert (gone["outcome"], gone["status"], gone["severity"]) == (
        "broken",
        410,
        "error",
    )
    assert gone["path"].endswith("2017/16-links.md") and gone["line"] == 11
    old = by_url[a.url("/old") + "#part"]
    assert (old["outcome"], old["severity"], old["line"]) == ("ok", "warning", 12)
    assert a.url("/ok-new") in old["message"]
    wall = by_url[b.url("/status/403")]
    assert (wall["outcome"], wall["severity"], wall["line"]) == (
        "unknown",
        "warning",
        13,
    )
    assert by_url[""]["line"] == 13  # the internal check runs too
    assert a.url("/ok") not in by_url
    # Each URL once per run, however many links use it (fragments aside).
    assert a.hits["/ok"] == 1
    assert "external URL(s)" in err
    # The cache is written where the settings say.
    assert (tmp_path / "cache" / "linkcheck.json").is_file()


def test_markdown_and_github_formats(tmp_path, web):
    content = make_content(tmp_path, web)
    code, out, _ = check(content, tmp_path, fmt="markdown", external=True)
    assert code == 1
    assert out.startswith("## Link check")
    assert "### Broken" in out and "### Warnings" in out
    assert "| `" in out and "16-links.md:11`" in out
    code, out, _ = check(content, tmp_path, fmt="github")
    assert code == 1
    assert "::error file=" in out and "16-links.md,line=13" in out


def test_only_warnings_exit_zero(tmp_path, web):
    a, _ = web
    a.redirects["/old"] = (301, a.url("/ok-new"))
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for path in content.glob("20*/*.md"):
        path.unlink()
    body = f"Moved: [here]({a.url('/old')}).\n"
    (content / "2017/16-links.md").write_text(
        article_text(
            title="Links", date="2017-12-16T00:00:00-05:00", day="16", body=body
        )
    )
    code, out, _ = check(content, tmp_path, fmt="text", external=True)
    assert code == 0
    assert "warning [linkcheck/external] moved permanently to" in out


def git(cwd, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_changed_since_checks_only_the_changed_articles(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    old = content / "2017/15-a-devops-christmas-carol.md"
    old.write_text(old.read_text() + "\nAn old [empty link]() nobody touched.\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "seed")
    new = content / "2017/16-new.md"
    new.write_text(
        article_text(
            title="New",
            date="2017-12-16T00:00:00-05:00",
            day="16",
            body="A [new]() one.\n",
        )
    )
    code, out, err = check(content, tmp_path, changed_since="HEAD")
    assert code == 1
    assert [Path(row["path"]).name for row in json.loads(out)] == ["16-new.md"]
    assert "1 page(s) checked" in err
    code, out, _ = check(content, tmp_path)
    assert sorted(Path(row["path"]).name for row in json.loads(out)) == [
        "15-a-devops-christmas-carol.md",
        "16-new.md",
    ]


def test_cannot_run_exits_two(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    git(tmp_path, "init", "-q")
    code, _, err = check(content, tmp_path, changed_since="no-such-ref")
    assert code == 2 and "unknown git ref" in err
    # A broken article does not stop the link check of everything else.
    (content / "2017/16-bad.md").write_text("Title: no header to speak of\n\nText.\n")
    code, out, err = check(content, tmp_path)
    assert code == 0 and json.loads(out) == []
    assert "other error(s): run `invoke check`" in err
    code, _, err = check(content, tmp_path, fmt="xml")
    assert code == 2


def test_external_links_are_checked_while_the_site_builds(tmp_path, web, monkeypatch):
    import pipeline.links

    a, b = web
    content = make_content(tmp_path, web)
    built_at = []
    real_build = pipeline.links.build

    def timed_build(request):
        result = real_build(request)
        built_at.append(time.monotonic())
        return result

    monkeypatch.setattr(pipeline.links, "build", timed_build)
    code, out, err = check(content, tmp_path, external=True)
    assert code == 1, err
    # Every link of the article was requested before the build returned, and
    # once: the check of the built site took the build's outcomes.
    starts = a.starts + b.starts
    assert {path for path, _ in starts} >= {"/ok", "/status/410", "/old", "/status/403"}
    assert all(at < built_at[0] for _, at in starts)
    assert a.hits["/ok"] == b.hits["/status/410"] == 1
    # The same findings as a check after the build.
    by_url = {row["url"]: row for row in json.loads(out)}
    assert by_url[b.url("/status/410")]["line"] == 11
    assert by_url[a.url("/old") + "#part"]["severity"] == "warning"
    assert "4 checked while the site built" in err


def test_only_link_destinations_are_checked_while_building():
    from plugins.core.source import Source, parse_header
    from plugins.linkcheck.prefetch import URLS_KEY, urls_fact, wanted_urls

    text = article_text(
        title="Links",
        date="2017-12-16T00:00:00-05:00",
        day="16",
        body=(
            "A [link](https://example.org/a#part), ![an image](https://example.org/i.png),\n"
            "<https://example.org/auto>, [local]({filename}other.md), [top](#top).\n\n"
            "`curl https://example.org/in-code`\n\n"
            "```bash\ncurl https://example.org/in-block\n```\n"
        ),
    )
    source = Source(path="/c/2017/16-links.md", text=text, header=parse_header(text))
    urls = urls_fact(source, {}, {})
    assert urls == [
        "https://example.org/a#part",
        "https://example.org/i.png",
        "https://example.org/auto",
        "{filename}other.md",
        "#top",
    ]
    source._cache[URLS_KEY] = urls
    settings = {"SITEURL": "https://sysadvent.example.org"}
    from plugins.linkcheck.settings import with_defaults

    options = with_defaults(settings)
    assert wanted_urls([source], options) == [
        "https://example.org/a",
        "https://example.org/i.png",
        "https://example.org/auto",
    ]
    assert wanted_urls([source], options, only=["/c/2017/other.md"]) == []
