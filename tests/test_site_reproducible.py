"""The same content gives the same site, byte for byte: a publish of
unchanged content changes nothing on the target."""

from __future__ import annotations

import re

from conftest import CONTENT
from site_builds import build_as_of

from plugins.core.source import parse_header


def tree(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_production_builds_of_the_same_content_are_identical(tmp_path):
    # Separate processes, seconds apart: nothing may come from the clock,
    # the process or the output folder's path.
    first = tree(build_as_of(tmp_path / "one" / "output", "2017-12-31", publish=True))
    second = tree(build_as_of(tmp_path / "two" / "site", "2017-12-31", publish=True))
    assert sorted(first) == sorted(second)
    assert len(first) > 100
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    # The sitemap's dates are the articles' dates, never the build's time.
    dates = {
        parse_header(p.read_text(encoding="utf-8")).value("date")
        for p in CONTENT.glob("20*/*.md")
    }
    sitemap = first["sitemap.xml"].decode()
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert lastmods and lastmods <= dates, lastmods - dates
