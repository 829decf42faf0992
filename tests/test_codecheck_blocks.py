"""Reading blocks: header skipped, exact lines, tags, markers, untagged blocks."""

from __future__ import annotations

import pytest

from plugins.codecheck import check_sources
from plugins.codecheck.blocks import parse_info, read_blocks
from plugins.codecheck.guess import hint
from plugins.core.codetags import canonical, suggest

NO_CACHE = {"CODECHECK_CACHE": None}


def problems_of(text, **settings):
    return check_sources([("page.md", text)], {**NO_CACHE, **settings}).problems


def test_blocks_keep_markdown_lines_and_skip_the_header():
    text = "Title: T\nSummary: ```not a fence\n\nIntro.\n\n```yaml\na: 1\n```\n"
    (block,) = read_blocks(text, "page.md").blocks
    assert (block.fence_line, block.first_line, block.lang) == (6, 7, "yaml")
    assert block.text == "a: 1\n"


def test_tilde_fences():
    text = "~~~python\nx = 1\n~~~\n"
    (block,) = read_blocks(text, "p.md").blocks
    assert block.lang == "python" and block.closed


@pytest.mark.parametrize(
    ("info", "lang", "bad"),
    [
        ("", None, False),
        ("bash", "bash", False),
        ("YAML", "yaml", False),
        # GitHub reads the first word; the rest is ignored, not an error.
        ('python hl_lines="1 3"', "python", False),
        ("bash notest", "bash", False),
        ("python title='x'", "python", False),
        # Python-Markdown's attribute syntax is not GitHub's.
        ("{ .console }", "console", True),
        ('{ .python linenums="1" }', "python", True),
    ],
)
def test_fence_info(info, lang, bad):
    found, error = parse_info(info)
    assert found == lang
    assert bool(error) is bad


def test_unknown_tag_is_an_error_with_a_suggestion():
    (problem,) = problems_of("Intro\n\n```pyhton\nprint(1)\n```\n")
    assert (problem.line, problem.severity, problem.check) == (3, "error", "code/tag")
    assert "did you mean 'python'" in problem.message
    assert suggest("ymal")[0] == "yaml"


@pytest.mark.parametrize(
    ("tag", "lexer"),
    [("yml", "yaml"), ("terminal", "console"), ("plaintext", "text"), ("sh", "sh"),
     ("shell-session", "shell-session"), ("psql", "psql")],
)  # fmt: skip
def test_aliases_are_known(tag, lexer):
    assert canonical(tag) == lexer


def test_extra_aliases_from_settings():
    text = "```mycfg\na = 1\n```\n"
    assert problems_of(text)[0].check == "code/tag"
    assert problems_of(text, CODECHECK_ALIASES={"mycfg": "ini"}) == []


def test_words_after_the_language_are_fine_as_on_github():
    assert problems_of("```bash notest\nls\n```\n") == []


def test_attribute_syntax_is_an_error_that_says_what_to_write():
    (problem,) = problems_of("```{ .bash }\nls\n```\n")
    assert (problem.line, problem.check, problem.severity) == (1, "code/fence", "error")
    assert "write ```bash" in problem.message


def test_untagged_block_warns_with_the_inferred_language():
    (problem,) = problems_of("```\napiVersion: v1\nkind: Pod\n```\n")
    assert (problem.severity, problem.check) == ("warning", "code/untagged")
    assert "```yaml" in problem.message


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("$ ls -l\ntotal 0\n", "console"),
        (">>> 1 + 1\n2\n", "pycon"),
        ("#!/bin/bash\necho hi\n", "bash"),
        ('resource "a" "b" {\n}\n', "terraform"),
        ("server {\n  listen 80;\n  root /srv;\n}\n", "nginx"),
        ("SELECT 1;\n", "sql"),
        ("key:\n  value: 1\nother: 2\n", "yaml"),
        ("just words\n", None),
    ],
)
def test_inference_rules(text, tag):
    # More shapes, and how often hints are right: tests/test_codecheck_hints.py
    assert hint(text) == tag


