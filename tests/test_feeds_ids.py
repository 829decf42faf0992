"""Entry ids never change: not on a rename, a reschedule, a new title, slug or
domain; a missing Guid falls back loudly; a shared or invalid one fails."""

from __future__ import annotations

import re

import pytest
from test_feeds_build import entry_ids, feed_files, load_json_feed, parse_xml

CAROL = "2017/15-a-devops-christmas-carol.md"


def read(site, relpath) -> str:
    return (site.content / relpath).read_text(encoding="utf-8")


def set_field(text: str, name: str, value: str | None) -> str:
    """`text` with its header field `name` set to `value` (None: removed)."""
    line = "" if value is None else f"{name}: {value}\n"
    return re.sub(rf"^{name}: .*\n", line, text, count=1, flags=re.M)


def reschedule_and_rename(site, old, new, day, title, slug):
    """What an editor does: move the article to another day, retitle it,
    give it a new slug and a new file name."""
    text = read(site, old)
    text = set_field(text, "Date", f"2017-12-{day:02d}T00:00:00-05:00")
    text = set_field(text, "Day", str(day))
    text = set_field(text, "Title", title)
    text = set_field(text, "Slug", slug)
    (site.content / old).unlink()
    site.write(new, text)


def build(site, **kwargs):
    result = site.build(**kwargs)
    assert result.returncode == 0, result.stderr
    return result


def test_rename_and_reschedule_keep_every_id(site):
    guid = re.search(r"^Guid: (\S+)$", read(site, CAROL), re.M).group(1)
    build(site, today="2017-12-31")
    before = entry_ids(site.output)
    season_before = entry_ids(site.output, "2017.atom.xml")
    assert before[f"urn:uuid:{guid}"].endswith("/day-15-a-devops-christmas-carol.html")

    reschedule_and_rename(
        site, CAROL, "2017/17-carol-revisited.md", 17, "The Carol, revisited", "carol"
    )
    build(site, today="2017-12-31")
    after = entry_ids(site.output)
    # Same ids, so a reader shows nothing twice; only the link moved.
    assert set(after) == set(before) and len(after) == 7
    assert after[f"urn:uuid:{guid}"].endswith("/2017/12/day-17-carol.html")
    assert set(entry_ids(site.output, "2017.atom.xml")) == set(season_before)
    parsed = parse_xml(site.output / "feeds/all.atom.xml")
    assert parsed.entries[0].id == f"urn:uuid:{guid}"  # now the newest
    assert parsed.entries[0].title == "Day 17: The Carol, revisited"
    doc = load_json_feed(site.output / "feeds/people/emily-freeman.json")
    assert [i["id"] for i in doc["items"]] == [f"urn:uuid:{guid}"]


def test_a_new_domain_keeps_every_id(site, monkeypatch):
    monkeypatch.setenv("SYSADVENT_SITEURL", "https://old.example")
    build(site, today="2017-12-31", settings="publishconf.py")
    old = {n: p.read_text(encoding="utf-8") for n, p in feed_files(site.output).items()}
    old_ids = entry_ids(site.output)
    monkeypatch.setenv("SYSADVENT_SITEURL", "https://new.example/sysadvent")
    build(site, today="2017-12-31", settings="publishconf.py")
    assert set(entry_ids(site.output)) == set(old_ids)
    parsed = parse_xml(site.output / "feeds/all.atom.xml")
    assert parsed.feed.id == "tag:sysadvent.blogspot.com,2008:feeds/all"
    assert all(
        e.link.startswith("https://new.example/sysadvent/2017/") for e in parsed.entries
    )
    assert "https://old.example" in old["all.atom.xml"]
    assert "old.example" not in (site.output / "feeds/all.atom.xml").read_text()


