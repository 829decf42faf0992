"""A broken people.toml is reported at its own line, once: it never crashes
the build and never turns into errors on every article that names someone."""

from __future__ import annotations

from conftest import article_text
from test_new import invoke


def check(site):
    return invoke("check", "--content", str(site.content))


def add_person(site, entry: str) -> None:
    people = site.content / "people.toml"
    people.write_text(people.read_text(encoding="utf-8") + "\n" + entry, "utf-8")


def write_article(site):
    site.write(
        "2017/01-new.md",
        article_text(authors="new-person", body="Words.\n"),
    )


def test_a_person_without_name_or_handle_is_one_error_not_a_crash(site):
    add_person(site, '[new-person]\nbio = "Writes things."\n')
    write_article(site)
    result = check(site)
    assert result.returncode == 1
    people = site.content / "people.toml"
    lines = result.stdout.splitlines()
    assert [line for line in lines if "error" in line] == [
        f"{people}:{_line_of(people, '[new-person]')}: error [advent/people] "
        "new-person: needs a name or a handle"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_a_name_without_a_word_still_builds(site):
    add_person(site, '[new-person]\nname = "@"\n')
    write_article(site)
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stdout + result.stderr
    page = site.page("2017/12/day-1-a-test-article.html")
    assert 'aria-hidden="true">NP<' in page  # initials from the key


def _line_of(path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(text) + 1


def error_lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error [" in line]


def test_a_registry_that_does_not_parse_is_one_error_not_one_per_article(site):
    add_person(site, '[new-person]\nname = "New Person\n')
    write_article(site)
    result = check(site)
    assert result.returncode == 1
    people = site.content / "people.toml"
    [only] = error_lines(result)
    line = _line_of(people, 'name = "New Person')
    assert only.startswith(f"{people}:{line}: error [advent/people] invalid TOML: ")
    assert "Traceback" not in result.stdout + result.stderr


def test_a_registry_that_is_not_utf8_is_reported_once(site):
    people = site.content / "people.toml"
    people.write_bytes(people.read_bytes() + b'\n[new-person]\nname = "Jos\xe9"\n')
    write_article(site)
    result = check(site)
    assert result.returncode == 1
    [only] = error_lines(result)
    assert only.startswith(f"{people}:{_line_of_bytes(people, b'Jos')}: error [")
    assert "UTF-8" in only


def _line_of_bytes(path, text: bytes) -> int:
    lines = path.read_bytes().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_a_missing_registry_is_one_error_that_says_what_to_write(site):
    people = site.content / "people.toml"
    people.unlink()
    result = check(site)
    assert result.returncode == 1
    assert error_lines(result) == [
        f"{people}: error [advent/people] people registry not found: create it "
        'with a table for every author and editor, e.g. [jane-doe] then name = "Jane Doe"'
    ]
