"""Bounded checkers: deep, huge, slow or memory-hungry code blocks become one
problem at the block's line, never a traceback or a hung check."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from plugins.codecheck import check_sources
from plugins.codecheck.limits import Limits, Sandbox

FENCE_LINE = 3  # "Intro.", "", then the fence


def problems(lang: str, body: str, **settings) -> list[str]:
    text = f"Intro.\n\n```{lang}\n{body}\n```\n"
    report = check_sources([("a.md", text)], {"CODECHECK_CACHE": None, **settings})
    return [p.as_text() for p in report.problems]


def too_deep(levels: int) -> str:
    return (
        f"a.md:{FENCE_LINE}: error [code/limits] code block too deeply nested to "
        f"check: {levels} levels of brackets, over 100 (CODECHECK_MAX_DEPTH)"
    )


OUT_OF_STACK = (
    f"a.md:{FENCE_LINE}: error [code/limits] code block too deeply nested to check "
    "(the parser ran out of stack)"
)


@pytest.mark.parametrize(
    "lang,body,levels",
    [
        ("json", "[" * 100_000, 100_000),
        ("yaml", "[" * 10_000 + "]" * 10_000, 10_000),
        ("python", "x = " + "(" * 5_000 + "1" + ")" * 5_000, 5_000),
        ("toml", "a = " + "[" * 1_000 + "]" * 1_000, 1_000),
        ("hcl", "a = " + "{ b = " * 500 + "1" + " }" * 500, 500),
        ("jinja", "{{ " + "(" * 300 + "x" + ")" * 300 + " }}", 302),
        ("nginx", "http { " * 200 + "}" * 200, 200),
        ("sql", "SELECT " + "(" * 2_000 + "1" + ")" * 2_000 + ";", 2_000),
    ],
)
def test_deep_brackets_are_too_deep_to_check(lang, body, levels):
    assert problems(lang, body) == [too_deep(levels)]


@pytest.mark.parametrize(
    "lang,body",
    [
        # No bracket deeper than the budget, and still a parser that recurses.
        ("jinja", "{% if x %}" * 2_000 + "{% endif %}" * 2_000),
        ("hcl", "x = " + " + ".join(["1"] * 3_000)),
    ],
)
def test_a_parser_that_runs_out_of_stack_is_reported_not_raised(lang, body):
    assert problems(lang, body) == [OUT_OF_STACK]


def test_a_five_megabyte_block_is_too_large_to_check():
    body = "[" + ",".join(["1"] * 2_500_000) + "]"
    size = len(body.encode()) + 1  # the newline before the closing fence
    assert problems("json", body) == [
        f"a.md:{FENCE_LINE}: error [code/limits] code block too large to check: "
        f"{size:,} bytes, over 262,144 (CODECHECK_MAX_BLOCK_BYTES); shorten it, or "
        "link to the full file"
    ]


# The tab in the comment keeps the block on PyYAML's pure-Python parser
# (plugins/codecheck/yamlcheck.py), which takes seconds on it; libyaml would
# take milliseconds.
SLOW_YAML = "#\tslow\n" + "".join(
    f"key{i}: [a, b, {{c: d, e: [1, 2, 3]}}]\n" for i in range(1_500)
)


def test_a_block_that_takes_too_long_is_reported_and_the_rest_is_checked():
    text = (
        f"Intro.\n\n```yaml\n{SLOW_YAML}```\n\n```json\n[1,\n```\n\n"
        "```yaml\nkey: value\nkey: again\n```\n"
    )
    report = check_sources(
        [("a.md", text)],
        {"CODECHECK_CACHE": None, "CODECHECK_BLOCK_TIMEOUT": 0.3},
    )
    json_fence = FENCE_LINE + SLOW_YAML.count("\n") + 3  # closing fence, blank
    assert [p.as_text() for p in report.problems] == [
        f"a.md:{FENCE_LINE}: error [code/limits] code block took more than 0.3 s to "
        "check (CODECHECK_BLOCK_TIMEOUT): it is too large or too deep to check",
        f"a.md:{json_fence + 1}:1: error [code/json] Expecting value",
        f"a.md:{json_fence + 6}:1: error [code/yaml] duplicate key 'key' (already "
        "defined above)",
    ]


def test_a_block_that_needs_too_much_memory_is_reported():
    body = "x = [" + ", ".join(f'"{i}"' for i in range(20_000)) + "]"
    assert problems("hcl", body, CODECHECK_MEMORY_LIMIT=60 * 1024**2) == [
        f"a.md:{FENCE_LINE}: error [code/limits] code block too large to check (the "
        "parser ran out of memory: CODECHECK_MEMORY_LIMIT)"
    ]


SLOW_SHELL = "".join(
    f'if [ -n "$x{i}" ]; then echo "{i}" | grep -q foo && rm -f /tmp/x{i}; fi\n'
    for i in range(300)
)  # ShellCheck takes seconds on this (and minutes on ten times as much)


def test_a_shell_block_that_hangs_the_tools_is_found_and_the_others_checked():
    blocks = ["echo one\n", "echo 'unclosed\n", SLOW_SHELL, "echo four\n"]
    text = "".join(f"Block.\n\n```bash\n{b}```\n\n" for b in blocks)
    report = check_sources(
        [("a.md", text)],
        {"CODECHECK_CACHE": None, "CODECHECK_BLOCK_TIMEOUT": 1.0},
    )
    # Six lines a block: the unclosed quote is on line 10, the slow block's
    # fence on line 15. bash -n still finds the quote: only the slow block
    # is left unchecked.
    assert [p.as_text() for p in report.problems] == [
        "a.md:10: error [code/shell] unexpected EOF while looking for matching `''",
        "a.md:15: error [code/limits] code block took more than 1 s to check "
        "(CODECHECK_BLOCK_TIMEOUT): it is too large or too deep to check",
    ]
    assert report.checked == 4


def test_a_worker_that_dies_is_reported_and_started_again():
    with Sandbox(Limits.from_options()) as sandbox:
        assert sandbox.check("json", "[]") == []
        victim = sandbox.process.pid
        threading.Timer(0.3, os.kill, (victim, signal.SIGKILL)).start()
        (crashed,) = sandbox.check("yaml", SLOW_YAML)
        assert (crashed.check, crashed.message) == (
            "code/limits",
            "code block could not be checked: the checker crashed on this block "
            "(too large or too deep to check?)",
        )
        (broken,) = sandbox.check("json", "[1,")
        assert broken.check == "code/json"
        assert sandbox.process.pid != victim


def test_limits_are_not_cached_and_are_checked_again(tmp_path):
    settings = {"CODECHECK_CACHE": str(tmp_path), "CODECHECK_BLOCK_TIMEOUT": 0.3}
    text = f"Intro.\n\n```yaml\n{SLOW_YAML}```\n\n```json\n[1]\n```\n"
    first = check_sources([("a.md", text)], settings)
    assert [p.check for p in first.problems] == ["code/limits"]
    again = check_sources([("a.md", text)], {**settings, "CODECHECK_BLOCK_TIMEOUT": 60})
    assert again.problems == []
    assert again.cached == 1  # the json block; the yaml one was checked again
