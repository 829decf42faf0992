"""Every content rule, on Markdown sources, and wired into real builds."""

from __future__ import annotations

import pytest
from conftest import article_text

from plugins.contentrules.rules import check_text

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
    b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def problems_of(tmp_path, body, **fields):
    path = tmp_path / "2017" / "01-test.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = article_text(body=body, **fields)
    path.write_text(text, encoding="utf-8")
    return [(p.line, p.check, p.message) for p in check_text(path, text)]


def checks(found):
    return [(line, check) for line, check, _ in found]


# The header (article_text) takes lines 1-7, a blank line 8: the body starts at 9.


def test_a_clean_article_has_no_problem(tmp_path):
    assert problems_of(tmp_path, "Just *words* and `<script>` in code.\n") == []


def test_script_tag_in_html_block(tmp_path):
    body = "Intro.\n\n<div>\n<script>alert(1)</script>\n</div>\n"
    assert checks(problems_of(tmp_path, body)) == [(12, "contentrules/script")]


def test_script_inline(tmp_path):
    body = "Intro.\n\nSome text <script>alert(1)</script> here.\n"
    assert checks(problems_of(tmp_path, body)) == [(11, "contentrules/script")]


def test_event_handler_on_a_later_line_of_a_paragraph(tmp_path):
    body = "First line\nsecond <span onmouseover='x()'>hover</span>\n"
    found = problems_of(tmp_path, body)
    assert checks(found) == [(10, "contentrules/event-handler")]
    assert "onmouseover" in found[0][2]


def test_event_handler_in_attribute_list(tmp_path):
    body = 'A paragraph.\n{: onclick="steal()" }\n'
    assert checks(problems_of(tmp_path, body)) == [(10, "contentrules/event-handler")]


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))\n",
        "[click](JavaScript:alert(1))\n",
        '<a href="java&#x09;script:alert(1)">x</a>\n',
        '<a href=" vbscript:msgbox">x</a>\n',
    ],
)
def test_script_urls(tmp_path, body):
    assert checks(problems_of(tmp_path, body)) == [(9, "contentrules/javascript-url")]


def test_iframe_not_in_allow_list(tmp_path):
    body = '<iframe src="https://evil.example/x"></iframe>\n'
    found = problems_of(tmp_path, body)
    assert checks(found) == [(9, "contentrules/iframe")]
    assert "CONTENTRULES_IFRAME_HOSTS" in found[0][2]


def test_iframe_from_allowed_host_passes(tmp_path):
    body = (
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="t"></iframe>\n'
    )
    assert problems_of(tmp_path, body) == []


def test_iframe_over_http_is_refused(tmp_path):
    body = '<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>\n'
    assert checks(problems_of(tmp_path, body)) == [(9, "contentrules/iframe")]


def test_forbidden_tags(tmp_path):
    body = '<style>body{display:none}</style>\n\n<object data="x.swf"></object>\n'
    assert checks(problems_of(tmp_path, body)) == [
        (9, "contentrules/forbidden-tag"),
        (11, "contentrules/forbidden-tag"),
    ]


def test_code_blocks_and_spans_are_not_checked(tmp_path):
    body = (
        "Use `<script>` and `onclick=`.\n\n"
        "```html\n<script>alert(1)</script>\n<iframe src=x></iframe>\n```\n\n"
        "    <script>indented code</script>\n"
    )
    assert problems_of(tmp_path, body) == []


def test_image_without_alt(tmp_path):
    (tmp_path / "2017" / "images").mkdir(parents=True)
    (tmp_path / "2017" / "images" / "a.png").write_bytes(PNG)
    body = '![]({attach}images/a.png)\n\n<img src="{attach}images/a.png">\n'
    assert checks(problems_of(tmp_path, body)) == [
        (9, "contentrules/image-alt"),
        (11, "contentrules/image-alt"),
    ]


def test_image_beside_the_article_passes(tmp_path):
    (tmp_path / "2017" / "images").mkdir(parents=True)
    (tmp_path / "2017" / "images" / "a.png").write_bytes(PNG)
    assert problems_of(tmp_path, "![A dot]({attach}images/a.png)\n") == []


@pytest.mark.parametrize(
    "src, words",
    [
        ("https://example.com/a.png", "another site"),
        ("//example.com/a.png", "another site"),
        ("/images/a.png", "relative path"),
        ("{attach}../../etc/a.png", "relative path"),
        ("{attach}images/missing.png", "not found"),
        ("images/a.png", "write {attach}images/a.png"),
    ],
)
def test_image_paths(tmp_path, src, words):
    (tmp_path / "2017" / "images").mkdir(parents=True)
    (tmp_path / "2017" / "images" / "a.png").write_bytes(PNG)
    found = problems_of(tmp_path, f"![A dot]({src})\n")
    assert checks(found) == [(9, "contentrules/image-path")]
    assert words in found[0][2]


def test_image_over_the_size_limit(tmp_path):
    (tmp_path / "2017").mkdir(parents=True)
    (tmp_path / "2017" / "big.png").write_bytes(PNG + b"\0" * (1024 * 1024 + 1))
    found = problems_of(tmp_path, "![Big]({attach}big.png)\n")
    assert checks(found) == [(9, "contentrules/image-size")]
    assert "1024 KiB" in found[0][2]


def test_svg_images_are_refused(tmp_path):
    (tmp_path / "2017").mkdir(parents=True)
    (tmp_path / "2017" / "a.svg").write_text("<svg/>")
    found = problems_of(tmp_path, "![Shape]({attach}a.svg)\n")
    assert checks(found) == [(9, "contentrules/image-type")]


def test_todo_placeholders(tmp_path):
    found = problems_of(tmp_path, "TODO: write this.\n", summary="TODO a summary")
    assert checks(found) == [(7, "contentrules/todo"), (9, "contentrules/todo")]


def test_a_publish_build_fails_with_path_and_line(site):
    site.write(
        "2017/16-bad.md",
        article_text(
            title="Bad",
            date="2017-12-16T00:00:00-05:00",
            day="16",
            body="Hello.\n\n<script>alert(1)</script>\n",
        ),
    )
    result = site.build(settings="publishconf.py", today="2017-12-31")
    assert result.returncode != 0
    assert "2017/16-bad.md:11:1: error [contentrules/script]" in result.stderr
    assert not site.output.exists()


def test_rendered_html_safety_net(site):
    # A fence inside a list item that Python-Markdown renders as raw HTML
    # would slip past a Markdown-only check; the rendered HTML is checked too.
    from plugins.contentrules.rules import check_rendered

    found = check_rendered(
        "x.md", '<p onclick="x()">hi</p>', "line one\n{: onclick=x }\n"
    )
    assert [(p.line, p.check) for p in found] == [(2, "contentrules/event-handler")]
