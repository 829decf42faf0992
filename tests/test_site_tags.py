"""Tag pages: every tag an author writes gets the page of its own name."""

from __future__ import annotations

from pathlib import Path

from pelican.urlwrappers import Tag

from pipeline.settings import load_settings
from plugins.advent.rules import TAG_SLUG_SUBSTITUTIONS, tag_problem

ROOT = Path(__file__).resolve().parent.parent


def _settings():
    return load_settings(str(ROOT / "pelicanconf.py"), str(ROOT / "content"))


def test_c_cplusplus_and_csharp_are_three_tag_pages():
    # Pelican's default slug drops the signs: all three were tags/c/, so
    # a C# article was listed under C.
    slugs = {name: Tag(name, _settings()).slug for name in ("C", "C++", "C#", "F#")}
    assert slugs == {"C": "c", "C++": "cplusplus", "C#": "csharp", "F#": "fsharp"}


def test_signs_elsewhere_in_a_tag_are_dropped_as_before():
    settings = _settings()
    cases = {
        "#devops": "devops",
        "Site Reliability": "site-reliability",
        "CI/CD": "cicd",
        "+1": "1",
        "Notepad++": "notepadplusplus",
    }
    assert {name: Tag(name, settings).slug for name in cases} == cases


def test_the_header_check_slugs_tags_as_the_site_does():
    assert _settings()["TAG_REGEX_SUBSTITUTIONS"] == TAG_SLUG_SUBSTITUTIONS
    assert tag_problem("C#") == ""
    assert "no letters or digits" in tag_problem("#")
