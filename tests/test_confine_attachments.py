"""The published-file policy: only what published articles and pages reference
from their own folder, of allowed image types, reaches the output.

Unit tests judge references on real files in a temporary content folder;
build tests run real `invoke build`s (and Pelican with the policy's errors
turned into warnings, to show that the gate holds even then).
"""

from __future__ import annotations

import gzip
import os
import socket
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, SiteFixture, article_text, image_bytes

from plugins.attachments.policy import (
    Judge,
    copy_attachment,
    image_problem,
    scan_tree,
    unreferenced,
)

OUTSIDE_TAIL = (
    "the folder of this article: only files in that folder (or below it) are "
    "published; store the file there and write {attach}images/<name>"
)


def outside(written, folder="content/2017/"):
    return (
        "attachments/outside",
        f"'{written}' points outside {folder}, {OUTSIDE_TAIL}",
    )


@pytest.fixture
def content(tmp_path, monkeypatch):
    """A content folder with one year, an image, and a secret beside it."""
    monkeypatch.chdir(tmp_path)  # messages then show content/2017/…
    root = tmp_path / "content"
    (root / "2017" / "images").mkdir(parents=True)
    (root / "pages").mkdir()
    (root / "2017" / "images" / "pic.png").write_bytes(image_bytes())
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "canary.txt").write_text("CANARY", encoding="utf-8")
    return root


def judged(root, body, name="2017/01-x.md"):
    """(line, check, message) of every problem, and the attachments, of a body
    that starts on line 3 (line 1 holds the header)."""
    text = "Title: x\n\n" + body
    path = root / name
    path.write_text(text, encoding="utf-8")
    document = Judge(root).check_document(
        path, text, 3, "page" if name.startswith("pages/") else "article"
    )
    problems = [(p.line, p.check, p.message) for p in document.problems]
    return problems, document.attachments


@pytest.mark.parametrize(
    "written",
    [
        "{attach}../../../../../../../../../../etc/hostname",
        "{attach}../../secret/canary.txt",
        "{attach}images/../../../secret/canary.txt",
        "{attach}%2e%2e/%2e%2e/secret/canary.txt",
        "{attach}%2E%2E%2F%2E%2E%2Fsecret%2Fcanary.txt",
        "{attach}%252e%252e/%252e%252e/secret/canary.txt",
        "|attach|../../secret/canary.txt",
        "{attach|../../secret/canary.txt",
        "{static}../../secret/canary.txt",
        "{static}/../secret/canary.txt",
        "{static}../pages/x.png",
        "{attach}/pages/x.png",
        "{attach}IMAGES/../../../secret/canary.txt",
        "{attach}images/x.png?/../../../../secret/canary.txt",
        "{attach}../../../../../../../../../proc/self/environ",
        "../../secret/canary.txt",
    ],
)
def test_every_way_out_of_the_folder_is_an_error_at_its_line(content, written):
    problems, attachments = judged(content, f"Words.\n\n[notes]({written})\n")
    assert problems == [(5, *outside(written))]
    assert attachments == []


def test_entities_backslashes_and_raw_html_are_judged_as_they_are_read(content):
    body = (
        "[e]({attach}&#46;&#46;/&#46;&#46;/secret/canary.txt)\n"
        "[b]({attach}..\\..\\secret\\canary.txt)\n"
        '<a href="{attach}../../secret/canary.txt">raw</a>\n'
        '<img alt="x" srcset="images/pic.png 1x, {attach}../../secret/canary.txt 2x">\n'
        '<video poster="{attach}../../secret/canary.txt"></video>\n'
        "<span style=\"background: url('../../secret/canary.txt')\">x</span>\n"
        "\n"
        "[by reference][r]\n"
        "\n"
        "[r]: {static}../../secret/canary.txt\n"
    )
    problems, attachments = judged(content, body)
    assert problems == [
        # markdown-it decodes the entities of a link destination, as a browser would
        (3, *outside("{attach}../../secret/canary.txt")),
        (4, *outside("{attach}..\\..\\secret\\canary.txt")),
        (5, *outside("{attach}../../secret/canary.txt")),
        (6, *outside("{attach}../../secret/canary.txt")),
        (7, *outside("{attach}../../secret/canary.txt")),
        (8, *outside("../../secret/canary.txt")),
        (12, *outside("{static}../../secret/canary.txt")),
    ]
    # The plain srcset candidate inside the folder is published beside the page.
    assert [(a.key, a.tail, a.marker, a.line) for a in attachments] == [
        ("2017/images/pic.png", "images/pic.png", "", 6)
    ]


