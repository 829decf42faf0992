"""Hints you can trust: the "it looks like X" hint for an untagged block is
shown only at a confidence where, on a labelled set of real-world-shaped
snippets (tests/fixtures/codecheck/hints.txt), shown hints are right at
least 95 % of the time. The per-language figures are printed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from plugins.codecheck import guess

DATA = Path(__file__).parent / "fixtures" / "codecheck" / "hints.txt"
SEPARATOR = re.compile(r"^%%% (?P<labels>\S+)$")
# Tags that name the same language as a hint.
SAME = {"sh": "bash", "shell": "bash", "hcl": "terraform", "tf": "terraform",
        "yml": "yaml", "shell-session": "console", "cfg": "ini", "dosini": "ini",
        "makefile": "make"}  # fmt: skip
PRECISION_BAR = 0.95


def labelled() -> list[tuple[list[str], str]]:
    """(acceptable tags, snippet) pairs; `→` in the file is a tab."""
    items: list[tuple[list[str], list[str]]] = []
    for line in DATA.read_text(encoding="utf-8").split("\n"):
        match = SEPARATOR.match(line)
        if match:
            items.append((match.group("labels").split("|"), []))
        elif items:
            items[-1][1].append(line.replace("→", "\t"))
    return [(labels, "\n".join(lines).strip("\n") + "\n") for labels, lines in items]


def measure(threshold: float):
    """Per first label: [snippets, hints shown, hints right]; and the misses."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for labels, text in labelled():
        found = guess.guess(text)
        row = table[labels[0]]
        row[0] += 1
        if found is None or found.confidence < threshold:
            continue
        row[1] += 1
        if SAME.get(found.lang, found.lang) in labels:
            row[2] += 1
        else:
            misses.append((labels, found, text.split("\n", 1)[0]))
    return table, misses


def test_the_labelled_set_is_large_and_varied():
    items = labelled()
    assert len(items) >= 300
    languages = {labels[0] for labels, _ in items}
    for needed in ("bash", "console", "perl", "ruby", "puppet", "make", "ldif",
                   "text", "nginx", "apacheconf", "systemd", "yaml", "json",
                   "python", "go", "c", "sql", "dockerfile", "terraform", "ini"):  # fmt: skip
        assert needed in languages


def test_shown_hints_are_right_at_least_95_percent_of_the_time(capsys):
    table, misses = measure(guess.HINT_CONFIDENCE)
    shown = sum(row[1] for row in table.values())
    right = sum(row[2] for row in table.values())
    total = sum(row[0] for row in table.values())
    lines = [f"{'label':12} {'blocks':>6} {'hinted':>6} {'right':>6}"]
    for label, (count, hinted, correct) in sorted(table.items()):
        lines.append(f"{label:12} {count:6} {hinted:6} {correct:6}")
    lines.append(
        f"all: {total} blocks, {shown} hinted ({shown / total:.0%}), "
        f"{right} right: precision {right / shown:.1%} at confidence "
        f">= {guess.HINT_CONFIDENCE}"
    )
    lines += [
        f"miss: {labels} hinted {found.lang} ({first!r})"
        for labels, found, first in misses
    ]
    with capsys.disabled():
        print("\nLanguage hints on the labelled set:\n" + "\n".join(lines))
    assert right / shown >= PRECISION_BAR
    assert shown / total >= 0.6  # a hint that is never shown helps nobody


def test_indented_blocks_are_checked_only_when_surer_still():
    table, _ = measure(guess.CHECK_CONFIDENCE)
    shown = sum(row[1] for row in table.values())
    right = sum(row[2] for row in table.values())
    assert guess.CHECK_CONFIDENCE >= guess.HINT_CONFIDENCE
    assert right / shown >= 0.98


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("$ ls -l\ntotal 0\n", "console"),
        ("# ss -tpno\nESTAB 0 0 10.0.0.5:5672 10.0.1.7:48212\n", "console"),
        (
            "# Install the dependencies\napt-get update\napt-get install -y nginx\n",
            "bash",
        ),
        (">>> 1 + 1\n2\n", "pycon"),
        ("=# select 1;\n", "psql"),
        ("#!/usr/bin/env python3\nprint(1)\n", "python"),
        ('{"a": [1, 2]}\n', "json"),
        ("FROM debian\nRUN true\n", "dockerfile"),
        ("[Unit]\nDescription=x\n", "systemd"),
        ("dn: cn=x,dc=example,dc=com\nobjectClass: top\n", "ldif"),
        ("all: build\n\nbuild:\n\tgo build ./...\n", "make"),
        (
            "class ntp {\n  package { 'ntp':\n    ensure => installed,\n  }\n}\n",
            "puppet",
        ),
        ('my $n = 0;\nwhile (<STDIN>) { $n++ }\nprint "$n\\n";\n', "perl"),
        ("just words\n", None),
    ],
)
def test_hints_for_classic_shapes(text, tag):
    assert guess.hint(text) == tag


def test_a_shell_comment_is_not_a_root_prompt():
    # The old rule hinted `console` for any block with a `# ` line.
    assert guess.hint("# rotate the logs\nfind /var/log -mtime +7 -delete\n") == "bash"
    assert guess.hint("#define MAX 10\nint main(void) { return MAX; }\n") != "console"


def test_guessing_is_bounded_on_hostile_blocks():
    deep_yaml = "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 3000))
    for text in ("[" * 50_000 + "]" * 50_000, deep_yaml, "x" * 100_000):
        guess.guess(text)  # no exception, no hang
    assert guess.guess("x = 1\n" * 20_000) is None  # over GUESS_MAX_BYTES
