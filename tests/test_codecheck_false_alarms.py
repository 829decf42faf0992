"""Fewer false alarms, and the real defects they hid: systemd units tagged
`ini`, comments in prompt sessions, one report per defect, look-alike
characters in code, placeholders in prose, indented and raw HTML blocks."""

from __future__ import annotations

from plugins.codecheck import check_sources
from plugins.core.sessions import COMMENT, shell_session
from plugins.core.source import Source, parse_header
from plugins.gfm import check_prose

NO_CACHE = {"CODECHECK_CACHE": None}


def problems_of(text, **settings):
    return check_sources([("page.md", text)], {**NO_CACHE, **settings}).problems


def where(problems):
    return [(p.line, p.column, p.severity, p.check) for p in problems]


UNIT = """```ini
[Service]
ExecStart=
ExecStart=/usr/sbin/nginx -g 'daemon off;'
Environment=A=1
Environment=B=2
```
"""


def test_a_unit_file_tagged_ini_may_repeat_keys():
    assert problems_of(UNIT) == []
    assert problems_of(UNIT.replace("```ini", "```systemd")) == []


def test_plain_ini_still_refuses_a_repeated_key():
    (problem,) = problems_of("```ini\n[main]\nkey = 1\nkey = 2\n```\n")
    assert (problem.line, problem.check) == (4, "code/ini")


SESSION = """```console
% brew install jq
# don't forget to configure it
% jq --version
jq-1.7.1
```
"""


def test_a_comment_in_a_percent_session_is_a_comment():
    assert problems_of(SESSION) == []
    script = shell_session(SESSION.split("\n", 1)[1].rsplit("```", 1)[0])
    assert script.roles[1] == COMMENT
    assert script.commands == 2


def test_a_root_command_among_user_prompts_is_still_checked():
    text = '```console\n$ sudo -i\n# echo "unclosed\n```\n'
    assert [p.line for p in problems_of(text)] == [3]
    # After `$ …`, a `# cmd` followed by its output is a root command too.
    text = '```console\n$ ls\n# ss -tpno "\nESTAB 0 0\n```\n'
    assert [p.check for p in problems_of(text)] == ["code/shell"]


def test_a_bash_syntax_error_is_reported_once():
    (problem,) = problems_of("```bash\necho )\n```\n")
    assert (problem.line, problem.check) == (2, "code/shell")
    (problem,) = problems_of('```bash\necho "x\n```\n')
    assert problem.check == "code/shell"


def test_look_alike_characters_in_code_name_the_character_and_column():
    text = "```bash\ncurl \u2013silent https://x\nls\u00a0-l\n```\n"
    problems = problems_of(text)
    assert where(problems) == [
        (2, 6, "error", "code/characters"),
        (3, 3, "error", "code/characters"),
    ]
    assert "U+2013 EN DASH" in problems[0].message
    assert "U+00A0 NO-BREAK SPACE" in problems[1].message


def test_smart_quotes_are_one_report_where_the_parser_would_also_fail():
    (problem,) = problems_of("```python\nprint(\u201chi\u201d)\n```\n")
    assert (problem.line, problem.column, problem.check) == (2, 7, "code/characters")
    assert "LEFT DOUBLE QUOTATION MARK and U+201D" in problem.message


def test_typography_in_strings_comments_and_prose_is_fine():
    text = (
        "It\u2019s \u201cquoted\u201d \u2013 fine in prose.\n\n"
        '```bash\n# a \u201ccomment\u201d \u2013 fine\necho "it\u2019s \u201cdone\u201d"\n'
        "echo It\u2019s done\n```\n\n"
        "```yaml\ntitle: \u201cQuoted\u201d \u2013 a plain YAML string\n```\n"
    )
    assert problems_of(text) == []


def test_look_alikes_in_a_console_session_point_at_the_markdown_column():
    text = "```console\n$ kubectl get pods \u2013n kube-system\nNAME READY\n```\n"
    (problem,) = problems_of(text)
    assert (problem.line, problem.column) == (2, 20)


def placeholders_of(text):
    source = Source(path="page.md", text=text, header=parse_header(text))
    source.kind = "article"
    return check_prose([source], {})


def test_a_prose_placeholder_warns_with_the_fix():
    text = "Title: T\n\nPoint it at <yourdomain> and <slot>.<interface> now.\n"
    problems = placeholders_of(text)
    assert where(problems) == [
        (3, 13, "warning", "markdown/placeholder"),
        (3, 30, "warning", "markdown/placeholder"),
        (3, 37, "warning", "markdown/placeholder"),
    ]
    assert "`<yourdomain>` in backticks or &lt;yourdomain&gt;" in problems[0].message


def test_html_that_is_meant_is_not_a_placeholder():
    text = 'Press <kbd>Ctrl</kbd>, see <a href="#x">x</a>, a<br>b, `<code span>`.\n'
    assert placeholders_of(text) == []


def test_indented_blocks_are_counted_and_warned_with_a_reliable_hint():
    text = "Run:\n\n    $ ls -l\n    total 0\n\nThen:\n\n    some output\n"
    report = check_sources([("page.md", text)], NO_CACHE)
    assert report.blocks == 2
    first, second = report.problems
    assert (first.line, first.check) == (3, "code/indented")
    assert "it looks like console: ```console" in first.message
    assert (second.line, second.check) == (8, "code/indented")
    assert "looks like" not in second.message


def test_an_indented_block_in_a_sure_language_is_checked():
    text = 'Run:\n\n    $ echo "unclosed\n    $ ls\n'
    problems = problems_of(text)
    assert where(problems) == [
        (3, 0, "error", "code/shell"),
        (3, 0, "warning", "code/indented"),
    ]
    assert "untagged block read as console" in problems[0].message


def test_an_indented_block_with_a_skip_marker_is_skipped():
    text = '<!-- codecheck: skip reason="legacy" -->\n\n    $ echo "unclosed\n'
    report = check_sources([("page.md", text)], NO_CACHE)
    assert [p.check for p in report.problems] == ["code/indented"]
    assert len(report.skipped) == 1


def test_a_raw_html_pre_is_counted_and_warned():
    report = check_sources([("page.md", "<pre>\nls -l\n</pre>\n")], NO_CACHE)
    assert report.blocks == 1
    (problem,) = report.problems
    assert (problem.line, problem.check) == (1, "code/html-pre")


def test_an_indented_block_in_a_list_item_is_guessed_and_checked_dedented():
    # Eight spaces under `1) `: the block keeps one space of indentation.
    text = '1) Install:\n\n        $ echo "unclosed\n'
    problems = problems_of(text)
    assert where(problems) == [
        (3, 0, "error", "code/shell"),
        (3, 0, "warning", "code/indented"),
    ]
    assert "it looks like console" in problems[1].message
    text = "1) Install:\n\n        $ curl \u2013I http://localhost/\n"
    (error,) = [p for p in problems_of(text) if p.is_error]
    assert (error.line, error.column, error.check) == (3, 16, "code/characters")
