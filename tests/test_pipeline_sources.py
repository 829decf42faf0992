"""Any bytes under content/ give `path[:line]: error` from every command and
never a traceback; odd files are refused by name, never opened or followed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article_text

from pipeline.sources import nesting_depth
from plugins.core.source import decode

ROOT = Path(__file__).resolve().parent.parent


def good(day, **fields):
    return article_text(
        title=f"Day {day} article",
        date=f"2017-12-{day:02d}T00:00:00-05:00",
        day=str(day),
        **fields,
    )


# (file under content/2017/, bytes, expected "line: message" fragment)
BAD_FILES = [
    ("16-latin1.md", good(16).encode() + "Caf\xe9\n".encode("latin-1"),
     ":10: error [source/read] not valid UTF-8 (byte 0xe9"),
    ("17-nul.md", good(17).encode() + b"a\0b\n",
     ":10: error [source/read] the file holds a NUL byte"),
    ("18-utf16.md", good(18).encode("utf-16"),
     ":1: error [source/read] the file is UTF-16"),
    ("19-empty.md", b"", ": error [source/read] the file is empty"),
    ("20-no-header.md", b"Just some text, no header.\n",
     ":1: error [advent/metadata] no metadata header"),
    ("21-page.html", b"<p>hi</p>", ": error [source/read] '.html' files are not read"),
    ("22-page.rst", b"Title\n=====\n", ": error [source/read] '.rst' files are not read"),
    ("23-page.markdown", b"x", ": error [source/read] '.markdown' files are not read"),
    ("24-deep.md", good(24).encode() + b"".join(b"  " * i + b"- x\n" for i in range(200)),
     ":209: error [source/read] lists or quotes nested 200 deep"),
    ("25-day.md", good(25).replace("Day: 25", "Day: \u00b9\u2076").encode(),
     ":3: error [advent/metadata] day must be a whole number"),
    # Pasted terminal output, a form feed, a noncharacter: no feed holds them.
    ("29-controls.md", good(16).encode() + b"$ ls\n\x1b[31mred\x1b[0m\n",
     ":11:1: error [source/read] control character U+001B (a terminal colour code?)"),
    ("30-title.md", good(16).replace("Day 16 article", "Odd \ufffe title").encode(),
     ":1:12: error [source/read] control character U+FFFE: no page or feed"),
    ("31-feed.md", good(16, summary="A\x0cB").encode(),
     ":7:11: error [source/read] control character U+000C"),
]  # fmt: skip


@pytest.fixture
def hostile(site, tmp_path):
    for name, data, _ in BAD_FILES:
        (site.content / "2017" / name).write_bytes(data)
    # Accepted as they are: a BOM and Windows line ends.
    bom = "\ufeff" + good(14, guid="0b6c1a7e-3f7e-4a8e-9d0c-5b1e2f3a4d5c")
    bom = bom.replace("\n", "\r\n")
    (site.content / "2017" / "14-pets-vs-cattle-prods-the-silence-of-the-lambdas.md").write_bytes(bom.encode())  # fmt: skip
    outside = tmp_path / "outside.txt"
    outside.write_text("CANARY-outside-the-repository")
    os.symlink(outside, site.content / "2017" / "26-link.md")
    os.symlink(tmp_path, site.content / "linked-folder")
    os.mkfifo(site.content / "2017" / "27-fifo.md")
    (site.content / "2017" / "28-folder.md").mkdir()
    return site


EXPECTED_ODD = [
    "26-link.md: error [source/read] a symbolic link in the content folder",
    "linked-folder: error [source/read] a symbolic link in the content folder",
    "27-fifo.md: error [source/read] a named pipe (FIFO) in the content folder",
    "28-folder.md: error [source/read] a folder named like a source file",
    "content: error [build/pelican] the site was not built: the content folder "
    "holds 3 special file(s)",
]


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_command_reports_every_bad_file_without_a_traceback(hostile, tmp_path):
    content = str(hostile.content)
    commands = {
        "check": ("check", "--content", content),
        "build": ("build", "--content", content, "--output", str(tmp_path / "a")),
        "build --publish": (
            "build", "--publish", "--content", content, "--output", str(tmp_path / "b"),
        ),
        "publish": (
            "publish", "--content", content, "--target", str(tmp_path / "live"),
        ),
        "linkcheck": ("linkcheck", "--content", content),
    }  # fmt: skip
    for name, args in commands.items():
        result = run(*args)
        text = result.stdout + result.stderr
        assert "Traceback" not in text, name
        assert "CANARY" not in text, name
        assert result.returncode != 0, name
        if name == "linkcheck":
            continue  # it reports links, and the count of the other errors
        for filename, _, message in BAD_FILES:
            assert f"{filename}{message}" in text, (name, filename)
        for message in EXPECTED_ODD:
            assert message in text, (name, message)
        assert "14-pets-vs-cattle" not in text, name  # BOM and CRLF are fine
    assert not (tmp_path / "a").exists() and not (tmp_path / "live").exists()


def test_the_fifo_is_never_opened(hostile):
    # Opening a FIFO for reading blocks until a writer comes: the check would
    # hang. It returns, so nothing opened it.
    result = run("check", "--content", str(hostile.content))
    assert "27-fifo.md" in result.stdout


def test_decode_turns_any_bytes_into_problems():
    assert decode("x.md", "Title: é\r\n\r\nbody\r\n".encode()).text == (
        "Title: é\n\nbody\n"
    )
    assert decode("x.md", b"\xef\xbb\xbfTitle: a\n").header.value("title") == "a"
    for data in (b"\xff\xfe\x00\x00", b"\x00", b"\xc3", b" \n\t", b"a\x00"):
        assert not decode("x.md", data).ok
    pasted = decode("x.md", b"Title: a\n\n" + b"\x1b[0m\n" * 25)
    assert [p.line for p in pasted.problems] == [*range(3, 23), 0]
    assert pasted.problems[-1].message == "5 more line(s) hold control characters"
    assert (
        decode("x.md", b"x" * 11, max_bytes=10)
        .problems[0]
        .message.startswith("the file is 11 bytes, over the limit of 10")
    )


def test_nesting_depth_reads_lists_and_quotes():
    assert nesting_depth("- a\n  - b\n    - c\n") == (3, 3)
    assert nesting_depth("> > quoted\n") == (2, 1)
    assert nesting_depth("plain\n\n    code, not a list\n") == (0, 0)


COLLECT = """
import sys
from pipeline.sources import collect
from plugins.core.problems import format_problems
from plugins.core.source import Sources
found = collect({"PATH": sys.argv[1], "SOURCES_MAX_NESTING": 100}, Sources())
print(format_problems(found.problems))
"""


def test_a_folder_that_cannot_be_read_is_an_error_not_a_silent_gap():
    import tempfile

    # Not pytest's tmp_path: its parents are closed to the user reading.
    with tempfile.TemporaryDirectory() as folder:
        _unreadable_folder(Path(folder))


def _unreadable_folder(tmp_path):
    content = tmp_path / "content"
    locked = content / "2017"
    locked.mkdir(parents=True)
    (locked / "01-a.md").write_text(article_text(), encoding="utf-8")
    locked.chmod(0)
    tmp_path.chmod(0o755)
    content.chmod(0o755)
    command = [sys.executable, "-c", COLLECT, str(content)]
    if os.geteuid() == 0:
        # Root reads anything: drop the capabilities that let it. (Not another
        # user: the project's own folder may be closed to them, as a fresh
        # clone in a `mktemp -d` folder is.)
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]  # fmt: skip
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, cwd=Path(__file__).parent.parent
        )
    finally:
        locked.chmod(0o755)
    assert result.stdout.splitlines() == [
        f"{locked}: error [source/read] cannot read this folder (Permission denied): "
        "make it readable"
    ], result.stderr


@pytest.mark.parametrize("name", ["16-upper.MD", "16-mixed.Md"])
def test_a_markdown_name_not_ending_in_lowercase_md_is_an_error(site, name):
    # Pelican skips it: checked and passed, it would vanish from the site.
    path = site.write(
        f"2017/{name}", article_text(date="2017-12-16T00:00:00-05:00", day="16")
    )
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(site.content)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}: error [source/read] Pelican reads only names ending in '.md' "
        f"(lowercase): rename it to {path.stem}.md"
    ]
