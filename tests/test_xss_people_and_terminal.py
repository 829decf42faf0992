"""The people registry is validated at the line of each value; terminal and
CI output never carries raw control characters; templates escape by default."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, article_text

from pipeline.agenda import DayRow, format_table
from plugins.advent.people import load_registry
from plugins.core.problems import error, format_problems

REGISTRY = """\
[ok]
name = "Ok"
links = ["https://example.com/ok",
  "javascript:alert(1)",
  "https://ok.example/x"]

[eve]
handle = "eve\\"><svg onload=alert(1)>"
name = 12
bio = "x\\u001b[31m"

[mallory]
name = "Mallory <img src=x onerror=alert(1)>"
links = "data:text/html,x"

[trudy]
name = "Trudy"
links = ['https://example.com/"onmouseover="alert(1)', "mailto:trudy@example.com"]
bio = "{long}"

["../x"]
name = "x"
"""


def test_every_bad_value_is_reported_at_its_line_and_left_out(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text(REGISTRY.format(long="b" * 601), encoding="utf-8")
    registry, problems = load_registry(path)
    found = [(p.line, p.message) for p in problems]
    assert found == [
        (
            4,
            "ok: link 'javascript:alert(1)' must be an absolute http, https or mailto URL",
        ),
        (9, "eve: name must be a string, not int"),
        (8, "eve: handle is plain text, not HTML"),
        (10, "eve: bio must not contain control characters"),
        (7, "eve: needs a name or a handle"),
        (13, "mallory: name is plain text, not HTML"),
        (
            14,
            "mallory: link 'data:text/html,x' must be an absolute http, https or mailto URL",
        ),
        (12, "mallory: needs a name or a handle"),
        (19, "trudy: bio is 601 characters long; at most 600"),
        (
            18,
            "trudy: link 'https://example.com/\"onmouseover=\"alert(1)' must not "
            "contain quotes, backslashes or angle brackets",
        ),
        (21, "key '../x' must be lowercase letters, digits, '-' or '_'"),
    ]
    assert registry["ok"].links == ("https://example.com/ok", "https://ok.example/x")
    assert registry["eve"].handle == "" and registry["mallory"].name == ""
    assert registry["trudy"].links == ("mailto:trudy@example.com",)
    assert "../x" not in registry


def test_a_registry_that_is_not_utf8_is_reported_at_its_line(tmp_path):
    path = tmp_path / "people.toml"
    path.write_bytes(b'[a]\nname = "A"\n\n[b]\nname = "\xff"\n')
    _, problems = load_registry(path)
    assert [(p.line, p.message) for p in problems] == [
        (5, "not UTF-8 text (byte 0xff): save the file as UTF-8")
    ]


def test_a_bad_registry_fails_the_build_at_its_lines_without_traceback(site):
    registry = site.content / "people.toml"
    registry.write_text(
        registry.read_text()
        + '\n[eve]\nhandle = "eve\\"><svg onload=alert(1)>"\n'
        + 'links = ["javascript:alert(1)"]\n',
        encoding="utf-8",
    )
    lines = registry.read_text().splitlines()
    result = site.build(settings="publishconf.py", today="2017-12-31")
    assert result.returncode == 1
    handle = lines.index('handle = "eve\\"><svg onload=alert(1)>"') + 1
    assert f"people.toml:{handle}: error [advent/people] eve: handle" in result.stderr
    assert f"people.toml:{handle + 1}: error [advent/people] eve: link" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_non_utf8_registry_fails_the_build_without_traceback(site):
    registry = site.content / "people.toml"
    registry.write_bytes(registry.read_bytes() + b'\n[x]\nname = "\xe9"\n')
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    # Reported once, by the source reader (not again by the people check).
    errors = [line for line in result.stderr.splitlines() if ": error [" in line]
    assert len(errors) == 1 and "UTF-8" in errors[0], errors
    assert "Traceback" not in result.stderr


HOSTILE = "Title \x1b[2J\x1b]0;owned\x07 \u202etxt.exe\r\nfake.md:1: error [x] y\x9b"


def test_text_reports_show_control_characters_as_escapes():
    text = format_problems([error("content/a\x1b.md", 3, "x/y", HOSTILE)], "text")
    assert text == (
        "content/a\\x1b.md:3: error [x/y] Title \\x1b[2J\\x1b]0;owned\\x07 "
        "\\u202etxt.exe\\x0d\\x0afake.md:1: error [x] y\\x9b"
    )
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202e]", text)


def test_markdown_tables_are_one_line_per_problem():
    table = format_problems([error("a|b.md", 1, "x/y", HOSTILE)], "markdown")
    assert len(table.splitlines()) == 3
    assert "a\\|b.md" in table
    assert "\\x1b[2J" in rendered_cells(table)[3][1]


# Quoted by messages (an unknown author, a broken link): links with a
# hidden target, images, HTML that ends the table, emphasis, mentions,
# issue links, emoji, math, a pipe and a backslash that would eat it.
MARKDOWN_HOSTILE = (
    "[**Approve this PR**](https://evil.example/phish) "
    '![x](https://evil.example/p.png) <img src="https://evil.example/q.png"> '
    "</td></tr></table><h1>All checks passed</h1> &lt;b&gt; _u_ ~~s~~ "
    "@octocat #1 :tada: $x^2$ `code` a\\|b <https://evil.example/auto>"
)


def rendered_cells(table: str) -> list:
    """The cells of a Markdown table as a GitHub-flavoured renderer shows
    them: (the HTML inside each <td>, its text)."""
    import html5lib
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(table)
    tree = html5lib.parseFragment(html, "div", "etree", False)
    return [(list(td), "".join(td.itertext())) for td in tree.iter("td")]


def test_markdown_tables_show_quoted_text_as_written():
    table = format_problems(
        [error("content/a`|b.md", 4, "advent/metadata", MARKDOWN_HOSTILE)],
        "markdown",
    )
    assert len(table.splitlines()) == 3
    (where, _), _, (check, _), (message, text) = rendered_cells(table)
    assert message == [] and text == MARKDOWN_HOSTILE  # no element at all
    assert [e.tag for e in where] == ["code"]
    assert where[0].text == "content/a`|b.md:4"


def test_the_link_check_summary_shows_quoted_urls_as_written():
    from plugins.linkcheck.report import Finding, markdown_summary

    url = "https://evil.example/[x](https://evil.example/)<img src=x>\x1b[2J"
    finding = Finding("content/a.md", 3, url, "error", "broken", f"{url} is 404")
    table = markdown_summary([finding]).split("\n\n")[-1]
    (where, _), (link, shown), _, (message, text) = rendered_cells(table)
    assert link == [] and message == []
    assert shown == url.replace("\x1b", "\\x1b")
    assert text == f"{shown} is 404"


def test_github_annotations_cannot_be_forged():
    problem = error("content/a,b:c.md", 2, "x/y", "100% done\r\n::error file=x::boom")
    assert format_problems([problem], "github") == (
        "::error file=content/a%2Cb%3Ac.md,line=2,title=x/y::"
        "100%25 done%0D%0A::error file=x::boom"
    )
    ansi = format_problems([error("a.md", 1, "x", "\x1b[31mred")], "github")
    assert "\x1b" not in ansi and "\\x1b[31mred" in ansi


def test_the_calendar_table_shows_escapes():
    rows = [DayRow(1, "published", "Hi \x1b[2J\u202e", "A\x07", "", "p\x1b.md")]
    table = format_table(rows, 2017)
    assert "\x1b" not in table and "\u202e" not in table and "\x07" not in table


def test_invoke_calendar_prints_no_escape_sequence(site):
    site.write(
        "2017/16-esc.md",
        article_text(
            # C0 controls (ESC, BEL) are refused with the source; C1 ones
            # (CSI) and BIDI overrides are text that reaches the calendar.
            title="Hello \x9b2J \u202eworld",
            date="2017-12-16T00:00:00-05:00",
            day="16",
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "calendar",
            "--year",
            "2017",
            "--today",
            "2017-12-31",
            "--content",
            str(site.content),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Hello \\x9b2J \\u202eworld" in result.stdout
    assert not re.search("[\x1b\x9b\u202e]", result.stdout + result.stderr)


TEMPLATES = ROOT / "theme" / "templates"


def test_autoescaping_is_on_for_every_template():
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    assert settings["JINJA_ENVIRONMENT"]["autoescape"] is True


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_only_sanitized_html_is_marked_safe(path):
    text = path.read_text(encoding="utf-8")
    assert "autoescape false" not in text.replace(" ", "").lower()
    assert "Markup(" not in text
    marked = re.findall(r"\{\{\s*([^}]*?)\|\s*safe\b", text)
    assert set(marked) <= {"article.content", "page.content"}


def test_a_person_s_link_names_its_host_plainly():
    from plugins.advent.people import link_problem

    # The reader sees github.com; the browser goes to example.org.
    for url in ("https://github.com@example.org/x", "http://user:pw@example.org/"):
        assert (
            link_problem(url) == "must not hold a user name or password before the host"
        )
    for url in (
        "https://example.org/@ann",
        "https://mastodon.example/@ann",
        "mailto:a@b.org",
    ):
        assert link_problem(url) is None
