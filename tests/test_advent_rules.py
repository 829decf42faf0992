"""Each metadata rule, fed a bad article, gives the exact path:line: message."""

from pathlib import Path

import pytest
from conftest import CONTENT, article_text

from plugins.advent.people import load_registry
from plugins.advent.rules import check_article, check_sources

TZ = "America/New_York"


@pytest.fixture(scope="module")
def registry():
    registry, problems = load_registry(CONTENT / "people.toml")
    assert problems == []
    return registry


def check(text, registry, path="content/2017/01-test.md"):
    _, problems = check_article(path, text, registry, timezone=TZ)
    return [p.as_text() for p in problems]


def test_a_valid_article_has_no_problem(registry):
    assert check(article_text(), registry) == []


def test_every_seed_article_is_valid(registry):
    paths = sorted(CONTENT.glob("2017/*.md"))
    assert len(paths) == 7
    sources, problems = check_sources(paths, registry, timezone=TZ)
    assert problems == []
    assert sorted(s.day for s in sources) == list(range(9, 16))


@pytest.mark.parametrize(
    "field,line",
    [
        ("title", 6),
        ("date", 6),
        ("day", 6),
        ("authors", 6),
        ("editors", 6),
        ("tags", 6),
        ("summary", 6),
    ],
)
def test_a_missing_field_is_reported_at_the_end_of_the_header(registry, field, line):
    text = article_text(**{field: None})
    assert check(text, registry) == [
        f"content/2017/01-test.md:{line}: error [advent/metadata] "
        f"missing required field '{field}'"
    ]


def test_an_empty_field_is_reported_at_its_line(registry):
    assert check(article_text(summary=""), registry) == [
        "content/2017/01-test.md:7: error [advent/metadata] field 'summary' is empty"
    ]


def test_a_title_with_a_day_prefix_is_refused(registry):
    assert check(article_text(title="Day 1 - Hello"), registry) == [
        "content/2017/01-test.md:1: error [advent/metadata] "
        "title must not start with 'Day N -'; the day goes in 'Day:'"
    ]


def test_a_date_without_time_is_refused(registry):
    assert check(article_text(date="2017-12-01"), registry) == [
        "content/2017/01-test.md:2: error [advent/metadata] invalid date "
        "'2017-12-01': expected YYYY-MM-DDTHH:MM[:SS][±HH:MM]"
    ]


def test_a_date_in_another_time_zone_is_refused(registry):
    assert check(article_text(date="2017-12-01T00:00:00+01:00"), registry) == [
        "content/2017/01-test.md:2: error [advent/metadata] invalid date "
        "'2017-12-01T00:00:00+01:00': offset +0100 is not the site's time zone "
        "(America/New_York, -0500 on that date)"
    ]


def test_a_date_without_offset_takes_the_site_time_zone(registry):
    source, problems = check_article(
        "content/2017/01-test.md",
        article_text(date="2017-12-01 00:00"),
        registry,
        timezone=TZ,
    )
    assert problems == []
    assert source.date.isoformat() == "2017-12-01T00:00:00-05:00"


def test_a_date_outside_december_is_refused(registry):
    assert check(article_text(date="2017-11-20T00:00:00-05:00"), registry) == [
        "content/2017/01-test.md:2: error [advent/metadata] "
        "date 2017-11-20 is not in December"
    ]


def test_the_date_must_match_the_day(registry):
    assert check(article_text(day="2"), registry) == [
        "content/2017/01-test.md:2: error [advent/metadata] "
        "date 2017-12-01 is December 1 but the day is 2"
    ]


@pytest.mark.parametrize(
    "day,message",
    [
        ("26", "day 26 is outside 1..25"),
        ("0", "day 0 is outside 1..25"),
        ("one", "day must be a whole number, not 'one'"),
    ],
)
def test_the_day_is_within_the_season(registry, day, message):
    problems = check(article_text(day=day, date="2017-12-25T00:00:00-05:00"), registry)
    assert f"content/2017/01-test.md:3: error [advent/metadata] {message}" in problems


def test_the_last_day_is_a_setting(registry):
    text = article_text(day="24", date="2017-12-24T00:00:00-05:00")
    _, problems = check_article("2017/a.md", text, registry, timezone=TZ, last_day=23)
    assert [p.message for p in problems] == ["day 24 is outside 1..23"]


