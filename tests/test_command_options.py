"""Options the README documents: a wrong value ends the command with a
message naming the option and exit 2, never a Python traceback."""

from __future__ import annotations

import pytest
from test_new import invoke


@pytest.mark.parametrize(
    "args, option",
    [
        (["new", "--title", "X", "--author", "jane-doe", "--year", "abc"], "year"),
        (["new", "--title", "X", "--author", "jane-doe", "--day", "abc"], "day"),
        (["calendar", "--year", "abc"], "year"),
        (["serve", "--port", "abc"], "port"),
        (["bench", "--articles", "x", "--render-only"], "articles"),
        (["bench", "--repeat", "x", "--render-only"], "repeat"),
    ],
)
def test_a_number_option_that_is_no_number_is_a_clear_error(site, args, option):
    if args[0] in ("new", "calendar"):
        args = [*args, "--content", str(site.content)]
    result = invoke(*args)
    assert result.returncode == 2
    assert f"--{option} takes a whole number, not " in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_linkcheck_refuses_an_unknown_format_before_building(site):
    result = invoke("linkcheck", "--format", "xml", "--content", str(site.content))
    assert result.returncode == 2
    assert "linkcheck: unknown format 'xml'" in result.stderr
    assert "Processed" not in result.stderr  # no build ran first
