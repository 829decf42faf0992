"""A file reference the attachments check refuses is reported once, at its
line, by that check: not again as a missing image (content rules), as a link
Pelican could not resolve (link check), nor as a file nobody references. A
missing image without {attach} is the content rules' alone (not the link
check's too)."""

from __future__ import annotations

from conftest import article_text, image_bytes
from test_new import invoke

BODY = """\
![A fake]({attach}images/fake.png)

![Gone]({attach}images/gone.png)

![Up]({attach}../people.toml)

[Notes]({attach}notes.txt)

![Case]({attach}images/FAKE.png)

![Bitmap]({attach}images/pic.bmp)

![Large]({attach}images/large.png)

![Plain](images/absent.png)
"""


def test_each_refused_attachment_is_one_problem_at_its_line(site):
    site.only()
    site.write("2017/images/fake.png", "GIF89a not a PNG")
    (site.content / "2017/notes.txt").write_text("notes", encoding="utf-8")
    (site.content / "2017/images/pic.bmp").write_bytes(image_bytes("BMP"))
    (site.content / "2017/images/large.png").write_bytes(
        image_bytes("PNG") + b"\0" * (1024 * 1024 + 1)
    )
    article = site.write(
        "2017/01-refused.md",
        article_text(body=BODY, guid="6f1c2a8e-0d3b-4f5e-9a7c-1b2d3e4f5a6b"),
    )
    result = invoke("check", "--content", str(site.content), "--publish")
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line]
    lines = [int(p.split(":")[1]) for p in problems]
    body = 10  # the body's first line in article_text
    assert lines == [body + n for n in (0, 2, 4, 6, 8, 10, 12, 14)], problems
    assert all(p.startswith(f"{article}:") for p in problems), problems
    assert all(" error [attachments/" in p for p in problems[:-1]), problems
    assert " error [contentrules/image-path] image not found" in problems[-1]
    assert "unreferenced" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_pelican_does_not_repeat_what_the_checks_report(site):
    site.only()
    site.write("2017/images/fake.png", "GIF89a not a PNG")
    body = "![]({attach}images/fake.png) and ![Named](images/other.png)\n"
    article = site.write(
        "2017/01-alt.md",
        article_text(body=body, guid="6f1c2a8e-0d3b-4f5e-9a7c-1b2d3e4f5a6b"),
    )
    result = invoke("check", "--content", str(site.content))
    assert result.returncode == 1
    assert f"{article}:10: error [contentrules/image-alt]" in result.stdout
    # Pelican's own log lines would say it again, unlocated (and its alt
    # warning names the wrong image).
    assert "Empty alt attribute" not in result.stderr
    assert "Unable to find" not in result.stderr
