"""The site's renderer and reader: anchors, code blocks, Pelican links,
metadata, and one read and one parse per source."""

from __future__ import annotations

import datetime

from bs4 import BeautifulSoup

from plugins.codecheck.blocks import read_blocks
from plugins.core.run import RUN_SETTING, BuildRun
from plugins.core.sessions import copy_text
from plugins.core.source import Sources
from plugins.gfm.html import markdown_to_html
from plugins.gfm.parser import TOKENS_KEY, parse
from plugins.gfm.reader import GFMReader


def soup(markdown: str, **kwargs) -> BeautifulSoup:
    return BeautifulSoup(markdown_to_html(markdown, **kwargs), "html.parser")


def test_heading_ids_are_the_old_ones_with_the_permalink_the_theme_styles():
    page = soup(
        "## First step : Growing the team\n\n## Escalation ?\n\n## Escalation ?\n"
    )
    ids = [h["id"] for h in page.find_all("h2")]
    assert ids == ["first-step-growing-the-team", "escalation", "escalation_1"]
    link = page.find("h2").find("a", class_="headerlink")
    assert link["href"] == "#first-step-growing-the-team"
    assert link["title"] == "Link to this section" and link.text == "#"


def test_a_link_written_for_githubs_anchor_reaches_the_heading():
    page = soup(
        "See [growing](#first-step--growing-the-team).\n\n## First step : Growing the team\n"
    )
    assert page.find("p").a["href"] == "#first-step-growing-the-team"


def test_pelican_link_prefixes_reach_pelican_unencoded():
    page = soup("[x]({filename}../2017/15-x.md) ![alt]({attach}images/é.png)\n")
    assert page.a["href"] == "{filename}../2017/15-x.md"
    assert page.img["src"] == "{attach}images/%C3%A9.png"


def test_code_blocks_are_highlighted_scrollable_and_named():
    page = soup("```yml\nname: web\n```\n\n    indented\n\n```\nplain\n```\n")
    tagged, indented, untagged = page.select("div.highlight")
    pre = tagged.pre
    assert (pre["tabindex"], pre["role"], pre["aria-label"]) == (
        "0",
        "group",
        "YAML code",
    )
    assert pre.code["class"] == ["language-yml"]
    assert tagged.select_one("span.nt").text == "name"
    assert indented.pre["aria-label"] == "Code" and indented.text == "indented\n"
    assert untagged.pre.code.text == "plain\n" and not untagged.pre.code.has_attr(
        "class"
    )
    # Only classes and ARIA: the sanitizer keeps them (no data-* attributes).
    assert not any(
        name.startswith("data-") for tag in page.find_all(True) for name in tag.attrs
    )


def test_extra_aliases_choose_the_lexer():
    page = soup("```mycfg\na = 1\n```\n", aliases={"mycfg": "ini"})
    assert page.div.pre["aria-label"] == "INI code"


def test_sessions_with_prompts_are_marked_for_the_copy_button():
    page = soup(
        "```console\n$ ls -l \\\n    /etc\ntotal 0\n# a comment\n$ echo hi\nhi\n```\n\n"
        "```psql\n=# \\x\n=# select 1\n-# ;\n ?column?\n```\n\n"
        "```pycon\n>>> for i in range(2):\n...     print(i)\n...\n0\n1\n```\n\n"
        "```bash\necho plain\n```\n\n```console\nno prompt\n```\n\n"
        "```psql\nselect 1;\n```\n"
    )
    classes = [div["class"] for div in page.select("div.highlight")]
    assert classes == [
        ["highlight", "session-console"],
        ["highlight", "session-psql"],
        ["highlight", "session-pycon"],
        ["highlight"],
        ["highlight"],
        ["highlight"],
    ]
    # What the button copies (the browser tests run the same rules in JS).
    console, psql, pycon = (block.pre.code.text for block in page.select("div")[:3])
    assert copy_text("console", console) == "ls -l \\\n    /etc\necho hi"
    assert copy_text("sql", psql) == "\\x\nselect 1\n;"
    assert copy_text("pycon", pycon) == "for i in range(2):\n    print(i)\n"