def test_filename_links_other_sources_but_never_leaves_the_content_folder(content):
    (content / "pages" / "about.md").write_text("Title: About\n\nHi.\n")
    body = (
        "[about]({filename}../pages/about.md) [later]({filename}02-later.md#x)\n"
        "[out]({filename}../../secret/canary.txt)\n"
        "[a pic]({filename}images/pic.png)\n"
    )
    problems, attachments = judged(content, body)
    assert problems == [
        (
            4,
            "attachments/outside",
            "'{filename}../../secret/canary.txt' points outside the content folder "
            "content/: {filename} links other articles and pages of the site",
        )
    ]
    assert [(a.key, a.marker) for a in attachments] == [
        ("2017/images/pic.png", "filename")
    ]


def test_links_to_pages_of_the_site_are_not_files(content):
    (content / "pages" / "about.md").write_text("Title: About\n\nHi.\n")
    body = (
        "[yesterday](day-14-x.html) [a season](../../2016/) "
        "[an old day](../../2016/12/day-3-x.html) [here](#a-section)\n"
        "[elsewhere](https://example.org/a.png) [mail](mailto:a@example.org) "
        "[topics](/tags/) [a tag]({tag}devops) [site root](//example.org/x)\n"
    )
    assert judged(content, body) == ([], [])
    page = "[the 2017 season](../2017/) [archive](../archive/)\n"
    assert judged(content, page, "pages/p.md") == ([], [])


def test_code_blocks_and_code_spans_are_not_references(content):
    body = (
        "Write `{attach}../../etc/passwd` to see the error.\n"
        "\n"
        "```markdown\n"
        "![x]({attach}../../secret/canary.txt)\n"
        "```\n"
        "\n"
        "    <img src='{static}../../secret/canary.txt'>\n"
    )
    assert judged(content, body) == ([], [])


def test_a_marker_the_markdown_reader_does_not_see_as_a_link_is_judged_too(content):
    # Python-Markdown and markdown-it disagree about spaces in a destination.
    problems, _ = judged(content, "[x]({attach}../../secret/canary.txt 'a' b)\n")
    assert problems == [(3, *outside("{attach}../../secret/canary.txt"))]


def test_pages_are_held_to_their_own_folder(content):
    problems, _ = judged(
        content, "![x]({attach}../2017/images/pic.png)\n", "pages/p.md"
    )
    assert problems == [
        (
            3,
            "attachments/outside",
            "'{attach}../2017/images/pic.png' points outside content/pages/, the "
            "folder of this page: only files in that folder (or below it) are "
            "published; store the file there and write {attach}images/<name>",
        )
    ]


ALLOWED = "only images are: .avif, .gif, .jpeg, .jpg, .png, .webp"


@pytest.mark.parametrize(
    "name,data,check,message",
    [
        ("a.png", image_bytes("PNG"), None, None),
        ("a.PNG", image_bytes("PNG"), None, None),
        ("a.jpg", image_bytes("JPEG"), None, None),
        ("a.jpeg", image_bytes("JPEG"), None, None),
        ("a.gif", image_bytes("GIF"), None, None),
        ("a.webp", image_bytes("WEBP"), None, None),
        ("a.avif", image_bytes("AVIF"), None, None),
        ("a.svg", b"<svg onload='alert(1)'/>", "type", f".svg files are never published; {ALLOWED}"),
        ("a.SVG", b"<svg onload='alert(1)'/>", "type", f".svg files are never published; {ALLOWED}"),
        ("a.html", b"<script>alert(1)</script>", "file",
         "content/2017/images/a.html is an article or page source, not a file to "
         "publish: link it with {filename}images/a.html"),
        ("a.xhtml", b"<html/>", "file",
         "content/2017/images/a.xhtml is an article or page source, not a file to "
         "publish: link it with {filename}images/a.xhtml"),
        ("a.js", b"alert(1)", "type", f".js files are never published; {ALLOWED}"),
        ("a.css", b"body{}", "type", f".css files are never published; {ALLOWED}"),
        ("a.pdf", b"%PDF-1.4", "type", f".pdf files are never published; {ALLOWED}"),
        ("a.txt", b"notes", "type", f".txt files are never published; {ALLOWED}"),
        ("README", b"notes", "type", f"files without an extension are never published; {ALLOWED}"),
        ("a.png", b"<html><script>alert(1)</script>", "type",
         "content/2017/images/a.png is not a PNG image (its first bytes are not those of a PNG)"),
        ("a.PnG", image_bytes("GIF"), "type",
         "content/2017/images/a.PnG is not a PNG image (its first bytes are not those of a PNG)"),
        ("a.gif", b"GIF89a<script>alert(1)</script>", "type",
         "content/2017/images/a.gif is not a valid GIF image (Pillow cannot read it)"),
    ],
)  # fmt: skip
def test_only_images_whose_bytes_match_their_extension_are_published(
    content, name, data, check, message
):
    (content / "2017" / "images" / name).write_bytes(data)
    problems, attachments = judged(content, f"[file]({{attach}}images/{name})\n")
    if check is None:
        assert problems == []
        assert [a.key for a in attachments] == [f"2017/images/{name}"]
    else:
        assert problems == [
            (3, f"attachments/{check}", f"'{{attach}}images/{name}': {message}")
        ]
        assert attachments == []


