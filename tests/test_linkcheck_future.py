"""`invoke check`: a link to an article that is not out on the linking
article's day (it opens later, or it is a draft) is an error at its
Markdown line, however the link is written."""

from __future__ import annotations

from conftest import article_text
from test_new import invoke

GUID = "6f1c2a8e-0d3b-4f5e-9a7c-1b2d3e4f5a6b"


def check(site):
    return invoke("check", "--content", str(site.content))


def problems(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line]


def test_a_filename_link_to_an_article_that_opens_later_is_an_error_at_its_line(
    site,
):
    site.write(
        "2017/16-earlier.md",
        article_text(
            title="Earlier",
            date="2017-12-16T00:00:00-05:00",
            day="16",
            guid=GUID,
            body="Read [the next one]({filename}17-later.md) tomorrow.\n",
        ),
    )
    site.write(
        "2017/17-later.md",
        article_text(
            title="Later",
            date="2017-12-17T00:00:00-05:00",
            day="17",
            guid="7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d",
        ),
    )
    result = check(site)
    assert result.returncode == 1
    [only] = problems(result)
    assert only.startswith(f"{site.content / '2017/16-earlier.md'}:10:"), only
    assert "opens on 2017-12-17, after this article (2017-12-16)" in only


def test_a_filename_link_to_a_draft_is_an_error_at_its_line(site):
    site.write(
        "2017/17-draft.md",
        article_text(
            title="Draft",
            date="2017-12-17T00:00:00-05:00",
            day="17",
            status="draft",
            guid="7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d",
        ),
    )
    linking = site.write(
        "2017/16-linking.md",
        article_text(
            title="Linking",
            date="2017-12-16T00:00:00-05:00",
            day="16",
            guid=GUID,
            body="See [the draft]({filename}17-draft.md).\n\n"
            "Pelican's syntax is `[x]({filename}17-draft.md)`.\n",
        ),
    )
    result = check(site)
    assert result.returncode == 1
    assert problems(result) == [
        f"{linking}:10: error [linkcheck/internal] '{{filename}}17-draft.md' links "
        "to a draft, which is not published (the link would lead to the home "
        "page): link it once it is out, or remove the link"
    ]


def test_a_link_to_an_article_left_out_for_its_errors_says_so(site):
    broken = site.write(
        "2017/17-broken.md",
        article_text(
            title="",
            date="2017-12-17T00:00:00-05:00",
            day="17",
            guid="7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d",
        ),
    )
    linking = site.write(
        "2017/18-linking.md",
        article_text(
            title="Linking",
            date="2017-12-18T00:00:00-05:00",
            day="18",
            guid=GUID,
            body="See [the other]({filename}17-broken.md).\n",
        ),
    )
    result = check(site)
    assert result.returncode == 1
    assert problems(result) == [
        f"{broken}:1: error [advent/metadata] field 'title' is empty",
        f"{linking}:10:17: error [linkcheck/internal] a href '{{filename}}17-broken.md': "
        "17-broken.md is not built because of its own errors (reported at that "
        "file); the link works once they are fixed",
    ]