def test_copy_text_of_a_root_session_keeps_the_commands():
    block = "# ss -tpno\nESTAB 0 0 10.0.0.5:5672\n"
    assert copy_text("console", block) == "ss -tpno"
    assert copy_text("console", "no prompt here\n") is None
    assert copy_text("shell", "$ ls\n") is None


def test_raw_html_is_kept_but_githubs_tag_filter_applies():
    page = markdown_to_html('<div class="note">kept</div>\n\n<style>p{}</style>\n')
    assert '<div class="note">kept</div>' in page
    assert "&lt;style>" in page


def write_article(tmp_path, body="Intro.\n\n```bash\necho hi\n```\n"):
    path = tmp_path / "15-x.md"
    path.write_text(
        "Title: A title\nSummary: Some *words*.\nTags: a, b\n\n" + body,
        encoding="utf-8",
    )
    return path


def reader(settings):
    from pelican.settings import DEFAULT_CONFIG

    return GFMReader({**DEFAULT_CONFIG, **settings})


def test_the_reader_reads_the_header_and_renders_the_summary(tmp_path):
    content, metadata = reader({}).read(str(write_article(tmp_path)))
    assert metadata["title"] == "A title"
    assert metadata["summary"] == "<p>Some <em>words</em>.</p>\n"
    assert [str(tag) for tag in metadata["tags"]] == ["a", "b"]
    assert '<code class="language-bash">' in content
    assert "Title:" not in content


def test_the_reader_and_codecheck_share_one_read_and_one_parse(tmp_path):
    path = write_article(tmp_path)
    store = Sources()
    run = BuildRun(sources=store, now=datetime.datetime.now(datetime.UTC))
    reader({RUN_SETTING: run}).read(str(path))
    (source,) = list(store)
    tokens = source._cache[TOKENS_KEY]
    assert read_blocks(store.get(path)).tokens is tokens
    assert len(store) == 1


def test_token_lines_are_lines_of_the_file():
    tokens = parse("Title: T\nSummary: S\n\n# Head\n\nText.\n")
    assert [t.map[0] + 1 for t in tokens if t.type.endswith("_open")] == [4, 6]
    # Without a header nothing is blanked: `Note: x` is prose there.
    assert "Note: x" in markdown_to_html("Note: x\n")


def test_task_list_checkboxes_are_read_only_and_named():
    boxes = soup("- [ ] write\n- [x] review\n").find_all("input")
    assert [
        (b.has_attr("disabled"), b.has_attr("checked"), b["aria-label"]) for b in boxes
    ] == [
        (True, False, "to do"),
        (True, True, "done"),
    ]


def test_every_reference_to_a_footnote_shows_its_number_as_on_github():
    page = soup("Use[^a] twice[^a] thrice[^a].\n\n[^a]: The note.\n")
    refs = [sup.a.text for sup in page.find_all("sup", class_="footnote-ref")]
    assert refs == ["1", "1", "1"]
    backs = page.find_all("a", class_="footnote-backref")
    assert [a["aria-label"] for a in backs] == [
        "Back to reference 1",
        "Back to reference 1-2",
        "Back to reference 1-3",
    ]
    assert [a.text for a in backs] == ["\u21a9\ufe0e", "\u21a9\ufe0e2", "\u21a9\ufe0e3"]
    # each back link still reaches its own reference
    ids = [sup.a["id"] for sup in page.find_all("sup", class_="footnote-ref")]
    assert [a["href"][1:] for a in backs] == ids


def test_a_github_anchor_with_accents_or_other_scripts_reaches_the_heading():
    page = soup(
        "[a](#café-résumé) [b](#caf%C3%A9-r%C3%A9sum%C3%A9) [c](#日本語の見出し) "
        "[d](#cafe\u0301)\n\n## Café résumé\n\n## 日本語の見出し\n\n## Cafe\u0301\n"
    )
    ids = [h["id"] for h in page.find_all("h2")]
    assert [a["href"] for a in page.find("p").find_all("a")] == [
        "#" + ids[0],
        "#" + ids[0],
        "#" + ids[1],
        "#" + ids[2],
    ]