def test_the_date_year_must_match_the_folder(registry):
    text = article_text(date="2018-12-01T00:00:00-05:00")
    assert check(text, registry) == [
        "content/2017/01-test.md:2: error [advent/metadata] "
        "date is in 2018 but the file is in the 2017 folder"
    ]


def test_an_unknown_author_suggests_the_closest_key(registry):
    assert check(article_text(authors="eric-sigle"), registry) == [
        "content/2017/01-test.md:4: error [advent/metadata] unknown author "
        "'eric-sigle'; did you mean 'eric-sigler'? (people are listed in "
        f"{registry.path})"
    ]


def test_an_unknown_editor_without_close_match(registry):
    problems = check(article_text(editors="eric-sigler, zzzzzz"), registry)
    assert problems == [
        "content/2017/01-test.md:5: error [advent/metadata] unknown editor "
        f"'zzzzzz' (people are listed in {registry.path})"
    ]


def test_several_authors_and_editors_are_allowed(registry):
    text = article_text(
        authors="eric-sigler, emily-freeman", editors="bmarsteau, corey-quinn"
    )
    source, problems = check_article(
        "content/2017/01-test.md", text, registry, timezone=TZ
    )
    assert problems == []
    assert source.authors == ["eric-sigler", "emily-freeman"]
    assert source.editors == ["bmarsteau", "corey-quinn"]


def test_an_unknown_field_suggests_a_known_one(registry):
    problems = check(article_text(editor="corey-quinn"), registry)
    assert problems == [
        "content/2017/01-test.md:8: error [advent/metadata] "
        "unknown field 'editor'; did you mean 'editors'?"
    ]


def test_all_problems_of_an_article_are_reported_together(registry):
    text = article_text(day="30", authors="nobody-at-all", tags=None)
    problems = check(text, registry)
    assert len(problems) == 3, problems


def test_a_duplicate_day_names_both_files(registry, tmp_path):
    folder = tmp_path / "2017"
    folder.mkdir()
    first = folder / "01-first.md"
    second = folder / "01-second.md"
    first.write_text(article_text(title="First"))
    second.write_text(article_text(title="Second"))
    _, problems = check_sources([first, second], registry, timezone=TZ)
    assert [(Path(p.path).name, p.line, p.message) for p in problems] == [
        ("01-first.md", 3, f"day 1 of 2017 is taken twice: also by {second}"),
        ("01-second.md", 3, f"day 1 of 2017 is taken twice: also by {first}"),
    ]


def test_a_bad_status_is_refused(registry):
    assert check(article_text(status="pending"), registry) == [
        "content/2017/01-test.md:8: error [advent/metadata] "
        "status must be one of published, draft, not 'pending'"
    ]


def test_a_file_without_header_is_refused(registry):
    assert check("Just some text\n", registry) == [
        "content/2017/01-test.md:1: error [advent/metadata] "
        "no metadata header (Title:, Date:, Day:, ... lines at the top)"
    ]


def test_a_person_known_only_by_handle_is_valid(registry):
    assert registry["bmarsteau"].display_name == "@bmarsteau"
    assert registry["bmarsteau"].name == ""


def test_registry_problems_point_at_their_line(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text(
        '[ok]\nname = "Ok"\n\n["Bad Key"]\nname = "x"\n\n[nobody]\nbio = "?"\n'
    )
    _, problems = load_registry(path)
    assert [(p.line, p.message) for p in problems] == [
        (4, "key 'Bad Key' must be lowercase letters, digits, '-' or '_'"),
        (7, "nobody: needs a name or a handle"),
    ]


def test_registry_syntax_error_points_at_its_line(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text('[ok]\nname = "Ok"\nhandle = \n')
    _, problems = load_registry(path)
    assert len(problems) == 1
    assert problems[0].line == 3
    assert problems[0].message.startswith("invalid TOML")


@pytest.mark.parametrize(
    "authors, hint",
    [
        ("eric-sigler; corey-quinn", "; separate people with commas"),
        ("Corey Quinn", "; did you mean 'corey-quinn'? (the key of Corey Quinn)"),
        ("@quinnypig", "; did you mean 'corey-quinn'? (the key of Corey Quinn)"),
        ("QuinnyPig", "; did you mean 'corey-quinn'? (the key of Corey Quinn)"),
    ],
)
def test_an_unknown_person_key_gets_the_hint_that_fits(registry, authors, hint):
    [problem] = check(article_text(authors=authors), registry)
    assert f"unknown author {authors!r}{hint}" in problem