def test_symlinks_fifos_folders_hidden_files_and_sources_are_never_attachments(
    content, tmp_path
):
    images = content / "2017" / "images"
    (images / "link.png").symlink_to(tmp_path / "secret" / "canary.txt")
    (content / "2017" / "linked").symlink_to(images, target_is_directory=True)
    os.mkfifo(content / "2017" / "pipe.png")
    (images / ".hidden.png").write_bytes(image_bytes())
    (content / "2017" / "02-other.md").write_text("Title: other\n\nHi.\n")
    body = (
        "[a]({attach}images/link.png)\n"
        "[b]({attach}linked/pic.png)\n"
        "[c]({attach}pipe.png)\n"
        "[d]({attach}images/)\n"
        "[e]({attach}images/.hidden.png)\n"
        "[f]({attach}02-other.md)\n"
        "[g]({attach}images/nope.png)\n"
        "[h]({attach})\n"
        "[i]({attach}https://example.org/x.png)\n"
    )
    problems, attachments = judged(content, body)
    assert problems == [
        (3, "attachments/file", "'{attach}images/link.png': content/2017/images/link.png "
         "is a symbolic link, which is never followed or published; commit the file itself"),
        (4, "attachments/file", "'{attach}linked/pic.png': content/2017/linked is a "
         "symbolic link, which is never followed or published; commit the file itself"),
        (5, "attachments/file", "'{attach}pipe.png': content/2017/pipe.png is a named "
         "pipe (FIFO), which is never followed or published"),
        (6, "attachments/file", "'{attach}images/': content/2017/images is a folder, not a file"),
        (7, "attachments/file", "'{attach}images/.hidden.png': hidden files (names "
         "starting with '.') are never published"),
        (8, "attachments/file", "'{attach}02-other.md': content/2017/02-other.md is an "
         "article or page source, not a file to publish: link it with {filename}02-other.md"),
        (9, "attachments/missing", "'{attach}images/nope.png': no such file "
         "content/2017/images/nope.png"),
        (10, "attachments/missing", "'{attach}' names no file"),
        (11, "attachments/file", "'{attach}https://example.org/x.png': {attach} takes a "
         "path inside content/2017/, not a URL"),
    ]  # fmt: skip
    assert attachments == []


def test_a_file_over_the_size_limit_is_refused(content):
    (content / "2017" / "images" / "big.png").write_bytes(image_bytes(size=(600, 600)))
    text = "Title: x\n\n[big]({attach}images/big.png)\n"
    path = content / "2017" / "01-x.md"
    path.write_text(text)
    size = (content / "2017" / "images" / "big.png").stat().st_size
    document = Judge(content, {"ATTACHMENTS_MAX_BYTES": 1000}).check_document(
        path, text, 3
    )
    assert [p.as_text() for p in document.problems] == [
        "content/2017/01-x.md:3: error [attachments/type] '{attach}images/big.png': "
        f"content/2017/images/big.png is {size:,} bytes, over the limit of 1,000 "
        "(ATTACHMENTS_MAX_BYTES): resize or compress it"
    ]


