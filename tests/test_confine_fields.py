"""No header field steers where a file is written: Save_as, URL, Template,
slugs with '/' or '..', slugs that come out empty or too long, tags without
a URL, in articles and in pages."""

from __future__ import annotations

import pytest
from conftest import CONTENT, SiteFixture, article_text

from plugins.advent.people import load_registry
from plugins.advent.rules import check_article, check_page
from plugins.contentrules.rules import check_text

TZ = "America/New_York"
PATH = "content/2017/01-test.md"
PAGE = "content/pages/p.md"


@pytest.fixture(scope="module")
def registry():
    found, problems = load_registry(CONTENT / "people.toml")
    assert problems == []
    return found


def article_problems(registry, **fields):
    _, problems = check_article(PATH, article_text(**fields), registry, timezone=TZ)
    return [p.as_text() for p in problems]


ARTICLE_STEERING = (
    "is not allowed: the site decides where each article is written "
    "(<year>/12/day-<N>-<slug>.html) and with which template; remove it"
)


@pytest.mark.parametrize(
    "field,value",
    [
        ("save_as", "index.html"),
        ("save_as", "theme/js/article.js"),
        ("url", "../../../elsewhere.html"),
        ("template", "../../../../etc/passwd"),
        ("lang_save_as", "x.html"),
        ("path", "/etc"),
    ],
)
def test_fields_that_steer_the_output_are_refused_at_their_line(registry, field, value):
    assert article_problems(registry, **{field: value}) == [
        f"{PATH}:8: error [advent/metadata] field '{field}' {ARTICLE_STEERING}"
    ]


CONTENT_SLUG = (
    "must be lowercase letters and digits joined by '-' (or '.', '_'): it becomes "
    "the page's URL"
)


@pytest.mark.parametrize(
    "slug", ["../../theme/js/article", "a/b", "..", "🎄", "Upper-Case", "a--b", ""]
)
def test_a_slug_that_cannot_name_a_file_is_reported_and_kept_out_of_paths(
    registry, slug
):
    """The content rules name the bad characters (contentrules/slug); the
    sanitizer makes such a slug plain, and without it the metadata rules keep
    the article out of the Pelican run."""
    source, problems = check_article(
        PATH, article_text(slug=slug or None, title="🎄" if not slug else "T"),
        registry, timezone=TZ,
    )  # fmt: skip
    steers = slug in ("../../theme/js/article", "a/b", "..", "")
    assert (source.slug_unsafe if slug else source.unsafe) == steers
    if slug:
        assert problems == []
        assert [
            (p.line, p.check, p.message)
            for p in check_text(PATH, article_text(slug=slug))
            if p.check == "contentrules/slug"
        ] == [(8, "contentrules/slug", f"slug {slug!r} {CONTENT_SLUG}")]


def test_a_slug_of_safe_characters_may_still_be_too_long(registry):
    assert article_problems(registry, slug="x" * 81) == [
        f"{PATH}:8: error [advent/metadata] slug is 81 characters long, over 80 (it "
        "names the article's file): shorten it"
    ]
    assert article_problems(registry, slug="v1.2_notes") == []


def test_a_title_must_make_a_slug_when_there_is_no_slug_field(registry):
    assert article_problems(registry, title="🎄🎅✨") == [
        f"{PATH}:1: error [advent/metadata] the title has no letters or digits to "
        "make the article's file name from: add a 'Slug:' field (lowercase words "
        "joined by '-')"
    ]
    long_title = " ".join(["kubernetes"] * 30)  # "File name too long" on ext4
    assert article_problems(registry, title=long_title) == [
        f"{PATH}:1: error [advent/metadata] the title makes a slug of 329 "
        "characters, over 80: add a shorter 'Slug:' field"
    ]
    assert article_problems(registry, title=long_title, slug="kubernetes") == []


def test_every_tag_needs_a_url_of_its_own(registry):
    assert article_problems(registry, tags="ops, 🎄, " + "t" * 81) == [
        f"{PATH}:6: error [advent/metadata] tag '🎄' has no letters or digits for "
        "the URL of its page (tags/<slug>/): use words",
        f"{PATH}:6: error [advent/metadata] tag '{'t' * 81}' is 81 characters long "
        "as a URL, over 80",
    ]


def test_lang_modified_and_day_are_what_they_claim(registry):
    assert article_problems(registry, lang="../../x", modified="yesterday") == [
        f"{PATH}:8: error [advent/metadata] lang '../../x' is not a language tag "
        "such as 'en' or 'pt-BR'",
        f"{PATH}:9: error [advent/metadata] invalid date 'yesterday': expected "
        "YYYY-MM-DDTHH:MM[:SS][±HH:MM]",
    ]
    # Superscript digits pass str.isdigit() but not int().
    assert article_problems(registry, day="¹") == [
        f"{PATH}:3: error [advent/metadata] day must be a whole number, not '¹'"
    ]


def page(**fields) -> str:
    fields = {"Title": "About", **fields}
    return (
        "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None) + "\nHi.\n"
    )


def page_problems(text, reserved=None):
    kwargs = {"reserved": reserved} if reserved is not None else {}
    return [p.as_text() for p in check_page(PAGE, text, timezone=TZ, **kwargs)]


PAGE_STEERING = (
    "is not allowed: the site decides where each page is written "
    "(<slug>/index.html) and with which template; remove it"
)
TAKEN = "which the site uses for its own pages: choose another 'Slug:'"