def test_missing_guid_falls_back_loudly_and_the_suggested_line_freezes_the_id(site):
    text = read(site, CAROL)
    site.write(CAROL, set_field(text, "Guid", None))
    result = build(site, today="2017-12-31")
    # The warning is wrapped by the log handler: search without whitespace.
    log = result.stdout + result.stderr
    flat = re.sub(r"\s+", "", log)
    assert "[feeds/guid]no'Guid:'field" in flat, log
    suggested = re.search(r"add'Guid:([0-9a-f-]{36})'", flat).group(1)
    fallback_id = f"urn:uuid:{suggested}"
    assert fallback_id in entry_ids(site.output)

    # The fallback survives a reschedule that keeps the file name...
    text = read(site, CAROL).replace("Date: 2017-12-15", "Date: 2017-12-18")
    site.write(CAROL, text.replace("Day: 15", "Day: 18"))
    build(site, today="2017-12-31")
    assert fallback_id in entry_ids(site.output)

    # ...and adding the suggested line keeps it across a rename too.
    site.write(CAROL, read(site, CAROL).replace("\n\n", f"\nGuid: {suggested}\n\n", 1))
    reschedule_and_rename(site, CAROL, "2017/19-carol.md", 19, "Carol", "carol")
    result = build(site, today="2017-12-31")
    assert "feeds/guid" not in result.stdout + result.stderr
    assert entry_ids(site.output)[fallback_id].endswith("/day-19-carol.html")


def test_shared_or_invalid_guid_fails_the_build_at_the_source_line(site):
    site.output.mkdir()
    (site.output / "last-good.txt").write_text("kept")
    carol = read(site, CAROL)
    copy = carol.replace("Date: 2017-12-15", "Date: 2017-12-16").replace(
        "Day: 15", "Day: 16"
    )
    # Only the guid is shared here (a shared alias is an error of its own).
    copy = "\n".join(
        line for line in copy.split("\n") if not line.startswith("Aliases:")
    )
    site.write("2017/16-copy-of-the-carol.md", copy)
    kube = next(site.content.glob("2017/09-*.md"))
    kube.write_text(set_field(kube.read_text(), "Guid", "day nine"))
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    guid_line = 1 + next(
        n for n, line in enumerate(carol.splitlines()) if line.startswith("Guid:")
    )
    assert re.search(
        rf"16-copy-of-the-carol\.md:{guid_line}: error \[feeds/guid\] guid urn:uuid:\S+ "
        r"is also used by \S*15-a-devops-christmas-carol\.md",
        result.stderr,
    ), result.stderr
    assert (
        f"15-a-devops-christmas-carol.md:{guid_line}: error [feeds/guid]"
        in result.stderr
    )
    assert "09-using-kubernetes" in result.stderr
    assert "'day nine' is neither a UUID nor an absolute URI" in result.stderr
    assert (site.output / "last-good.txt").read_text() == "kept"


def test_every_real_article_has_its_own_guid():
    from conftest import CONTENT

    from plugins.core.source import parse_header
    from plugins.feeds.ids import parse_guid

    guids = [
        parse_header(p.read_text(encoding="utf-8")).value("guid")
        for p in sorted(CONTENT.glob("20*/*.md"))
    ]
    assert all(guids), "every article needs a Guid: line"
    assert len({parse_guid(g) for g in guids}) == len(guids)


def test_invoke_new_writes_a_fresh_guid():
    from pipeline.newpost import article_text as new_article
    from plugins.core.source import parse_header
    from plugins.feeds.ids import parse_guid

    args = ("T", "2017-12-01T00:00:00-05:00", 1, "eric-sigler", None, None)
    first, second = (parse_header(new_article(*args)).value("guid") for _ in "ab")
    assert parse_guid(first).startswith("urn:uuid:") and first != second


@pytest.mark.parametrize(
    "guid", ["javascript:alert(1)", "JavaScript:x", "vbscript:x", "data:text/html,x"]
)
def test_a_guid_is_never_a_script_url(guid):
    """Some readers link an entry's id when it looks like a URL."""
    from plugins.feeds.ids import parse_guid

    with pytest.raises(ValueError, match="is a script or data URL"):
        parse_guid(guid)
    assert parse_guid("tag:blogger.com,1999:blog-1.post-2").startswith("tag:")