def test_skip_marker_needs_a_reason_and_is_counted():
    text = '<!-- codecheck: skip reason="Python 2" -->\n```python\nprint "x"\n```\n'
    report = check_sources([("p.md", text)], NO_CACHE)
    assert report.problems == []
    assert [(s.line, s.reason) for s in report.skipped] == [(2, "Python 2")]
    assert "1 skipped" in report.summary()

    text = '<!-- codecheck: skip -->\n```python\nprint "x"\n```\n'
    problems = problems_of(text)
    assert [(p.line, p.check) for p in problems] == [
        (1, "code/marker"),
        (3, "code/python"),
    ]


def test_expect_error_marker_hides_the_error_and_fails_when_stale():
    broken = "<!-- codecheck: expect-error -->\n```yaml\na: [\n```\n"
    assert problems_of(broken) == []
    (stale,) = problems_of(broken.replace("a: [", "a: []"))
    assert (stale.line, stale.check, stale.severity) == (1, "code/marker", "error")


def test_stray_and_unknown_markers_are_errors():
    problems = problems_of(
        '<!-- codecheck: skip reason="x" -->\n\ntext\n\n<!-- codecheck: nope -->\n'
    )
    assert [(p.line, p.check) for p in problems] == [
        (1, "code/marker"),
        (5, "code/marker"),
    ]


def test_marker_inside_a_code_block_is_ignored():
    text = "```html\n<!-- codecheck: skip -->\n<p>x</p>\n```\n"
    assert problems_of(text) == []


def test_placeholders_follow_a_configurable_pattern():
    text = "```bash\nkubectl describe pod/<POD IDENTIFIER>\n```\n"
    assert problems_of(text) == []
    assert problems_of(text, CODECHECK_PLACEHOLDER="") != []
    custom = "```bash\nkubectl describe pod/{{POD}} > out\n```\n"
    assert problems_of(custom, CODECHECK_PLACEHOLDER=r"\{\{\w+\}\}") == []


def test_unclosed_fence_is_an_error():
    (problem,) = problems_of("```text\nno end\n")
    assert (problem.line, problem.check) == (1, "code/fence")


@pytest.mark.parametrize(
    "text",
    [
        "> ```bash\n> echo quoted\n> ```\n",
        "> [!TIP]\n> ```bash\n> echo tip\n> ```\n",
        "> - item\n>   ```bash\n>   echo nested\n>   ```\n",
        ">> ```bash\n>> echo deeper\n>> ```\n",
        "1. step\n\n   ~~~~bash\n   echo listed\n   ~~~~~~\n",
    ],
)
def test_a_fence_closed_inside_a_blockquote_or_list_is_closed(text):
    (block,) = read_blocks(text, "p.md").blocks
    assert block.closed
    assert problems_of(text) == []


def test_a_fence_left_open_in_a_blockquote_is_still_an_error():
    (problem,) = problems_of("> ```bash\n> echo\n\nprose\n")
    assert (problem.line, problem.check) == (1, "code/fence")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("```bash\nls\u00a0-la\n```\n", 2, 3),
        ("> ```bash\n> ls\u00a0-la\n> ```\n", 2, 5),
        ("1. step\n\n   ```bash\n   ls\u00a0-la\n   ```\n", 4, 6),
        ("> 1. step\n>    ```bash\n>    ls\u00a0-la\n>    ```\n", 3, 8),
    ],
)
def test_a_problem_in_a_quoted_or_listed_block_has_the_file_column(text, line, column):
    found = [p for p in problems_of(text) if p.check == "code/characters"]
    assert [(p.line, p.column) for p in found] == [(line, column)]


def test_an_indented_block_in_a_blockquote_knows_its_prefix():
    (block,) = read_blocks("> quote\n>\n>     ls -la\n", "p.md").blocks
    assert (block.form, block.indent) == ("indented", len(">     "))