def test_symlinks_fifos_and_sockets_anywhere_under_content_are_errors(
    content, tmp_path
):
    (content / "2017" / "images" / "link.png").symlink_to(tmp_path / "secret")
    (content / ".hidden-link").symlink_to("/etc/hostname")
    (content / "2017" / "broken.md").symlink_to(tmp_path / "nowhere")
    os.mkfifo(content / "2017" / "pipe.md")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(content / "pages" / "sock"))
    try:
        files, problems = scan_tree(content)
    finally:
        listener.close()
    tail = (
        "it is never followed or published; only regular files and folders may be there"
    )
    assert [p.as_text() for p in problems] == [
        f"content/.hidden-link: error [attachments/file] a symbolic link in the content folder: {tail}",
        f"content/pages/sock: error [attachments/file] a socket in the content folder: {tail}",
        f"content/2017/broken.md: error [attachments/file] a symbolic link in the content folder: {tail}",
        f"content/2017/pipe.md: error [attachments/file] a named pipe (FIFO) in the content folder: {tail}",
        f"content/2017/images/link.png: error [attachments/file] a symbolic link in the content folder: {tail}",
    ]  # fmt: skip
    assert files == ["2017/images/pic.png"]


def test_files_nobody_references_are_named_in_a_warning(content):
    (content / "2017" / "editor-notes.txt").write_text("do not publish")
    (content / "2017" / ".gitkeep").write_text("")
    (content / "people.toml").write_text("")
    problems, _ = judged(content, "![a pic]({attach}images/pic.png)\n")
    document = Judge(content).check_document(
        content / "2017/01-x.md", (content / "2017/01-x.md").read_text(), 3
    )
    files, _ = scan_tree(content)
    warnings = unreferenced(content, files, [document], [".*", "*.toml"])
    assert [p.as_text() for p in warnings] == [
        "content/2017/editor-notes.txt: warning [attachments/unreferenced] no article "
        "or page references this file, so it is not published (attach it with "
        "{attach}<path>, or remove it)"
    ]


