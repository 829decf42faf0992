"""The build: one function from (settings, content, today, output) to a result.

    sources ──► source checks ──► Pelican (reads the same sources) ──►
    rendered checks (each article/page once) ──► site checks ──► search index

Every source is read once (`plugins.core.source.Sources`), every check of the
registry (`plugins.core.checks`) runs once per build, and every problem comes
back in the `BuildResult`: a stage that fails never hides what the others can
still find. A source with errors is left out of the Pelican run (so the rest of
the site is still built and checked) and reported.

`build()` runs the work in a fresh process: Pelican, its plugins (signals) and
Python-Markdown keep process-wide state, so two builds in one process would see
each other. `execute()` is the work itself, for a process that is already fresh.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import re
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core import checks as registry
from plugins.core.problems import WARNING, Problem, error
from plugins.core.run import RUN_SETTING, BuildRun
from plugins.core.source import Sources

from .settings import checked_settings
from .sources import collect

# Built "as of" this day, every scheduled article is out (checks, linkcheck).
EVERY_ARTICLE = "2999-12-31"
# `invoke check` judges every article as it will go live: each check's errors
# count, whatever the development settings let through while previewing.
CHECK_MODE = {
    "ADVENT_TODAY": EVERY_ARTICLE,
    "CODECHECK_FAIL_ON_ERROR": True,
    "LINKCHECK_INTERNAL_ON_BUILD": True,
}
BUILD_CHECK = "build/pelican"
GENERATORS = "pelican/generators"  # BuildRun.data: Pelican's generators, once done


@dataclass
class BuildRequest:
    """What to build, how, and where."""

    settings_file: str
    output: str
    content: str | None = None
    today: str | None = None  # YYYY-MM-DD; None: now in the site's time zone
    overrides: dict = field(default_factory=dict)
    # "build": errors in articles not out yet as of `today` (scheduled, drafts)
    # are reported as warnings, so they never stop today's site.
    # "check": every article is built as it will be on its own day; all count.
    mode: str = "build"
    search: bool = False  # index the site with Pagefind after the checks
    # The last good site (None: `output` itself): unchanged article and page
    # files are taken from there instead of rendered again (pipeline/reuse.py).
    previous: str | None = None
    # Check the external links of the sources while the site builds
    # (plugins/linkcheck/prefetch.py): of every source, or of those paths.
    external: bool = False
    external_sources: list[str] | None = None


@dataclass
class BuildResult:
    """What a build found and wrote."""

    problems: list[Problem]
    built: bool  # Pelican ran to the end (the site in `output` is complete)
    source_map: dict[str, str]  # {output page: source path}
    calls: Counter  # (check id, subject) -> runs, to prove each ran once
    files: int = 0  # files written
    origin: dict = field(default_factory=dict)  # problem -> id of its check
    # [{"stage", "seconds", "cpu_seconds", "rss_mb", "peak_mb"}] in order, and
    # what the pre-render stage did ({"rendered", "cached", "workers"}).
    stages: list = field(default_factory=list)
    prerender: dict = field(default_factory=dict)
    # Article and page files and feeds taken from the last good site
    # ({"taken": count, "made": [names]}; empty when nothing is reused).
    reuse: dict = field(default_factory=dict)
    # External links checked while the site built (`BuildRequest.external`):
    # {"results": {url: outcome fields}, "requests": count}.
    external: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.built and not any(p.is_error for p in self.problems)


def build(request: BuildRequest) -> BuildResult:
    """Run `execute(request)` in a fresh process and return its result."""
    from concurrent.futures import ProcessPoolExecutor

    # Not a multiprocessing.Pool: its workers are daemonic and may not start
    # the pre-render pool.
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            return pool.submit(execute, request).result()
    except Exception as exc:  # a bug of ours: say so without a traceback
        if os.environ.get("SYSADVENT_DEBUG"):
            raise
        message = (
            f"the build stopped on an internal error ({type(exc).__name__}: {exc}); "
            "run again with SYSADVENT_DEBUG=1 for the traceback and report it"
        )
        return BuildResult(
            [error(request.settings_file, 0, "build/internal", message)],
            False,
            {},
            Counter(),
        )


def execute(request: BuildRequest, keep: dict | None = None) -> BuildResult:
    """The build itself, in this process (which must not have run Pelican).

    `keep` (a dict) receives the build's `run` and `settings`, whose
    `run.data["pelican/generators"]` a warm `invoke serve` worker reuses.
    """
    # Machine-readable reports own stdout; Pelican's chatter goes to stderr.
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    overrides = dict(request.overrides)
    overrides["OUTPUT_PATH"] = str(Path(request.output).resolve())
    if request.today:
        overrides["ADVENT_TODAY"] = request.today
    if request.mode == "check":
        overrides.update(CHECK_MODE)
    settings, problems = checked_settings(
        request.settings_file, request.content, overrides
    )
    if any(p.is_error for p in problems):
        return BuildResult(problems, False, {}, Counter())
    _cache_templates(settings)
    from plugins.advent.model import site_now
    from plugins.gfm.parser import TOKENS_KEY
    from plugins.gfm.reader import PRERENDERED

    from . import reuse
    from .prerender import Stage

    clock = Clock()
    sources = Sources(settings["SOURCES_MAX_BYTES"])
    run = BuildRun(sources=sources, now=site_now(settings), mode=request.mode)
    settings[RUN_SETTING] = run
    if keep is not None:
        keep.update(run=run, settings=settings)
    content = collect(settings, sources)
    run.problems.extend(content.problems)
    run.skipped.update(content.skipped)
    checks = registry.registry(settings)
    clock.lap("sources")

    # Articles render on every core (or come from the cache) before the source
    # checks: the markdown check takes the prose warnings of the same parse,
    # and in one process codecheck reads the very tokens the page came from.
    uses_gfm = any(
        getattr(m, "__name__", m) == "plugins.gfm" for m in settings.get("PLUGINS", [])
    )
    prerender = Stage(content.sources if uses_gfm else [], settings, run.skipped)
    prerender.start()
    done = prerender.finish()
    run.data[PRERENDERED] = done.results
    clock.lap("pre-render")
    # The sources' links are known now: check the external ones while the
    # site builds (network waits beside the CPU work).
    prefetch = None
    if request.external:
        from plugins.linkcheck import prefetch as link_prefetch

        prefetch = link_prefetch.start(
            content.sources, settings, request.external_sources
        )

    # Source stage: every readable source at once.
    readable = [s for s in content.sources if s.ok]
    deferred = []  # (check, Deferred): collected after Pelican
    for check in registry.stage(checks, registry.SOURCE):
        run.calls[(check.id, "*")] += 1
        for source in readable:
            run.calls[(check.id, source.path)] += 1
        with clock.inside(check.id):
            found = check.run(readable, settings)
        if isinstance(found, registry.Deferred):
            deferred.append((check, found))
        else:
            run.problems.extend(_from(check, found, run))
    # Pelican's reader takes the pre-rendered HTML: the parses and what the
    # checks took from them can go (memory stays flat however many articles
    # there are).
    done_with = [TOKENS_KEY, *(f.key for f in prerender.facts if not f.kept)]
    for source in content.sources:
        for key in done_with:
            source._cache.pop(key, None)
    clock.lap("source checks")

    if content.special:
        run.problems.append(
            error(
                settings["PATH"],
                0,
                BUILD_CHECK,
                "the site was not built: the content folder holds "
                f"{len(content.special)} special file(s) (links, pipes, devices) "
                "that a build could follow or block on; remove them",
            )
        )
        built = False
    else:
        reuse.start(
            run,
            settings,
            request.previous or request.output,
            lambda: (run.data.get(GENERATORS) or [], ALL_CONTENT_LISTS),
        )
        built = _run_pelican(settings, run, checks, request, clock)
    for check, pending in deferred:  # they ran beside Pelican
        with clock.inside(f"{check.id} (waited for after Pelican)"):
            run.problems.extend(_from(check, pending.result(), run))
    clock.lap("pelican")
    search = run.data.pop(SEARCH, None)  # started once the articles were written
    if search is None and built and request.search:
        search = _start_search(settings, request, run)
    if search is not None and not built:
        search.wait()  # nothing to index into: let Pagefind end, drop its work
        search = None
    if built:
        for check in registry.stage(checks, registry.SITE):
            run.calls[(check.id, "site")] += 1
            with clock.inside(check.id):
                found = check.run(Path(request.output), run, settings)
            run.problems.extend(_from(check, found, run))
    clock.lap("site checks")
    result_problems = _settle(run, settings, request.mode)
    if search is not None:
        from .search import finish_search

        found = finish_search(search, Path(request.output))
        if not any(p.is_error for p in result_problems):
            result_problems += found
        clock.lap("search (after the site checks)")
    files = sum(len(names) for _, _, names in os.walk(request.output))
    external = prefetch.finish() if prefetch is not None else {}
    problems = sorted(set(result_problems))
    origin = {p: run.origin.get(_key(p), p.check.split("/")[0]) for p in problems}
    return BuildResult(
        problems,
        built,
        dict(run.source_map),
        run.calls,
        files,
        origin,
        clock.stages,
        {"rendered": done.rendered, "cached": done.cached, "workers": done.workers},
        reuse.counts(run),
        external,
    )


class Clock:
    """Wall time, CPU time and memory of each stage of one build."""

    def __init__(self):
        self.stages: list[dict] = []
        self._wall, self._cpu = time.perf_counter(), _cpu()
        self.inner: dict[str, float] = {}  # time spent in a stage inside another

    @contextlib.contextmanager
    def inside(self, name: str):
        """Time a part of the current stage (a check); reported after it."""
        start = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - start
            self.inner[name] = self.inner.get(name, 0.0) + spent

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), _cpu()
        self.stages.append(
            {
                "stage": name,
                "seconds": round(wall - self._wall, 4),
                "cpu_seconds": round(cpu - self._cpu, 4),
                "rss_mb": round(_rss_mb(), 1),
                "peak_mb": round(_peak_mb(), 1),
            }
        )
        self._wall, self._cpu = wall, cpu
        # Parts measured inside this stage (each check; rendered checks in Pelican).
        for inner, seconds in sorted(self.inner.items()):
            self.stages.append(
                {"stage": f"{name}: {inner}", "seconds": round(seconds, 4)}
            )
        self.inner.clear()


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    """Peak resident memory of this process so far (children apart)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    """Resident memory of this process now."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _key(problem) -> tuple:
    return (problem.path, problem.line, problem.column, problem.message)


def _from(check, problems, run) -> list:
    """Remember which registry check found each problem (for summaries)."""
    for problem in problems:
        run.origin[_key(problem)] = check.id
    return problems


class _ErrorLog(logging.Handler):
    """Pelican logs some failures (an unreadable file, a bad date) and goes on;
    every one of them is a problem of the build."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


