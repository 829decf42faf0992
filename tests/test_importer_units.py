"""The importer's parts: Blogger's address rule, bylines, reading exports."""

from __future__ import annotations

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from importer_helpers import FIXTURES, ROOT

from pipeline.importer.blogger import ExportError, read_export
from pipeline.importer.bylines import PersonRef, parse_line, take_bylines
from pipeline.importer.convert import Hooks, clean, parse, to_markdown
from pipeline.importer.slug import blogger_path, blogger_slug


@pytest.mark.parametrize(
    ("year", "title", "path"),
    [
        # The four examples of issue 14, and Day 9 of 2017.
        (
            2009,
            "Day 15 - Replacing Init Scripts with Supervisord",
            "/2009/12/day-15-replacing-init-scripts-with.html",
        ),
        (
            2010,
            "Day 13 - Don't Be a Human Keyboard",
            "/2010/12/day-13-dont-be-human-keyboard.html",
        ),
        (
            2011,
            "Day 5 - Tracking Requests with Request Tracker",
            "/2011/12/day-5-tracking-requests-with-request.html",
        ),
        (2008, "Day 3 - Babysitting", "/2008/12/day-3-babysitting.html"),
        (
            2017,
            "Day 9 - Using Kubernetes for multi-provider, multi-region batch jobs",
            "/2017/12/day-9-using-kubernetes-for-multi.html",
        ),
        # Real addresses of other posts: 40 characters fit; "the" inside goes.
        (
            2017,
            "Day 2 - Shifting Left Securely With InSpec",
            "/2017/12/day-2-shifting-left-securely-with-inspec.html",
        ),
        (
            2017,
            "Day 12 - Monitoring Postgres Replication Lag",
            "/2017/12/day-12-monitoring-postgres-replication.html",
        ),
        (
            2010,
            "Day 15 - Down the 'ls' Rabbit Hole",
            "/2010/12/day-15-down-ls-rabbit-hole.html",
        ),
    ],
)
def test_blogger_addresses_follow_bloggers_rule(year, title, path):
    assert blogger_path(year, 12, title) == path


def test_a_leading_article_stays_and_one_long_word_is_cut():
    assert blogger_slug("The Art of Monitoring") == "the-art-of-monitoring"
    assert blogger_slug("x" * 50) == "x" * 40


def test_the_2017_articles_carry_their_blogger_address_as_alias():
    from plugins.core.source import read_source

    found = {}
    for path in sorted((ROOT / "content/2017").glob("*.md")):
        header = read_source(path).header
        title = f"Day {header.value('day')} - {header.value('title')}"
        assert header.value("aliases") == blogger_path(2017, 12, title)
        found[int(header.value("day"))] = header.value("aliases")
    assert found[9] == "/2017/12/day-9-using-kubernetes-for-multi.html"


@pytest.mark.parametrize(
    ("line", "authors", "editors"),
    [
        (
            "By: Eric Sigler (@esigler) / Edited By: Michelle Carroll (@miiiiiche)",
            [PersonRef("Eric Sigler", "esigler")],
            [PersonRef("Michelle Carroll", "miiiiiche")],
        ),
        (
            "Written by: Ann Lee and Bo Park",
            [PersonRef("Ann Lee"), PersonRef("Bo Park")],
            [],
        ),
        (
            "Edited by: Michelle Carroll (@miiiiiche)",
            [],
            [PersonRef("Michelle Carroll", "miiiiiche")],
        ),
        (
            "This article was written by Jo Smith and edited by Al Day.",
            [PersonRef("Jo Smith")],
            [PersonRef("Al Day")],
        ),
    ],
)
def test_byline_forms(line, authors, editors):
    found = parse_line(line)
    assert (found.authors, found.editors) == (authors, editors)


@pytest.mark.parametrize(
    "line",
    ["By the way, this is prose.", "by default the daemon forks", "Edited by hand."],
)
def test_prose_is_not_a_byline(line):
    assert parse_line(line) is None


def test_a_linked_byline_becomes_metadata_not_text():
    soup = BeautifulSoup(
        "<p>Intro.</p><p>This was written by "
        '<a href="https://twitter.com/jordansissel">Jordan Sissel</a>.</p>',
        "html.parser",
    )
    byline = take_bylines(soup)
    assert byline.authors == [
        PersonRef("Jordan Sissel", "jordansissel", "https://twitter.com/jordansissel")
    ]
    assert str(soup) == "<p>Intro.</p>"


def test_a_byline_line_inside_a_paragraph_is_taken_out_alone():
    soup = BeautifulSoup(
        "<p>By: A. Person<br/>Edited by: Bea Editor (@bea)<br/>Today we look at logs.</p>",
        "html.parser",
    )
    byline = take_bylines(soup)
    assert [p.name for p in byline.authors + byline.editors] == [
        "A. Person",
        "Bea Editor",
    ]
    assert str(soup) == "<p>Today we look at logs.</p>"


def _markdown(html):
    soup = parse(html)
    notes = clean(soup)
    return to_markdown(soup, Hooks()).markdown, notes