def test_the_copy_checks_again_and_never_writes_outside_the_output(content, tmp_path):
    output = tmp_path / "site"
    output.mkdir()
    assert (
        copy_attachment(
            content, "2017/images/pic.png", output, "2017/12/images/pic.png"
        )
        == ""
    )
    assert (output / "2017/12/images/pic.png").read_bytes() == image_bytes()
    assert copy_attachment(content, "2017/images/pic.png", output, "../escape.png") == (
        "its destination '../escape.png' is outside the output folder"
    )
    assert copy_attachment(content, "2017/images/pic.png", output, "a/../../x.png") == (
        "its destination '../x.png' is outside the output folder"
    )
    (output / "linked").symlink_to(tmp_path / "secret", target_is_directory=True)
    assert copy_attachment(content, "2017/images/pic.png", output, "linked/x.png") == (
        "the output path linked/x.png crosses a link or a file"
    )
    # The file changed after it was judged: the copy looks at the bytes it copies.
    (content / "2017/images/pic.png").write_bytes(b"<script>alert(1)</script>")
    assert copy_attachment(content, "2017/images/pic.png", output, "again.png") == (
        "2017/images/pic.png is not the image it was"
    )
    assert not (output / "again.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "secret", "site"]


def test_image_bytes_are_parsed_not_only_sniffed():
    png = image_bytes("PNG")
    broken = png[:20] + bytes([png[20] ^ 0xFF]) + png[21:]
    assert image_problem(png, "png") == ""
    assert image_problem(broken, "png").startswith("is not a valid PNG image (")


# --- real builds ---------------------------------------------------------------

PUBLISHED = "2017/16-links-everywhere.md"
PUBLISHED_BODY = """\
![A tree]({attach}images/tree.png)

<img src="{attach}images/tree.png" srcset="images/tree-2x.png 2x" alt="A tree">
"""


def _files_from_content(output: Path, content: Path) -> set[str]:
    """Output files (relative) whose bytes are those of a non-source content file."""
    payloads = {
        p.read_bytes()
        for p in content.rglob("*")
        if p.is_file() and not p.is_symlink() and p.suffix not in (".md", ".toml")
    }
    return {
        p.relative_to(output).as_posix()
        for p in output.rglob("*")
        if p.is_file() and p.read_bytes() in payloads
    }


def _dated(title, day, body, **extra):
    return article_text(
        title=title,
        date=f"2017-12-{day}T00:00:00-05:00",
        day=str(day),
        body=body,
        **extra,
    )


def test_only_what_published_articles_reference_reaches_the_output(tmp_path):
    site = SiteFixture(tmp_path)
    images = site.content / "2017" / "images"
    images.mkdir(parents=True)
    for name, color in (
        ("tree", 1),
        ("tree-2x", 2),
        ("later", 3),
        ("draft", 4),
        ("unused", 5),
    ):
        (images / f"{name}.png").write_bytes(image_bytes(size=(color, color)))
    strays = {
        "2017/editor-notes.txt": b"the editor's notes",
        "2017/images/evil.svg": b"<svg onload='alert(1)'/>",
        "2017/script.js": b"alert(1)",
        "2017/style.css": b"body { display: none }",
    }
    for rel, data in strays.items():
        (site.content / rel).write_bytes(data)
    site.write(PUBLISHED, _dated("Links everywhere", 16, PUBLISHED_BODY))
    site.write(
        "2017/20-not-yet.md",
        _dated("Not yet", 20, "![Later]({attach}images/later.png)\n"),
    )
    site.write(
        "2017/21-a-draft.md",
        _dated("A draft", 21, "![Draft]({attach}images/draft.png)\n", status="draft"),
    )  # fmt: skip

    result = site.build(today="2017-12-17")
    assert result.returncode == 0, result.stderr
    assert _files_from_content(site.output, site.content) == {
        "2017/12/images/tree.png",
        "2017/12/images/tree-2x.png",
    }
    page = site.page("2017/12/day-16-links-everywhere.html")
    assert 'src="../../2017/12/images/tree.png"' in page
    assert 'srcset="images/tree-2x.png 2x"' in page
    for rel in ("2017/images/unused.png", *strays):
        assert f"{site.content / rel}: warning [attachments/unreferenced]" in (
            result.stderr
        ), rel
    theme = site.output / "theme"
    assert [p.relative_to(theme).as_posix() for p in site.output.rglob("*.svg")] == [
        "favicon.svg"
    ]
    assert not list(site.output.rglob("*.xhtml"))
    for pattern, theirs in (
        ("*.js", ["theme/js/article.js", "theme/js/search.js", "theme/js/site.js"]),
        ("*.css", ["theme/css/site.css"]),
        ("*.txt", ["robots.txt"]),
    ):
        assert (
            sorted(
                p.relative_to(site.output).as_posix()
                for p in site.output.rglob(pattern)
                if "pagefind" not in p.parts  # the search index's own
            )
            == theirs
        )

    # On its day the scheduled article's image is published; the draft's never.
    result = site.build(today="2017-12-21")
    assert result.returncode == 0, result.stderr
    assert _files_from_content(site.output, site.content) == {
        "2017/12/images/tree.png",
        "2017/12/images/tree-2x.png",
        "2017/12/images/later.png",
    }


HOSTILE = """\
Words first.

[hostname]({attach}../../../../../../../../../../../../etc/hostname)
[canary]({attach}../../secret/canary.txt)
[environ]({attach}../../../../../../../../../../../../proc/self/environ)
[encoded]({attach}%2e%2e/%2e%2e/secret/canary.txt)
[twice]({attach}%252e%252e/%252e%252e/secret/canary.txt)
[old syntax](|attach|../../secret/canary.txt)
[static]({static}../../secret/canary.txt)
[static root]({static}/../secret/canary.txt)
[filename]({filename}../../secret/canary.txt)
[plain](../../secret/canary.txt)
<a href="{attach}../../secret/canary.txt">raw link</a>
<img alt="set" srcset="{attach}../../secret/canary.txt 2x">
<video poster="{attach}../../secret/canary.txt"></video>
[linked]({attach}images/linked.png)
[case]({attach}IMAGES/../../../secret/canary.txt)
[svg]({attach}images/evil.SVG)
[fake]({attach}images/fake.PnG)

![A fine image]({attach}images/fine.png)
"""
HOSTILE_ERRORS = [
    (3, "{attach}../../../../../../../../../../../../etc/hostname"),
    (4, "{attach}../../secret/canary.txt"),
    (5, "{attach}../../../../../../../../../../../../proc/self/environ"),
    (6, "{attach}%2e%2e/%2e%2e/secret/canary.txt"),
    (7, "{attach}%252e%252e/%252e%252e/secret/canary.txt"),
    (8, "|attach|../../secret/canary.txt"),
    (9, "{static}../../secret/canary.txt"),
    (10, "{static}/../secret/canary.txt"),
    (12, "../../secret/canary.txt"),
    (13, "{attach}../../secret/canary.txt"),
    (14, "{attach}../../secret/canary.txt"),
    (15, "{attach}../../secret/canary.txt"),
    (17, "{attach}IMAGES/../../../secret/canary.txt"),
]


def _hostile_site(tmp_path, symlink=True) -> tuple[SiteFixture, str]:
    """The real content plus an article that tries every way out, and a canary
    file outside the repository and the content folder."""
    canary = f"CANARY-FILE-{os.getpid()}-{id(tmp_path)}"
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "canary.txt").write_text(canary, encoding="utf-8")
    site = SiteFixture(tmp_path)
    images = site.content / "2017" / "images"
    images.mkdir(parents=True)
    (images / "fine.png").write_bytes(image_bytes())
    (images / "evil.SVG").write_bytes(b"<svg onload='alert(1)'/>")
    (images / "fake.PnG").write_bytes(
        b"<html><script>alert(1)</script>" + canary.encode()
    )
    if symlink:
        (images / "linked.png").symlink_to(tmp_path / "secret" / "canary.txt")
    site.write("2017/16-hostile.md", _dated("Hostile", 16, HOSTILE))
    return site, canary