class _SaidByChecks(logging.Filter):
    """Pelican's warnings about what a check reports at the source line: an
    image without alt text (contentrules/image-alt; Pelican's own regex may
    name the wrong image) and, where the link check runs, a link or file it
    could not resolve (linkcheck/internal, attachments). Said once, there."""

    loggers = ("pelican.readers", "pelican.contents")

    def __init__(self, settings):
        super().__init__()
        self.templates = {"Empty alt attribute for image %s in %s"}
        if settings.get("LINKCHECK_INTERNAL_ON_BUILD"):
            self.templates.add("Unable to find '%s', skipping url replacement.")

    def filter(self, record):
        return not (record.levelno == logging.WARNING and record.msg in self.templates)


# BuildRun.data key of the search indexing started during the Pelican run.
SEARCH = "pipeline/search"


def _start_search(settings, request, run=None):
    """Pagefind over the article pages of the new folder, in the background.
    It reads only article pages, which nothing writes again, while Pelican
    and the site checks go on; its index is dropped with the build if the
    checks find errors. Bundles whose pages did not change are copied from
    the last site (when pages are reused)."""
    from plugins.core.reuse import LAST_SITE

    from .search import start_search

    last = run.data.get(LAST_SITE) if run is not None else None
    return start_search(
        Path(request.output),
        settings["BUILD_SEARCH_BUNDLE_ARTICLES"],
        settings["ARTICLE_SAVE_AS"],
        (last.store.folder, last.previous) if last and last.store.folder else None,
    )


