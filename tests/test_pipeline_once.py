"""One pipeline: every source read once, every check run once per command,
every problem reported together, machine-readable output pure on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article_text

ROOT = Path(__file__).resolve().parent.parent

# Runs one build in a fresh process, in that one process (no worker pool, so
# the pre-render stage's calls are counted too), and counts, by code object,
# every call of the functions that read a source or check one, whoever calls
# them (a direct call from a plugin counts as much as one from the registry).
COUNTER = r"""
import collections, json, sys
from pipeline.build import BuildRequest, execute

WATCHED = {
    ("plugins/core/source.py", "read_source"): "path",
    ("plugins/advent/rules.py", "check_article"): "path",
    ("plugins/contentrules/rules.py", "check_facts"): "path",
    ("plugins/contentrules/rules.py", "check_rendered"): "path",
    ("plugins/codecheck/check.py", "plan_sources"): None,
    ("plugins/attachments/references.py", "quick_references"): None,
    ("plugins/linkcheck/internal.py", "internal_findings"): None,
    ("plugins/feeds/ids.py", "resolve_ids"): None,
    ("markdown_it/main.py", "parse"): None,
}
calls = collections.Counter()

def profile(frame, event, arg):
    if event != "call":
        return
    code = frame.f_code
    if code.co_name == "sanitize_html" and frame.f_back.f_code.co_name == "clean":
        calls["sanitized when Pelican read it|*"] += 1
    for (suffix, name), argument in WATCHED.items():
        if code.co_name == name and code.co_filename.endswith(suffix):
            subject = str(frame.f_locals.get(argument)) if argument else "*"
            calls[f"{name}|{subject}"] += 1

settings, output, content, mode, today, overrides = sys.argv[1:7]
sys.setprofile(profile)
result = execute(BuildRequest(settings, output, content=content, mode=mode,
                              today=today or None, search=False,
                              overrides=json.loads(overrides)))
sys.setprofile(None)
print(json.dumps({"calls": calls, "built": result.built,
                  "problems": [p.as_text() for p in result.problems]}),
      file=sys.stderr)
"""


def count_calls(content, output, settings, mode, today="", overrides=None):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            COUNTER,
            settings,
            str(output),
            str(content),
            mode,
            today,
            json.dumps(overrides or {}),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SYSADVENT_WORKERS": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("settings", "mode", "internal_links"),
    [
        ("pelicanconf.py", "build", 0),  # invoke build
        ("publishconf.py", "build", 1),  # invoke build --publish, invoke publish
        ("pelicanconf.py", "check", 1),  # invoke check
    ],
)
def test_each_check_runs_exactly_once_per_source(
    site, tmp_path, settings, mode, internal_links
):
    found = count_calls(
        site.content,
        tmp_path / "out",
        settings,
        mode,
        "2017-12-31",
        {"CACHE_PATH": str(tmp_path / "cache")},  # cold: every check runs
    )
    assert found["built"], found["problems"]
    calls = found["calls"]
    articles = sorted(str(p) for p in site.content.glob("2017/*.md"))
    pages = sorted(str(p) for p in site.content.glob("pages/*.md"))
    assert len(articles) == 7 and len(pages) == 2
    for path in [*articles, *pages, str(site.content / "people.toml")]:
        assert calls[f"read_source|{path}"] == 1, path
    for path in articles:
        assert calls[f"check_article|{path}"] == 1, path
    for path in [*articles, *pages]:
        assert calls[f"check_facts|{path}"] == 1, path
        assert calls[f"check_rendered|{path}"] == 1, path
    assert calls["plan_sources|*"] == 1
    assert calls["quick_references|*"] == len(articles) + len(pages)
    assert calls["resolve_ids|*"] == 1
    assert calls.get("internal_findings|*", 0) == internal_links
    # The sanitizer's first pass was made where each source was rendered.
    assert calls.pop("sanitized when Pelican read it|*", 0) == 0
    # Nothing else reads a source or runs one of these checks.
    calls.pop("parse|*", None)
    assert sum(calls.values()) == (
        len(articles) * 5 + len(pages) * 4 + 1 + 1 + 1 + internal_links
    )


def test_each_source_is_parsed_once_for_the_page_and_every_check(site, tmp_path):
    # Every parse is counted (one process): the page's render, the content
    # rules and codecheck all read the same tokens (PARSE_FACTS); the only
    # other parses are of the formatted header fields (summaries).
    found = count_calls(
        site.content,
        tmp_path / "out",
        "publishconf.py",
        "build",
        "2017-12-31",
        {"CACHE_PATH": str(tmp_path / "cache")},  # cold: nothing cached
    )
    assert found["built"], found["problems"]
    calls = found["calls"]
    sources = len(list(site.content.glob("2017/*.md"))) + len(
        list(site.content.glob("pages/*.md"))
    )
    summaries = sum(
        "\nSummary:" in p.read_text(encoding="utf-8")
        for p in [*site.content.glob("2017/*.md"), *site.content.glob("pages/*.md")]
    )
    assert calls["parse|*"] == sources + summaries


EVERY_CHECKER = """\
Title: Every <b>mistake</b> at once
Date: 2017-12-16T00:00:00-05:00
Day: 16
Authors: eric-sigler
Editors: michelle-carroll, nobody-we-know
Tags: testing
Summary: A summary.
Guid: not-a-uuid-nor-a-uri

<script>alert(1)</script>

A [broken link](../2017/12/day-9-no-such-article.html).

```yaml
key: [unclosed
```
"""


def write_every_mistake(site):
    site.write("2017/16-every.md", EVERY_CHECKER)
    (site.content / "2017" / "17-latin1.md").write_bytes(
        article_text(date="2017-12-17T00:00:00-05:00", day="17").encode()
        + "Caf\xe9\n".encode("latin-1")
    )


def run_invoke(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True
    )


def test_one_check_run_reports_every_checker_in_every_format(site):
    write_every_mistake(site)
    found = {}
    for fmt in ("text", "json", "github", "markdown"):
        result = run_invoke("check", "--content", str(site.content), "--format", fmt)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        found[fmt] = result.stdout
    rows = json.loads(found["json"])
    checks = {row["check"] for row in rows if row["severity"] == "error"}
    every = "16-every.md"
    assert {
        "advent/metadata",  # unknown editor
        "contentrules/script",
        "code/yaml",
        "linkcheck/internal",
        "feeds/guid",
    } <= {row["check"] for row in rows if row["path"].endswith(every)}
    assert "source/read" in checks  # the Latin-1 file, in the same run
    for row in rows:
        line = f"{row['path']}:{row['line']}" if row["line"] else row["path"]
        assert line in found["text"]
        assert f"title={row['check']}" in found["github"]
        assert row["check"] in found["markdown"]


def test_json_output_parses_whether_the_build_passes_or_fails(site):
    for command in ("check", "linkcheck"):
        result = run_invoke(command, "--content", str(site.content), "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == []
    write_every_mistake(site)
    (site.content / "2017" / "18-empty.md").write_text("")
    for command in ("check", "linkcheck"):
        result = run_invoke(command, "--content", str(site.content), "--format", "json")
        assert result.returncode == 1, result.stderr
        assert json.loads(result.stdout), command
        assert "Done:" not in result.stdout  # Pelican's chatter goes to stderr
