"""Pre-render: every article and page rendered before Pelican runs, on every
core, each one only when its inputs changed.

The gfm reader's work (markdown-it + Pygments) is independent per source, so
it runs in a process pool; Pelican's reader then only takes the result
(`plugins.gfm.reader.PRERENDERED`). Results are cached under
`CACHE_PATH/render/` by a hash of the source text, the settings the renderer
reads, its code and its packages' versions; a rebuild after one edit renders
that one article. The rendered HTML is the same, byte for byte, whichever way
it was made (tests/test_speed_prerender.py).

The same parse gives the source checks what they read from it (each
plugin's `PARSE_FACTS`: codecheck's code blocks, the content rules'
findings), computed in the worker and cached with the render, so no check
parses a source again and the parse never leaves the worker.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from plugins.core.checks import parse_facts
from plugins.core.pool import chunk_size, executor, workers
from plugins.gfm.parser import TRANSIENT_KEY

from .cache import Store, code_version, digest, package_versions

# The code whose output is cached: the renderer and the tag names and session
# rules it imports.
RENDER_MODULES = ("plugins.gfm", "plugins.core.codetags", "plugins.core.sessions")
RENDER_PACKAGES = ("markdown-it-py", "mdit-py-plugins", "Pygments")
RENDER_CACHE_VERSION = "3"


@dataclass
class Prerendered:
    """What the stage did: results by absolute source path, and counts."""

    results: dict
    rendered: int = 0  # rendered now
    cached: int = 0  # taken from the cache
    workers: int = 1


def options(settings) -> tuple[dict, list[str]]:
    """(tag aliases, formatted header fields): the settings the renderer reads."""
    aliases = dict(settings.get("CODECHECK_ALIASES") or {})
    formatted = sorted(set(settings.get("FORMATTED_FIELDS", ["summary"])))
    return aliases, formatted


def fact_settings(facts, settings) -> dict:
    """The settings the parse facts read (by their declared prefixes)."""
    prefixes = tuple(p for fact in facts for p in fact.settings)
    return {
        name: value
        for name, value in settings.items()
        if prefixes and name.startswith(prefixes)
    }


def render_key(text: str, aliases: dict, formatted, facts=(), known=None) -> str:
    """The cache key of one source's rendering and parse facts (`known`:
    the settings the facts read)."""
    return digest(
        "render",
        RENDER_CACHE_VERSION,
        code_version(*RENDER_MODULES, *sorted({m for f in facts for m in f.code})),
        package_versions(
            *RENDER_PACKAGES, *sorted({p for f in facts for p in f.packages})
        ),
        json.dumps(aliases, sort_keys=True),
        json.dumps(list(formatted)),
        json.dumps(sorted(f.key for f in facts)),
        json.dumps(known or {}, sort_keys=True, default=repr),
        text,
    )


def render_with_facts(source, aliases, formatted, facts, known) -> dict:
    """The render of `source` and every parse fact, from one parse."""
    from plugins.gfm.reader import render_source

    result = render_source(source, aliases, formatted)
    result["facts"] = {fact.key: fact.extract(source, known, result) for fact in facts}
    return result


def _render_text(job) -> dict:
    """Worker: render one source from its path and text (no file is read)."""
    from plugins.core.source import Source, parse_header

    path, text, aliases, formatted, facts, known = job
    source = Source(path=path, text=text, header=parse_header(text))
    return render_with_facts(source, aliases, formatted, facts, known)


def wanted(sources, skipped) -> list:
    """The sources the gfm reader will read: readable `.md` articles and pages."""
    return [
        s
        for s in sources
        if s.ok
        and s.kind in ("article", "page")
        and s.path.endswith(".md")
        and os.path.abspath(s.path) not in skipped
    ]


class Stage:
    """Start rendering (`start`), let the caller do other work, then `finish`."""

    def __init__(self, sources, settings, skipped=frozenset()):
        self.settings = settings
        self.aliases, self.formatted = options(settings)
        self.facts = parse_facts(settings)
        self.known = fact_settings(self.facts, settings)
        self.store = Store(
            Path(settings["CACHE_PATH"]) / "render"
            if settings.get("BUILD_RENDER_CACHE", True) and settings.get("CACHE_PATH")
            else None
        )
        self.result = Prerendered({}, workers=workers(settings))
        self.todo: list[tuple[str, object, str]] = []  # (path, source, key)
        for source in wanted(sources, skipped):
            key = render_key(
                source.text, self.aliases, self.formatted, self.facts, self.known
            )
            found = self.store.get(key)
            path = os.path.abspath(source.path)
            if _valid(found, self.facts) and self._loaded(source, found):
                self.result.results[path] = found
                self.result.cached += 1
                source._cache[TRANSIENT_KEY] = True  # nothing here parsed it
            else:
                self.todo.append((path, source, key))
        self._pool = None
        self._futures = None

    def start(self) -> None:
        """Hand the sources to render to the pool (none: nothing to start)."""
        if self.result.workers <= 1 or len(self.todo) < 2:
            return
        count = min(self.result.workers, len(self.todo))
        self.store.close()  # no open database is forked into the workers
        self._pool = executor(count)
        jobs = [
            (p, s.text, self.aliases, self.formatted, self.facts, self.known)
            for p, s, _ in self.todo
        ]
        self._futures = self._pool.map(
            _render_text, jobs, chunksize=chunk_size(len(jobs), count)
        )

    def _loaded(self, source, result) -> bool:
        """Load a cached result's facts; False (a miss) if they are damaged."""
        try:
            self._load_facts(source, result)
        except (KeyError, TypeError, ValueError, AttributeError):
            for fact in self.facts:
                source._cache.pop(fact.key, None)
            return False
        return True

    def _load_facts(self, source, result) -> None:
        """Hand the parse facts of `result` to the checks (on the Source)."""
        found = result.pop("facts")
        for fact in self.facts:
            source._cache[fact.key] = fact.load(found[fact.key], source)

    def finish(self) -> Prerendered:
        """Every result, rendered in the pool or here; new ones cached."""
        if self._futures is not None:
            try:
                rendered = list(self._futures)
            finally:
                self._pool.shutdown()
            # The tokens stayed in the workers (every parse held at once
            # would grow with the archive: 45 MB at N=475, ~0.5 GB at 5,000);
            # what the checks need of them came back as facts.
            for _, source, _ in self.todo:
                source._cache[TRANSIENT_KEY] = True
        else:
            rendered = [
                render_with_facts(
                    s, self.aliases, self.formatted, self.facts, self.known
                )
                for _, s, _ in self.todo
            ]
        for (path, source, key), value in zip(self.todo, rendered, strict=True):
            self.store.put(key, value)
            self._load_facts(source, value)
            self.result.results[path] = value
        self.result.rendered = len(self.todo)
        return self.result


def _valid(value, facts=()) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("content"), str)
        and isinstance(value.get("formatted"), dict)
        and isinstance(value.get("placeholders"), list)
        and isinstance(value.get("facts"), dict)
        and all(fact.key in value["facts"] for fact in facts)
    )