def _run_pelican(settings, run: BuildRun, checks, request, clock) -> bool:
    from pelican import Pelican, signals
    from pelican.log import init as init_logging

    from plugins.core.problems import ContentError

    from .reuse import writer_class

    init_logging(logging.WARNING)
    rendered = registry.stage(checks, registry.RENDERED)

    # Receivers are held weakly by blinker: they stay referenced until we return.
    def on_readers(readers):
        # A source with errors is skipped before any reader opens it.
        for ext, cls in list(readers.reader_classes.items()):
            if cls and ext != "static":  # "static" reads attachments, not sources
                readers.reader_classes[ext] = _skipping(cls, run.skipped)

    def on_content(instance):
        source_path = getattr(instance, "source_path", None)
        html = getattr(instance, "_content", None)
        if not source_path or html is None or not rendered:
            return
        source = run.sources.get(source_path)
        for check in rendered:
            run.calls[(check.id, source.path)] += 1
            with clock.inside(check.id):
                found = check.run(source, html, settings)
            run.problems.extend(_from(check, found, run))

    def on_finalized(generators):
        _fix_urls(generators)
        run.source_map.update(_source_map(generators))
        run.data[GENERATORS] = generators

    def on_articles_written(generator, writer=None):
        # Every article page is written: index them while Pelican writes the
        # rest (pages, feeds, cards) on the other core.
        if request.search and SEARCH not in run.data:
            run.data[SEARCH] = _start_search(settings, request, run)

    signals.readers_init.connect(on_readers)
    signals.content_object_init.connect(on_content)
    signals.all_generators_finalized.connect(on_finalized)
    signals.article_writer_finalized.connect(on_articles_written)
    signals.get_writer.connect(writer_class)
    log = _ErrorLog()
    logging.getLogger().addHandler(log)
    said = _SaidByChecks(settings)
    for name in said.loggers:
        logging.getLogger(name).addFilter(said)
    try:
        Pelican(settings).run()
        built = True
    except ContentError as exc:
        run.problems.extend(exc.problems)
        built = False
    except Exception as exc:  # a Pelican failure is a problem, not a traceback
        if os.environ.get("SYSADVENT_DEBUG"):  # for developers of the project
            import traceback

            traceback.print_exc()
        run.problems.append(
            error(request.settings_file, 0, BUILD_CHECK, f"the build failed: {exc}")
        )
        built = False
    finally:
        logging.getLogger().removeHandler(log)
        for name in said.loggers:
            logging.getLogger(name).removeFilter(said)
    for record in log.records:
        run.problems.append(_log_problem(record, settings, request.settings_file))
    return built