def _expected_errors(site: SiteFixture) -> list[str]:
    path = site.content / "2017" / "16-hostile.md"
    folder = f"{site.content / '2017'}/"
    lines = [
        f"{path}:{line + 8}: error [attachments/outside] '{written}' points outside "
        f"{folder}, {OUTSIDE_TAIL}"
        for line, written in HOSTILE_ERRORS
    ]
    lines.insert(
        8,
        f"{path}:19: error [attachments/outside] '{{filename}}../../secret/canary.txt' "
        f"points outside the content folder {site.content}/: {{filename}} links other "
        "articles and pages of the site",
    )
    lines += [
        f"{path}:24: error [attachments/file] '{{attach}}images/linked.png': "
        f"{site.content}/2017/images/linked.png is a symbolic link, which is never "
        "followed or published; commit the file itself",
        f"{path}:26: error [attachments/type] '{{attach}}images/evil.SVG': .svg files "
        f"are never published; {ALLOWED}",
        f"{path}:27: error [attachments/type] '{{attach}}images/fake.PnG': "
        f"{site.content}/2017/images/fake.PnG is not a PNG image (its first bytes "
        "are not those of a PNG)",
    ]
    return sorted(lines)


def _every_byte(output: Path):
    """(relative path, bytes) of every output file, gzip members decompressed
    (Pagefind's index), PNG data inflated (social images)."""
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield path.relative_to(output).as_posix(), data
        if data[:2] == b"\x1f\x8b":
            yield path.name + " (gunzipped)", gzip.decompress(data)
        if data.startswith(b"\x89PNG"):
            inflated = zlib.decompressobj()
            yield (
                path.name + " (inflated)",
                inflated.decompress(data[data.find(b"IDAT") + 4 :]),
            )


def test_a_hostile_article_is_refused_at_every_line(tmp_path):
    site, _ = _hostile_site(tmp_path)
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    found = sorted(
        line for line in result.stderr.splitlines() if "error [attachments/" in line
    )
    assert found == _expected_errors(site)
    # The link itself is the source reader's to refuse.
    assert (
        f"{site.content}/2017/images/linked.png: error [source/read] a symbolic link"
        in result.stderr
    )
    assert not site.output.exists()


def _pipeline(content: Path, output: Path, env=None):
    """The pipeline's build, as `invoke build` runs it, into `output`, kept
    even though the content has errors (`invoke build` would not swap it in),
    then indexed for search."""
    from site_builds import pipeline_build

    from pipeline.search import index_search

    old = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    try:
        result = pipeline_build(
            ROOT / "pelicanconf.py", output, today="2017-12-31", PATH=str(content)
        )
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert result.built, result.problems
    assert index_search(output) == []
    return result


