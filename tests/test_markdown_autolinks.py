"""Bare URLs and email addresses are linked as GitHub links them.

The expected HTML is cmark-gfm's own (GitHub's renderer, through the PyPI
binding `cmarkgfm` 2025.10.22 with the GFM extensions), fixed here so the
suite does not need it; both sides are compared after cmark's normalisation
(tests/fixtures/gfm/normalize.py).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from plugins.gfm.autolinks import email_spans, in_brackets
from plugins.gfm.html import markdown_to_html

NORMALIZE = Path(__file__).parent / "fixtures" / "gfm" / "normalize.py"


def normalize(html: str) -> str:
    spec = importlib.util.spec_from_file_location("gfm_normalize", NORMALIZE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.normalize_html(html)


CMARK_GFM = [
    (
        "Index `a[0` then http://example.com and www.example.org\n",
        '<p>Index <code>a[0</code> then <a href="http://example.com">http://example.com</a> and <a href="http://www.example.org">www.example.org</a></p>',
    ),
    (
        "Open [a note: see www.example.com and http://example.com/x\n",
        "<p>Open [a note: see www.example.com and http://example.com/x</p>",
    ),
    (
        "Write to first_last@example.org today.\n",
        '<p>Write to <a href="mailto:first_last@example.org">first_last@example.org</a> today.</p>',
    ),
    (
        'Mail "ops@example.com" or [noc@example.com] or <b>dba@example.com</b>.\n',
        '<p>Mail &quot;<a href="mailto:ops@example.com">ops@example.com</a>&quot; or [<a href="mailto:noc@example.com">noc@example.com</a>] or <b><a href="mailto:dba@example.com">dba@example.com</a></b>.</p>',
    ),
    (
        "_a_b@x.com_ and *user*_name@x.com and é_b@x.com\n",
        '<p><em><a href="mailto:a_b@x.com">a_b@x.com</a></em> and <em>user</em><a href="mailto:_name@x.com">_name@x.com</a> and é<a href="mailto:_b@x.com">_b@x.com</a></p>',
    ),
    (
        "The docs are at \"https://example.com/docs\" and 'http://example.org'.\n",
        '<p>The docs are at &quot;<a href="https://example.com/docs">https://example.com/docs</a>&quot; and \'<a href="http://example.org">http://example.org</a>\'.</p>',
    ),
    (
        "Set url=http://example.com/x, see [http://example.com/y] or (http://example.com/z).\n",
        '<p>Set url=<a href="http://example.com/x">http://example.com/x</a>, see [http://example.com/y] or (<a href="http://example.com/z">http://example.com/z</a>).</p>',
    ),
    (
        "xhttp://example.com is not a link, nor xmailto:a@example.com\n",
        '<p>xhttp://example.com is not a link, nor xmailto:<a href="mailto:a@example.com">a@example.com</a></p>',
    ),
    (
        "Reach me at mailto:a_b@example.com or xmpp:me@example.com/home\n",
        '<p>Reach me at <a href="mailto:a_b@example.com">mailto:a_b@example.com</a> or <a href="xmpp:me@example.com/home">xmpp:me@example.com/home</a></p>',
    ),
    (
        "[write to me@example.com](http://example.com) `me@example.com` ![me@x.com](i.png)\n",
        '<p><a href="http://example.com">write to me@example.com</a> <code>me@example.com</code> <img src="i.png" alt="me@x.com" /></p>',
    ),
    (
        "a@b@c.com x@y.z. me@localhost https://u_p@example.org/\n",
        '<p>a@<a href="mailto:b@c.com">b@c.com</a> <a href="mailto:x@y.z">x@y.z</a>. me@localhost https://<a href="mailto:u_p@example.org">u_p@example.org</a>/</p>',
    ),
    (
        '| who | mail |\n|---|---|\n| ops | ops_team@example.com |\n\n> ask "help_desk@example.com"\n\n- http://example.com/list\n',
        '<table>\n<thead>\n<tr>\n<th>who</th>\n<th>mail</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>ops</td>\n<td><a href="mailto:ops_team@example.com">ops_team@example.com</a></td>\n</tr>\n</tbody>\n</table>\n<blockquote>\n<p>ask &quot;<a href="mailto:help_desk@example.com">help_desk@example.com</a>&quot;</p>\n</blockquote>\n<ul>\n<li><a href="http://example.com/list">http://example.com/list</a></li>\n</ul>',
    ),
]


@pytest.mark.parametrize(("markdown", "github"), CMARK_GFM)
def test_bare_urls_and_emails_are_linked_as_on_github(markdown, github):
    assert normalize(markdown_to_html(markdown)) == normalize(github)


def test_an_underscore_in_an_address_belongs_to_it():
    assert email_spans("to first_last@example.org.") == [
        (3, 25, "mailto:first_last@example.org")
    ]
    assert email_spans("me@localhost, a@b@c.com") == [(16, 23, "mailto:b@c.com")]


def test_only_an_open_bracket_before_a_url_stops_it():
    assert in_brackets("see [http://x", 5)
    assert not in_brackets("see [a](b) http://x", 11)
    assert not in_brackets("see \\[ http://x", 8)
    assert not in_brackets("see `a[0` http://x", 10)


def _render_seconds(markdown: str) -> float:
    import time

    # CPU time, best of three: another busy process on the machine does not
    # count, so the ratio below measures the algorithm, not the load.
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        markdown_to_html(markdown)
        best = min(best, time.process_time() - start)
    return best


def test_a_paragraph_of_many_links_costs_its_length_not_its_square():
    # An author's (or an attacker's) long paragraph must not stall the build:
    # each URL, email or colon is found without rescanning the text before it.
    def paragraph(n):
        return " ".join(
            f"see: http://example.com/{i} www.x{i}.org a_{i}@b.org `[` [x"
            for i in range(n)
        )

    small, large = _render_seconds(paragraph(500)), _render_seconds(paragraph(2000))
    assert large < 8 * small  # 4x the text; a quadratic cost would be ~16x


def _depths_char_by_char(src: str) -> list[int]:
    """The open-bracket depth at each position, walked one character at a
    time (the first implementation: right, but slow on every paragraph)."""
    from plugins.gfm.autolinks import CODE_SPAN_RE

    depths = [0] * (len(src) + 1)
    spans = {m.start(): m.end() for m in CODE_SPAN_RE.finditer(src)}
    depth, index, size = 0, 0, len(src)
    while index < size:
        skip = spans.get(index, index + 2 if src[index] == "\\" else index + 1)
        for inside in range(index, min(skip, size)):
            depths[inside] = depth
        if skip == index + 1:
            if src[index] == "[":
                depth += 1
            elif src[index] == "]" and depth:
                depth -= 1
        index = skip
    depths[size] = depth
    return depths


def test_bracket_depths_from_their_changes_match_a_walk_of_every_character():
    import random

    from plugins.gfm.autolinks import _depth_at, bracket_changes

    chance = random.Random(2017)
    texts = ["", "a", "[", "]", "\\[", "`[`", "[`]`]", "[a\\]b]c", "``[``]`"]
    texts += [
        "".join(chance.choices("[]\\`a: ", k=chance.randint(1, 40)))
        for _ in range(3000)
    ]
    for text in texts:
        changes = bracket_changes(text)
        walked = _depths_char_by_char(text)
        assert [_depth_at(changes, pos) for pos in range(len(text) + 1)] == walked, text