def _skipping(reader_class, skipped: set[str]):
    """The reader class, except that it skips the sources in `skipped`
    (Pelican then writes nothing for them: status "skip")."""

    class Skipping(reader_class):
        def read(self, source_path):
            if os.path.abspath(source_path) in skipped:
                return "", {"status": "skip"}
            return super().read(source_path)

    Skipping.__name__ = reader_class.__name__  # Pelican names the reader by it
    return Skipping


def _log_problem(record, settings, settings_file) -> Problem:
    """An error Pelican logged, at the source it names when it names one."""
    message = record.getMessage().strip().splitlines()[0]
    content = Path(settings["PATH"])
    path = settings_file
    candidates = (
        [a for a in record.args if isinstance(a, str)]
        if isinstance(record.args, tuple)
        else []
    )
    candidates += message.replace(":", " ").split()
    for word in candidates:
        for place in (Path(word), content / word):
            if place.suffix == ".md" and place.is_file():
                return error(place, 0, BUILD_CHECK, message)
    return error(path, 0, BUILD_CHECK, message)


CONTENT_LISTS = (
    "articles",
    "translations",
    "pages",
    "hidden_pages",
    "hidden_translations",
)


def _cache_templates(settings) -> None:
    """Jinja keeps the theme's compiled templates in CACHE_PATH/jinja/ (each
    of Pelican's generators compiles them again otherwise: ~0.3 s a build),
    keyed by the environment's options (`pipeline.cache.TemplateCache`)."""
    folder = settings.get("CACHE_PATH")
    if not folder or not settings.get("BUILD_RENDER_CACHE", True):
        return
    from .cache import TemplateCache

    path = Path(folder) / "jinja"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no cache: only slower
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment.setdefault("bytecode_cache", TemplateCache(path, environment))
    settings["JINJA_ENVIRONMENT"] = environment