def test_no_canary_reaches_any_output_file_even_when_errors_only_warn(tmp_path):
    """The gate, not only the errors: the pipeline builds a source that has
    errors (so its links are checked too), and still no byte from outside the
    article's folder is in any page, feed, search index or image."""
    site, canary = _hostile_site(tmp_path, symlink=False)
    env_canary = f"CANARY-ENV-{os.getpid()}"
    result = _pipeline(
        site.content, site.output, env={"SYSADVENT_TEST_CANARY": env_canary}
    )
    assert "attachments/outside" in {p.check for p in result.problems}
    assert (site.output / "2017/12/day-16-hostile.html").exists()
    assert (site.output / "pagefind").is_dir()
    assert list((site.output / "feeds").glob("*.xml"))
    checked = 0
    for name, data in _every_byte(site.output):
        checked += 1
        assert canary.encode() not in data, name
        assert env_canary.encode() not in data, name
        assert b"SYSADVENT_TEST_CANARY" not in data, name
    assert checked > 50
    assert _files_from_content(site.output, site.content) == {"2017/12/images/fine.png"}
    hostname = Path("/etc/hostname").read_bytes()
    assert not [name for name, data in _every_byte(site.output) if data == hostname]


def test_static_dotdot_never_writes_outside_the_output_whatever_its_depth(tmp_path):
    """The output sits deeper than the content (as in `invoke check`): a
    {static} path climbing out of the content would climb out of the output."""
    site = SiteFixture(tmp_path / "p" / "q")
    output = tmp_path / "a" / "b" / "c" / "site"
    body = ""
    for depth in range(1, 5):  # content/, q/, p/, tmp_path/: an image at each
        above = (site.content / "2017").joinpath(*[".."] * depth).resolve()
        (above / "x.png").write_bytes(image_bytes())
        body += f"[up {depth}]({{static}}{'../' * depth}x.png)\n"
    site.write("2017/16-up.md", _dated("Up", 16, body))
    before = {p for p in tmp_path.rglob("*") if p.is_file()}

    refused = site.build(today="2017-12-31")
    assert refused.returncode == 1
    assert refused.stderr.count("error [attachments/outside]") == 4
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == before

    _pipeline(site.content, output)
    made = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert made and all(p.is_relative_to(output) for p in made)
    assert not [p for p in made if p.suffix == ".png" and "social" not in p.parts]


def test_an_attachment_never_takes_the_place_of_a_file_the_site_writes(tmp_path):
    """An article outside content/<year>/ would publish {static} files at
    their own path: over another article's social image or a person's
    picture, which the site draws itself. Such an article is refused, and
    the copy never replaces a file already in the (fresh) output."""
    site = SiteFixture(tmp_path)
    people = site.content / "people.toml"
    people.write_text(
        people.read_text(encoding="utf-8").replace(
            'handle = "esigler"\n', 'handle = "esigler"\npicture = "eric.png"\n'
        ),
        encoding="utf-8",
    )
    (site.content / "eric.png").write_bytes(image_bytes(size=(8, 8)))
    assert site.build(today="2017-12-31").returncode == 0
    card = (site.output / "social/2017/day-15.png").read_bytes()
    picture = (site.output / "people/eric-sigler/picture.webp").read_bytes()

    (site.content / "social/2017").mkdir(parents=True)
    (site.content / "social/2017/day-15.png").write_bytes(image_bytes(size=(40, 21)))
    site.write(
        "social/2017/16-card.md", _dated("Card", 16, "[a card]({static}day-15.png)\n")
    )
    (site.content / "people/eric-sigler").mkdir(parents=True)
    (site.content / "people/eric-sigler/picture.webp").write_bytes(image_bytes("WEBP"))
    site.write(
        "people/eric-sigler/17-face.md",
        _dated("Face", 17, "[a face]({static}picture.webp)\n"),
    )
    result = site.build(today="2017-12-31")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert sorted(
        line for line in result.stderr.splitlines() if ": error [" in line
    ) == [
        f"{site.content}/{rel}:1: error [advent/metadata] an article lives in its "
        f"season's folder: move {rel} to <year>/<DD>-<slug>.md (pages go in pages/)"
        for rel in ("people/eric-sigler/17-face.md", "social/2017/16-card.md")
    ]
    # Even when the build goes on (the pipeline with errors as they are).
    _pipeline(site.content, tmp_path / "again")
    assert (tmp_path / "again/social/2017/day-15.png").read_bytes() == card
    assert (tmp_path / "again/people/eric-sigler/picture.webp").read_bytes() == (
        picture
    )
    # The copy itself: a file already in the output is the site's own.
    assert (
        copy_attachment(
            site.content,
            "social/2017/day-15.png",
            tmp_path / "again",
            "social/2017/day-15.png",
        )
        == "the site writes social/2017/day-15.png itself"
    )
    assert (tmp_path / "again/social/2017/day-15.png").read_bytes() == card
