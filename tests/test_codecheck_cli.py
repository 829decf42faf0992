"""`invoke codecheck`: output formats and exit statuses, run as a person would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROKEN_YAML = "tests/fixtures/codecheck/broken/yaml.md"


def codecheck(*args):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "codecheck", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_all_of_content_passes_with_exit_0():
    result = codecheck()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr
    assert "9 file(s)" in result.stderr


def test_errors_exit_1_in_text_format():
    result = codecheck("--path", BROKEN_YAML)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first == (
        f"{BROKEN_YAML}:10:3: error [code/yaml] "
        "duplicate key 'a' (already defined above)"
    )


def test_json_format_lists_every_problem():
    result = codecheck("--format", "json", "--path", BROKEN_YAML)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert len(problems) == 6
    assert set(problems[0]) >= {
        "path",
        "line",
        "column",
        "severity",
        "check",
        "message",
    }
    assert problems[0]["check"] == "code/yaml" and problems[0]["line"] == 10


def test_json_format_is_an_empty_list_without_problems():
    result = codecheck(
        "--format", "json", "--path", "tests/fixtures/codecheck/valid/yaml.md"
    )
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_github_annotations_and_paths_after_double_dash():
    result = codecheck(
        "--format", "github", "--", "tests/fixtures/codecheck/broken/sql.md"
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=tests/fixtures/codecheck/broken/sql.md,line=7,col=9,"
        'title=code/sql::syntax error at or near ";"'
    )


def test_several_paths_and_warnings_only_exit_0(tmp_path):
    untagged = tmp_path / "untagged.md"
    untagged.write_text("```\n$ ls\n```\n", encoding="utf-8")
    result = codecheck(
        "--path", str(untagged), "--path", "tests/fixtures/codecheck/valid"
    )
    assert result.returncode == 0
    assert "warning [code/untagged]" in result.stdout
    assert "1 warning(s)" in result.stderr


def test_command_that_cannot_run_exits_2():
    assert codecheck("--path", "no/such/file.md").returncode == 2
    assert codecheck("--format", "xml").returncode == 2