# Every list of content objects a generator may hold, written or not.
ALL_CONTENT_LISTS = (
    *CONTENT_LISTS,
    "hidden_articles",
    "drafts",
    "drafts_translations",
    "draft_pages",
    "draft_translations",
)


def _fix_urls(generators) -> None:
    """Give every article and page its URL as Pelican's own override.

    Pelican formats `url` from the settings and metadata at every access
    (~13,000 accesses for 475 articles: templates, feeds, sitemap, ~0.8 s);
    once every generator is finalized nothing changes a URL any more, and
    `override_url` is what Pelican returns first.
    """
    for generator in generators:
        for name in ALL_CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if hasattr(content, "get_url_setting"):
                    content.override_url = content.url


def _source_map(generators) -> dict[str, str]:
    """{output page: source path} of every article and page written."""
    found = {}
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                save_as = getattr(content, "save_as", "")
                source = getattr(content, "source_path", "")
                if save_as and source:
                    found[save_as.replace("\\", "/").lstrip("/")] = source
    return found


def _settle(run: BuildRun, settings, mode: str) -> list[Problem]:
    """The problems as this kind of build reports them.

    In a build as of a day, an article that is not out yet (scheduled later, or
    a draft) cannot stop that day's site: its errors become warnings that say
    when it must be fixed. `invoke check` (mode "check") keeps them errors.
    """
    if mode == "check":
        return list(run.problems)
    return as_warnings_if_later(
        run.problems, not_out_yet(run.sources, run.now, settings)
    )


def as_warnings_if_later(problems, later: dict[str, str]) -> list[Problem]:
    """Errors of the sources in `later` ({path: when}) turned into warnings."""
    settled = []
    for problem in problems:
        when = later.get(os.path.abspath(problem.path)) if problem.is_error else None
        if when is None:
            settled.append(problem)
            continue
        settled.append(
            Problem(
                problem.path,
                problem.line,
                problem.column,
                WARNING,
                problem.check,
                f"{problem.message} ({when}: fix it before it goes out)",
                problem.url,
                problem.outcome,
                problem.status,
            )
        )
    return settled


def not_out_yet(sources, now, settings) -> dict[str, str]:
    """{source path: 'scheduled for D' or 'a draft'} for articles not out as of
    `now` (an aware datetime, the end of the day the site is built as of)."""
    from plugins.advent.rules import parse_date

    found = {}
    for source in sources:
        if source.kind != "article":
            continue
        if not source.ok:  # no header to read: the day its file is named for
            if os.path.islink(source.path) or not os.path.isfile(source.path):
                continue  # a link or special file stops every build
            date = _opening_of_day(source, settings["TIMEZONE"])
            if date is not None and date > now:
                found[os.path.abspath(source.path)] = f"scheduled for {date:%Y-%m-%d}"
            continue
        header = source.header
        if header.value("status").lower() == "draft":
            found[os.path.abspath(source.path)] = "a draft"
            continue
        try:
            date = parse_date(header.value("date"), settings["TIMEZONE"])
        except ValueError:
            # A Date: that does not read still belongs to a day: its Day: in
            # the season of its folder. Only an article known to be out (or
            # of no known day) stops the build of today's site.
            date = _opening_of_day(source, settings["TIMEZONE"])
            if date is None:
                continue
        if date > now:
            found[os.path.abspath(source.path)] = f"scheduled for {date:%Y-%m-%d}"
    return found


def _opening_of_day(source, timezone: str):
    """Midnight of the article's Day: in December of its folder's year (an
    aware datetime), or None when either is not known. A file that cannot be
    read has the day its name starts with (content/<year>/<DD>-<slug>.md)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    path = Path(source.path)
    year = path.parent.name
    if source.ok:
        day = source.header.value("day")
    else:
        day = path.name.split("-", 1)[0] if "-" in path.name else ""
    if not (re.fullmatch(r"\d{4}", year) and re.fullmatch(r"\d{1,2}", day)):
        return None
    try:
        return dt.datetime(int(year), 12, int(day), tzinfo=ZoneInfo(timezone))
    except ValueError:
        return None


__all__ = ["BuildRequest", "BuildResult", "EVERY_ARTICLE", "build", "execute"]