def test_pre_code_tables_lists_and_emphasis_survive():
    markdown, _ = _markdown(
        "<p>Use <code>ls -l</code> and <em>read</em> <strong>carefully</strong>.</p>"
        '<pre class="brush: python">print(1 &lt; 2)</pre>'
        "<pre>$ uptime\n 10:00 up 1 day</pre>"
        "<ol><li>one<ul><li>nested</li></ul></li><li>two</li></ol>"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
    )
    assert markdown == (
        "Use `ls -l` and *read* **carefully**.\n\n"
        "```python\nprint(1 < 2)\n```\n\n"
        "```console\n$ uptime\n 10:00 up 1 day\n```\n\n"
        "1. one\n    - nested\n2. two\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    )


def test_untrusted_html_is_neutralised_and_noted():
    markdown, notes = _markdown(
        '<p onclick="x()">Hi &lt;b&gt; <a href="javascript:alert(1)">there</a></p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<iframe src="https://evil.example/x"></iframe><form><input name=a></form>'
    )
    assert markdown == (
        "Hi &lt;b&gt; there\n\n"
        "[Embedded content: https://evil.example/x](https://evil.example/x)\n"
    )
    assert [n.message for n in notes] == [
        "1 <script> element(s) removed",
        "<iframe> of https://evil.example/x became a link; embed it again if allowed",
        "link to a script address removed ('javascript:alert(1)')",
    ]


def test_both_export_formats_are_read():
    classic = read_export(FIXTURES / "classic.xml")
    newer = read_export(FIXTURES / "blogger2018.xml")
    assert (classic.format, newer.format) == ("classic", "2018")
    assert [(e.kind, e.status) for e in classic.entries] == [
        ("settings", "live"),
        ("post", "live"),
        ("comment", "live"),
        ("post", "live"),
        ("post", "live"),
        ("post", "draft"),
        ("post", "live"),
        ("page", "live"),
    ]
    assert [(e.kind, e.status) for e in newer.entries] == [
        ("post", "live"),
        ("post", "live"),
        ("post", "live"),
        ("post", "draft"),
        ("post", "soft_trashed"),
        ("comment", "live"),
        ("page", "live"),
    ]
    day3, day13 = classic.entries[1], newer.entries[0]
    assert (day3.path, day3.labels) == (
        "/2008/12/day-3-babysitting.html",
        ["monit", "process monitoring"],
    )
    assert (day13.path, day13.labels) == (
        "/2010/12/day-13-dont-be-human-keyboard.html",
        ["automation", "expect"],
    )
    assert day13.id == "tag:blogger.com,1999:blog-4244339470935734313.post-3001"


def test_a_truncated_export_names_the_entry(tmp_path):
    text = (FIXTURES / "classic.xml").read_text()
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("Restart it with")])
    with pytest.raises(ExportError) as caught:
        read_export(cut)
    message = str(caught.value)
    assert message.startswith(f"{cut}:")
    assert "the export is truncated" in message
    assert (
        "inside entry 2 tag:blogger.com,1999:blog-4244339470935734313.post-1001 "
        "'Day 3 - Babysitting' (from line 17)"
    ) in message


def test_a_malformed_export_names_the_entry_after_which_it_broke(tmp_path):
    text = (FIXTURES / "classic.xml").read_text()
    bad = tmp_path / "bad.xml"
    bad.write_text(text.replace("</entry>\n<entry>", "</entry>\n<entry><<", 3))
    with pytest.raises(ExportError) as caught:
        read_export(bad)
    assert "not well-formed XML" in str(caught.value)
    assert "entry 2" in str(caught.value)


def test_an_export_with_a_dtd_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>\n'
    )
    with pytest.raises(ExportError, match="declares a DTD"):
        read_export(bomb)


def test_entries_without_a_date_are_errors_and_the_rest_is_imported(
    tmp_path, monkeypatch
):
    from importer_helpers import SETTINGS, scratch_site

    from pipeline.importer.command import run

    site = scratch_site(tmp_path)
    monkeypatch.chdir(site)
    text = (FIXTURES / "classic.xml").read_text()
    broken = text.replace(
        "<published>2009-12-15T00:00:00.000-05:00</published>",
        "<published>next tuesday</published>",
    )
    (site / "export.xml").write_text(broken)
    code = run(
        "blogger", "export.xml", settings_file=SETTINGS, content="content", offline=True
    )
    assert code == 1
    assert (site / "content/2008/03-babysitting.md").exists()
    assert not (site / "content/2009").exists()


def test_invoke_import_on_a_truncated_export_fails_without_a_traceback(tmp_path):
    text = (FIXTURES / "blogger2018.xml").read_text()
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: len(text) // 2])
    (tmp_path / "content").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "import",
            "blogger",
            str(cut),
            "--dry-run",
            "--content",
            str(tmp_path / "content"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"invoke import: {cut}:")
    assert "the export is truncated" in done.stderr
    assert done.stderr.rstrip().endswith("nothing was written")
