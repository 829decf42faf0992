"""What one build shares between the pipeline and the plugins.

The pipeline makes one `BuildRun` per build and hands it to Pelican in the
settings (`SYSADVENT_RUN`); plugins read sources and derived data through it
instead of reading files again. Nothing is kept in module globals, so two
builds never see each other's state.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .source import Sources

RUN_SETTING = "SYSADVENT_RUN"


@dataclass
class BuildRun:
    """The sources of one build, its 'now', and what the build learned."""

    sources: Sources
    now: dt.datetime
    # "build": the site as of `now`; "check": every article as of its own day.
    mode: str = "build"
    # Absolute paths of sources Pelican must skip (errors, unsupported files).
    skipped: set[str] = field(default_factory=set)
    problems: list = field(default_factory=list)
    # {output page: source path}, filled once Pelican knows every page.
    source_map: dict[str, str] = field(default_factory=dict)
    # (check id, subject) -> how many times the check ran on it.
    calls: Counter = field(default_factory=Counter)
    data: dict = field(default_factory=dict)  # per-plugin results, by plugin
    origin: dict = field(default_factory=dict)  # problem key -> check id


def ensure_run(settings) -> BuildRun:
    """The build run Pelican was given; a bare `pelican` run gets one here
    (its sources are then read on demand and no check runs)."""
    found = settings.get(RUN_SETTING)
    if not isinstance(found, BuildRun):
        import datetime

        found = settings[RUN_SETTING] = BuildRun(
            Sources(), datetime.datetime.now(datetime.UTC)
        )
    return found
