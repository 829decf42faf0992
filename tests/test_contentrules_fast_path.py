"""The rendered-HTML safety net skips the full scan only for plainly harmless
pages: every page the full scan would flag must take the slow path."""

import pytest

from plugins.contentrules.rules import check_html, plainly_harmless

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x></SCRIPT>",
    '<img src="x.png" onerror="alert(1)">',
    '<img src="javascript:alert(1)" alt="x">',
    '<img src="x.png" srcset="javascript:alert(1) 2x" alt="x">',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="x">',
    "<img src=x onerror  =alert(1)>",
    "<img/onerror=alert(1) src=x>",
    '<a href="x"onclick="alert(1)">x</a>',
    '<a title="a>b" onclick="alert(1)">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="javascript :alert(1)">x</a>',
    '<a href="javascript\x01:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil.example.com/"></iframe>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example.com/"><input></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example.com/">',
    '<object data="x.swf"></object>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<p id="x" ONMOUSEOVER="alert(1)">hover</p>',
    '<div data-x="1" onfocus=alert(1) tabindex=0>x</div>',
]

HARMLESS = [
    '<p>Plain <em>text</em> with a <a href="https://example.com/a">link</a>.</p>',
    '<div class="highlight"><pre><span></span><code><span class="n">x</span> '
    '<span class="o">=</span> 1\n</code></pre></div>',
    '<h2 id="part-1">Part 1<a class="headerlink" href="#part-1" '
    'title="Link to this section">#</a></h2>',
    "<blockquote><p>Quoted &amp; escaped &lt;script&gt; text.</p></blockquote>",
    '<p><img alt="Replication lag in Grafana" src="images/lag.png"></p>',
    '<p>See <a href="https://example.org/scripts/backup">the scripts</a>.</p>',
    '<p><img src="https://sysadvent.example.org/2017/12/images/lag.png" '
    'alt="Lag" title="Lag, in seconds"></p>',
]


@pytest.mark.parametrize("html", ATTACKS)
def test_every_attack_takes_the_full_scan(html):
    assert check_html(html), f"the full scan should flag {html!r}"
    assert not plainly_harmless(html)


@pytest.mark.parametrize("html", HARMLESS)
def test_ordinary_rendered_html_takes_the_fast_path(html):
    assert check_html(html) == []
    assert plainly_harmless(html)


def test_the_worker_s_findings_count_only_for_the_html_they_were_made_from(tmp_path):
    """The pre-render stage scans the HTML where it renders it; the build
    takes those findings only for exactly that HTML, else scans again."""
    import datetime as dt

    from plugins.contentrules import RENDERED_KEY
    from plugins.contentrules import check_html as rendered_check
    from plugins.core.checks import fingerprint
    from plugins.core.run import RUN_SETTING, BuildRun
    from plugins.core.source import Sources

    path = tmp_path / "a.md"
    path.write_text("Title: T\n\nbody\n", encoding="utf-8")
    sources = Sources()
    source = sources.get(path)
    settings = {
        RUN_SETTING: BuildRun(sources=sources, now=dt.datetime.now(dt.UTC)),
        "BUILD_RENDER_CACHE": False,
    }
    attack = '<img src="x.png" onerror="alert(1)">'
    source._cache[RENDERED_KEY] = {"html": fingerprint("<p>body</p>"), "problems": []}
    found = rendered_check(source, attack, settings)
    assert [p.check for p in found] == ["contentrules/event-handler"]
    assert RENDERED_KEY not in source._cache
    source._cache[RENDERED_KEY] = {"html": fingerprint(attack), "problems": []}
    assert rendered_check(source, attack, settings) == []  # as the worker found
