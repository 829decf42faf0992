"""The site's renderer against GitHub's own spec: cmark-gfm's spec.txt and
extensions.txt (tests/fixtures/gfm/, vendored with their licence), compared
after cmark's HTML normalisation (tests/fixtures/gfm/normalize.py).

The site's presentation is taken off first, since the spec has none of it:
code blocks are highlighted in `<div class="highlight">` (the spec has a bare
`<pre><code class="language-x">`), headings carry ids and a permalink.

Known, deliberate differences that remain: GitHub's tag filter is on
everywhere (the core CommonMark examples with `<script>`/`<style>` expect it
off), as are GitHub's autolinks; prose placeholders (`<bab>`) are shown as
text; table alignment is a `style` (the `align` attribute is obsolete HTML).
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from plugins.gfm.html import markdown_to_html

GFM = Path(__file__).parent / "fixtures" / "gfm"
SPECS = ("spec.txt", "extensions.txt")
FENCE = "`" * 32
BAR = 0.95

CODE_RE = re.compile(
    r'<div class="highlight"[^>]*><pre[^>]*><code([^>]*)>(.*?)</code></pre></div>', re.S
)


def _normalizer():
    spec = importlib.util.spec_from_file_location("gfm_normalize", GFM / "normalize.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.normalize_html


def examples(name: str) -> list[dict]:
    """The examples of a spec file, as cmark-gfm's spec_tests.py reads them."""
    found, markdown, html = [], [], []
    state, section, number, extensions = 0, "", 0, []
    with open(GFM / name, encoding="utf-8", newline="\n") as spec:
        for line in spec:
            stripped = line.strip()
            if stripped.startswith(FENCE + " example"):
                state, extensions = 1, stripped[len(FENCE) + 8 :].split()
            elif stripped == FENCE:
                number += 1
                if "disabled" not in extensions:
                    found.append(
                        {
                            "markdown": "".join(markdown).replace("→", "\t"),
                            "html": "".join(html).replace("→", "\t"),
                            "section": section,
                            "number": number,
                        }
                    )
                state, markdown, html = 0, [], []
            elif stripped == ".":
                state = 2
            elif state == 1:
                markdown.append(line)
            elif state == 2:
                html.append(line)
            elif re.match(r"#+ ", line):
                section = re.sub(r"#+ ", "", line).strip()
    return found


def undecorate(html: str) -> str:
    """The site's HTML without its presentation: bare code blocks, bare headings."""

    def bare(match: re.Match) -> str:
        code = re.sub(r"</?span[^>]*>", "", match.group(2))
        return f"<pre><code{match.group(1)}>{code}</code></pre>"

    html = CODE_RE.sub(bare, html)
    html = re.sub(r'(<h[1-6]) id="[^"]*"', r"\1", html)
    return re.sub(r'<a class="headerlink"[^>]*>#</a>', "", html)


def agreement():
    normalize = _normalizer()
    passed, total = Counter(), Counter()
    for name in SPECS:
        for example in examples(name):
            key = (name, example["section"])
            total[key] += 1
            expected = example["html"]
            if expected.strip() == "<IGNORE>":  # as in spec_tests.py
                passed[key] += 1
                continue
            actual = undecorate(markdown_to_html(example["markdown"]))
            if normalize(actual) == normalize(expected):
                passed[key] += 1
    return passed, total


def test_the_spec_files_are_complete():
    # spec.txt: 673 examples, 2 disabled; extensions.txt: 28: 699 in all.
    assert [len(examples(name)) for name in SPECS] == [671, 28]


def test_site_renderer_agrees_with_the_gfm_spec(capsys):
    passed, total = agreement()
    lines = [f"{'file':15} {'section':45} agree"]
    for key in total:
        lines.append(f"{key[0]:15} {key[1][:45]:45} {passed[key]:3}/{total[key]:3}")
    share = sum(passed.values()) / sum(total.values())
    lines.append(f"all: {sum(passed.values())}/{sum(total.values())} = {share:.1%}")
    with capsys.disabled():
        print("\nGFM spec agreement of the site's renderer:\n" + "\n".join(lines))
    assert share >= BAR


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("1) step\n2) next\n", "<ol>\n<li>step</li>\n<li>next</li>\n</ol>"),
        ("~~gone~~\n", "<p><del>gone</del></p>"),
        ("- [x] done\n", 'checked=""'),
        (
            "see www.example.com\n",
            '<a href="http://www.example.com">www.example.com</a>',
        ),
        ("a <script>x</script>\n", "a &lt;script>x&lt;/script>"),
        ("replace <yourdomain> here\n", "replace &lt;yourdomain&gt; here"),
        ("press <kbd>Ctrl</kbd>\n", "press <kbd>Ctrl</kbd>"),
    ],
)
def test_github_features(markdown, html):
    assert html in markdown_to_html(markdown)
