"""Header mistakes an author makes are each reported once, at their line, by
the check that owns them: never a crash of the build, never a cascade of
follow-on problems that send the author after the wrong thing."""

from __future__ import annotations

import pytest
from conftest import article_text
from test_new import invoke

GUID = "6f1c2a8e-0d3b-4f5e-9a7c-1b2d3e4f5a6b"


def check(site):
    result = invoke("check", "--content", str(site.content))
    assert "Traceback" not in result.stdout + result.stderr
    return result


def problems(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("status", ["hidden", "review", "Pending"])
def test_an_unknown_status_is_one_error_not_a_crash(site, status):
    article = site.write("2017/01-status.md", article_text(status=status, guid=GUID))
    result = check(site)
    assert result.returncode == 1
    assert problems(result) == [
        f"{article}:8: error [advent/metadata] status must be one of "
        f"published, draft, not {status.lower()!r}"
    ]


def with_header_line(index: int, line: str) -> str:
    """A valid article (with a Guid) whose header line `index` (0-based) is
    replaced by `line`, or which gets `line` inserted there when index < 0."""
    lines = article_text(guid=GUID).split("\n")
    if index < 0:
        lines.insert(-index, line)
    else:
        lines[index] = line
    return "\n".join(lines)


@pytest.mark.parametrize(
    "text, line, says",
    [
        # A space before ':' on the first line: the header was "missing".
        (with_header_line(0, "Title : A test article"), 1, "no space between"),
        # A continued value indented by 2: the rest (the Guid) became text.
        (with_header_line(-7, "  and more of the summary"), 8, "indent a value"),
        # No blank line between the header and the text.
        (with_header_line(-8, "The text starts here."), 9, "leave a blank line"),
        # A blank line above the header.
        ("\n" + article_text(guid=GUID), 1, "start on line 1"),
    ],
)
def test_a_header_line_that_does_not_read_is_one_error_at_that_line(
    site, text, line, says
):
    article = site.write("2017/01-header.md", text)
    result = check(site)
    assert result.returncode == 1
    [only] = problems(result)  # no "no Guid" warning, no "missing field" error
    assert only.startswith(f"{article}:{line}: error [advent/metadata] "), only
    assert says in only


def test_a_page_header_line_that_does_not_read_is_reported(site):
    page = site.write("pages/colophon.md", "Title: Colophon\nthe text\n")
    result = check(site)
    assert result.returncode == 1
    assert problems(result) == [
        f"{page}:2: error [advent/metadata] the header ends here, so this line "
        "and the rest are read as the text: leave a blank line between the "
        "header and the text"
    ]


@pytest.mark.parametrize(
    "fields, line, says",
    [
        ({"title": "---"}, 1, "the title has no letters or digits"),
        ({"title": "- - -"}, 1, "the title has no letters or digits"),
        ({"tags": "testing, --"}, 6, "tag '--' has no letters or digits"),
    ],
)
def test_a_title_or_tag_of_dashes_only_needs_words(site, fields, line, says):
    # Pelican makes the slug '-' of them: the site then names the page itself.
    article = site.write("2017/01-dashes.md", article_text(guid=GUID, **fields))
    result = check(site)
    assert result.returncode == 1
    [only] = problems(result)
    assert only.startswith(f"{article}:{line}: error [advent/metadata] {says}")


@pytest.mark.parametrize("date", ["2017-12-20", "Dec 20, 2017", "2017-12-32"])
def test_a_scheduled_article_whose_date_does_not_read_warns_with_its_day(site, date):
    article = site.write(
        "2017/20-later.md", article_text(date=date, day="20", guid=GUID)
    )
    result = site.build(today="2017-12-12")
    assert result.returncode == 0, result.stderr
    assert f"{article}:2: warning [advent/metadata] invalid date {date!r}" in (
        result.stderr
    )
    assert "(scheduled for 2017-12-20: fix it before it goes out)" in result.stderr
    assert not list(site.output.rglob("day-20-*"))
    # On its day the same mistake stops the build.
    assert site.build(today="2017-12-20").returncode == 1


def test_a_scheduled_file_that_is_not_text_warns_with_the_day_of_its_name(site):
    later = site.content / "2017/20-later.md"
    later.write_bytes(article_text(day="20", guid=GUID).encode() + b"\xff\n")
    empty = site.content / "2017/21-empty.md"
    empty.write_bytes(b"")
    result = site.build(today="2017-12-12")
    assert result.returncode == 0, result.stderr
    assert f"{later}:11: warning [source/read] not valid UTF-8" in result.stderr
    assert "(scheduled for 2017-12-20: fix it before it goes out)" in result.stderr
    assert f"{empty}: warning [source/read] the file is empty" in result.stderr
    assert site.build(today="2017-12-20").returncode == 1


def test_an_article_copied_to_a_second_file_is_a_day_taken_twice_not_a_crash(site):
    original = next(site.content.glob("2017/12-*.md"))
    copy = site.content / "2017/12-copy.md"
    copy.write_bytes(original.read_bytes())  # the same day, title and slug
    result = check(site)
    assert result.returncode == 1
    found = problems(result)
    assert f"{copy}:3: error [advent/metadata] day 12 of 2017 is taken twice" in (
        "\n".join(found)
    )
    # Its other clashes (Guid, Aliases) are its own; no build error on top.
    assert not [line for line in found if "[build/" in line], found
    assert "Failed to overwrite" not in result.stdout + result.stderr


@pytest.mark.parametrize("modified", ["yesterday", "2017-13-01"])
def test_a_modified_date_that_does_not_read_is_one_error_at_its_line(site, modified):
    article = site.write(
        "2017/01-modified.md", article_text(guid=GUID, modified=modified)
    )
    result = check(site)
    assert result.returncode == 1
    [only] = problems(result)  # not again as "Could not process" from Pelican
    assert only.startswith(f"{article}:9: error [advent/metadata] invalid date ")
    assert "Could not process" not in result.stderr


@pytest.mark.parametrize(
    "fields, line, char",
    [
        ({"title": "Rotate your logs \u202egnp.exe"}, 1, "U+202E"),
        ({"tags": "testing, \u2067ops\u2069"}, 6, "U+2067"),
        ({"summary": "Read \u202athis\u202c first."}, 7, "U+202A"),
    ],
)
def test_a_field_that_shows_in_another_order_is_one_error_at_its_line(
    site, fields, line, char
):
    # "Trojan Source": a bidirectional override makes the title a reviewer
    # reads differ from the characters the site publishes.
    article = site.write("2017/01-bidi.md", article_text(guid=GUID, **fields))
    result = check(site)
    assert result.returncode == 1
    [only] = problems(result)
    assert only.startswith(f"{article}:{line}: error [advent/metadata] field ")
    assert f"invisible bidirectional control ({char})" in only


def test_right_to_left_text_and_its_marks_stay_allowed(site):
    site.write(
        "2017/01-rtl.md",
        article_text(guid=GUID, title="Logs in \u05e2\u05d1\u05e8\u05d9\u05ea \u200f!"),
    )
    assert check(site).returncode == 0
