"""Header mistakes an author makes are each reported once, at their line, by
the check that owns them: never a crash of the build, never a cascade of
follow-on problems that send the author after the wrong thing."""

from __future__ import annotations

import pytest
from conftest import article_text
from test_new import invoke

GUID = "6f1c2a8e-0d3b-4f5e-9a7c-1b2d3e4f5a6b"


def check(site):
    result = invoke("check", "--content", str(site.content))
    assert "Traceback" not in result.stdout + result.stderr
    return result


def problems(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("status", ["hidden", "review", "Pending"])
def test_an_unknown_status_is_one_error_not_a_crash(site, status):
    article = site.write("2017/01-status.md", article_text(status=status, guid=GUID))
    result = check(site)
    assert result.returncode == 1
    assert problems(result) == [
        f"{article}:8: error [advent/metadata] status must be one of "
        f"published, draft, not {status.lower()!r}"
    ]