def test_a_page_header_cannot_overwrite_the_home_page_or_the_themes_script():
    assert page_problems(page(Save_as="index.html")) == [
        f"{PAGE}:2: error [advent/metadata] field 'save_as' {PAGE_STEERING}"
    ]
    assert page_problems(page(Save_as="theme/js/article.js", URL="x")) == [
        f"{PAGE}:2: error [advent/metadata] field 'save_as' {PAGE_STEERING}",
        f"{PAGE}:3: error [advent/metadata] field 'url' {PAGE_STEERING}",
    ]
    assert page_problems(page(Template="index")) == [
        f"{PAGE}:2: error [advent/metadata] field 'template' {PAGE_STEERING}"
    ]
    # An empty slug would write /index.html: the home page.
    assert page_problems(page(Title="🎄")) == [
        f"{PAGE}:1: error [advent/metadata] the title has no letters or digits to "
        "make the page's file name from: add a 'Slug:' field (lowercase words "
        "joined by '-')"
    ]


@pytest.mark.parametrize(
    "fields,line,message",
    [
        ({"Slug": "tags"}, 2, f"the page would be written at tags/, {TAKEN}"),
        ({"Slug": "theme"}, 2, f"the page would be written at theme/, {TAKEN}"),
        ({"Slug": "2017"}, 2, f"the page would be written at 2017/, {TAKEN}"),
        ({"Title": "Search"}, 1, f"the page would be written at search/, {TAKEN}"),
        ({"Slug": "x" * 81}, 2, "slug is 81 characters long, over 80 (it names "
         "the page's file): shorten it"),
        ({"Status": "secret"}, 2, "status must be one of published, hidden, draft, "
         "not 'secret'"),
        ({"Author": "x"}, 2, "unknown field 'author' for a page"),
        ({"Title": None, "Slug": "x"}, 1, "a page needs a 'Title:'"),
    ],
)  # fmt: skip
def test_page_fields_and_slugs(fields, line, message):
    assert page_problems(page(**fields)) == [
        f"{PAGE}:{line}: error [advent/metadata] {message}"
    ]


def test_the_real_pages_pass():
    for path in sorted((CONTENT / "pages").glob("*.md")):
        assert check_page(str(path), path.read_text(encoding="utf-8")) == []


def test_a_build_refuses_steering_headers_and_keeps_the_last_good_site(tmp_path):
    site = SiteFixture(tmp_path)
    assert site.build(today="2017-12-31").returncode == 0
    home = site.page("index.html")
    script = (site.output / "theme/js/article.js").read_bytes()

    site.write("pages/evil.md", page(Title="Evil", Save_as="index.html"))
    site.write("pages/worse.md", page(Title="Worse", Save_as="theme/js/article.js"))
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error [" in line]
    assert errors == [
        f"{site.content}/pages/evil.md:2: error [advent/metadata] field 'save_as' "
        f"{PAGE_STEERING}",
        f"{site.content}/pages/worse.md:2: error [advent/metadata] field 'save_as' "
        f"{PAGE_STEERING}",
    ]
    assert site.page("index.html") == home
    assert (site.output / "theme/js/article.js").read_bytes() == script

    (site.content / "pages/evil.md").unlink()
    (site.content / "pages/worse.md").unlink()
    site.write(
        "2017/16-up.md",
        article_text(
            title="Up",
            date="2017-12-16T00:00:00-05:00",
            day="16",
            slug="../../../../escaped",
        ),
    )
    site.write(
        "2017/17-long.md",
        article_text(title="word " * 60, date="2017-12-17T00:00:00-05:00", day="17"),
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if ": error [" in line] == [
        f"{site.content}/2017/16-up.md:8: error [contentrules/slug] slug "
        f"'../../../../escaped' {CONTENT_SLUG}",
        f"{site.content}/2017/17-long.md:1: error [advent/metadata] the title makes "
        "a slug of 299 characters, over 80: add a shorter 'Slug:' field",
    ]
    assert not (tmp_path / "escaped.html").exists()
    assert site.page("index.html") == home


def test_lang_never_moves_a_file_and_two_pages_never_share_a_folder(tmp_path):
    """Pelican writes a text in another language at {slug}-{lang}.html (the
    site's root), and makes a page in another language with a taken slug a
    "translation" at pages/{slug}-{lang}.html; two pages with one slug
    stopped the build with no file named."""
    site = SiteFixture(tmp_path)
    site.write(
        "2017/16-fr.md",
        article_text(
            title="En français",
            date="2017-12-16T00:00:00-05:00",
            day="16",
            slug="index",
            lang="fr",
        ),
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    assert (site.output / "2017/12/day-16-index.html").is_file()
    assert not list(site.output.glob("index-*.html"))

    french = site.write("pages/a-propos.md", page(Slug="about", Lang="fr"))
    twin = site.write("pages/twin.md", page(Title="About"))
    result = site.build(today="2017-12-31")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    about = site.content / "pages/about.md"
    assert [line for line in result.stderr.splitlines() if ": error [" in line] == [
        f"{path}:{line}: error [advent/metadata] the page would be written at "
        f"about/, as {others} is: choose another 'Slug:'"
        for path, line, others in (
            (french, 2, f"{about}, {twin}"),
            (about, 2, f"{french}, {twin}"),
            (twin, 1, f"{french}, {about}"),
        )
    ]
