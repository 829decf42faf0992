"""The check registry: every check is declared once, with the stage it needs.

Like html-proofer's check classes: a check has an id (also the `check` of its
problems), a stage and a function. The pipeline runs each check exactly once
per command:

- `source`: `run(sources, settings)` over every readable source at once (so a
  check can compare files, e.g. two articles on one day), before Pelican runs
  (a check whose work is in other processes may return a `Deferred`: it goes
  on while Pelican runs);
- `rendered`: `run(source, html, settings)` for each article and page Pelican
  rendered (the HTML before templates);
- `site`: `run(output, source_map, settings)` on the written site.

Each plugin declares its checks as `CHECKS = [Check(...)]` in its package.
A source check that reads the Markdown parse declares what it takes from it
as `PARSE_FACTS = [ParseFact(...)]`: the pipeline computes those facts where
the source is parsed and rendered (once, on any core, cached with the
render), so no check parses a source again.
A source with errors is still built (so its links and rendered HTML are
checked too), unless a check says Pelican cannot build it by adding it to
`BuildRun.skipped` (an article without a usable date or day).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

SOURCE = "source"
RENDERED = "rendered"
SITE = "site"
STAGES = (SOURCE, RENDERED, SITE)


@dataclass(frozen=True)
class Check:
    """One check: an id, the stage it runs at, the function, one doc line."""

    id: str
    stage: str
    run: Callable
    doc: str

    def __post_init__(self):
        if self.stage not in STAGES:
            raise ValueError(f"check {self.id}: unknown stage {self.stage!r}")


class Deferred:
    """A source check's problems still being found, by other processes (a
    checker's workers) on the other core while Pelican runs; the pipeline
    collects them (`result`) before the site checks. A check returns one
    instead of a list after reading what it needs from the sources: the
    thread must not touch them."""

    def __init__(self, function: Callable, *args):
        self._value = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(function, *args), daemon=True
        )
        self._thread.start()

    def _run(self, function, *args) -> None:
        try:
            self._value = function(*args)
        except BaseException as exc:  # re-raised where the result is taken
            self._error = exc

    def result(self) -> list:
        """The problems (the check's exception, if it raised one)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


@dataclass(frozen=True)
class ParseFact:
    """What a check takes from the one Markdown parse of a source.

    `extract(source, settings, rendered)` runs where the source is parsed
    and rendered (a worker process of the pre-render stage; `rendered` is the
    render's result: `{"content": html, "formatted": {field: html}, ...}`)
    and returns JSON; the build hands `load(value, source)` to the check at
    `source._cache[key]`. `code` names the modules whose code shapes the
    value, `packages` the distributions, and `settings` the prefixes of the
    settings `extract` reads: all are part of the render cache's key. Both
    functions must be module-level (they are pickled by name).

    A fact is dropped after the source checks, unless `kept`: then whoever
    uses it while Pelican reads the content takes it (`take_fact`).
    """

    key: str
    extract: Callable
    load: Callable
    code: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    kept: bool = False


def take_fact(settings, path, key):
    """The kept parse fact `key` of the build's source at `path`, taken off
    the source (None: no build, no such source or no such fact)."""
    from .run import RUN_SETTING, BuildRun

    run = settings.get(RUN_SETTING)
    if not isinstance(run, BuildRun) or not path:
        return None
    source = run.sources.stored(path)
    return None if source is None else source._cache.pop(key, None)


def fingerprint(text: str) -> str:
    """A short digest of `text`: a kept fact names the HTML it was made from,
    so it is only used for exactly that HTML."""
    from .cachekeys import short_digest

    return short_digest(text.encode("utf-8"))


def parse_facts(settings) -> list[ParseFact]:
    """Every parse fact declared by the plugins the site uses."""
    facts = []
    for module in plugin_modules(settings):
        facts.extend(getattr(module, "PARSE_FACTS", ()))
    return facts


def plugin_modules(settings) -> list:
    """The modules of the plugins in PLUGINS (names or modules), in order."""
    found = []
    for plugin in settings.get("PLUGINS") or []:
        found.append(
            importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        )
    return found


def registry(settings) -> list[Check]:
    """Every check declared by the plugins the site uses, in PLUGINS order."""
    checks = []
    for module in plugin_modules(settings):
        checks.extend(getattr(module, "CHECKS", ()))
    return checks


def stage(checks, name: str) -> list[Check]:
    return [c for c in checks if c.stage == name]
