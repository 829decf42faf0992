"""One measured run, executed in its own process by the harness.

`python -m bench.child SCENARIO --corpus DIR --output DIR --cache DIR
--today YYYY-MM-DD --result FILE [--profile FILE]`

Imports happen before the clock starts; the measured call is timed with
`time.perf_counter()` and written to FILE as JSON: `{"status": "ok",
"seconds": ..., "detail": ...}` or `{"status": "not available", "reason":
...}` when a plugin is missing. The parent reads peak memory from the
process's resource usage (`os.wait4`).

Scenarios:
- `bare`: Pelican alone: same Markdown settings and URLs, no project plugins,
  Pelican's `simple` theme.
- `full`: the project's real build, `pipeline.build.execute(publishconf.py)`, so
  every plugin in its PLUGINS list and every step build_site runs.
- `rebuild`: the same with Pelican's content cache on.
- `codecheck`: the codecheck plugin's public function over every source.
- `linkcheck`: the linkcheck plugin's internal check over a built site.
"""

from __future__ import annotations

import argparse
import inspect
import json
import resource
import sys
import time
from pathlib import Path

PUBLISH_SETTINGS = Path(__file__).resolve().parent.parent / "publishconf.py"

# Public functions the plugins may expose, in order of preference.
CODECHECK_FUNCTIONS = ("check_paths", "check_files", "check_sources")
LINKCHECK_FUNCTIONS = ("check_internal",)


class NotAvailable(Exception):
    """The plugin or function a scenario measures does not exist here."""


# Plugin settings that name a cache folder (their defaults point into the
# repository): each run gets its own, under its cache folder, so a cold run
# is really cold and the repository's caches are never touched.
PLUGIN_CACHES = {"CODECHECK_CACHE": "codecheck", "LINKCHECK_CACHE_PATH": "linkcheck"}


def cache_overrides(cache) -> dict:
    """Every cache the build may use, inside the run's `cache` folder."""
    found = {"CACHE_PATH": str(cache)}
    for name, folder in PLUGIN_CACHES.items():
        found[name] = str(Path(cache) / folder)
    return found


def project_overrides(cache, content_cache: bool) -> dict:
    """Settings the benchmark changes in the project's build: where caches go,
    and whether Pelican's content cache is used."""
    return {
        **cache_overrides(cache),
        "CACHE_CONTENT": content_cache,
        "LOAD_CONTENT_CACHE": content_cache,
    }


def bare_settings(corpus, output) -> dict:
    """Bare Pelican: its own Markdown reader, the time zone and URLs; nothing else."""
    from pelican.settings import read_settings

    import pelicanconf

    return read_settings(
        None,
        override={
            "PATH": str(corpus),
            "OUTPUT_PATH": str(output),
            "THEME": "simple",
            "PLUGINS": [],
            "TIMEZONE": pelicanconf.TIMEZONE,
            "WITH_FUTURE_DATES": True,
            "ARTICLE_PATHS": pelicanconf.ARTICLE_PATHS,
            "ARTICLE_EXCLUDES": pelicanconf.ARTICLE_EXCLUDES,
            "PAGE_PATHS": pelicanconf.PAGE_PATHS,
            "ARTICLE_URL": pelicanconf.ARTICLE_URL,
            "ARTICLE_SAVE_AS": pelicanconf.ARTICLE_SAVE_AS,
            "IGNORE_FILES": pelicanconf.IGNORE_FILES,
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
            "CACHE_PATH": str(Path(output).parent / "cache"),
        },
    )


def project_settings(corpus, output, cache) -> dict:
    """The production settings, pointed at the corpus (for the checkers)."""
    from pelican.settings import read_settings

    return read_settings(
        str(PUBLISH_SETTINGS),
        override={
            "PATH": str(Path(corpus).resolve()),
            "OUTPUT_PATH": str(Path(output).resolve()),
            **cache_overrides(Path(cache).resolve()),
        },
    )


def _function(module_name: str, names) -> callable:
    try:
        module = __import__(module_name)
    except ImportError as exc:
        raise NotAvailable(f"plugin {module_name!r} is not installed ({exc})") from None
    for name in names:
        if callable(getattr(module, name, None)):
            return getattr(module, name)
    raise NotAvailable(f"plugin {module_name!r} has none of {', '.join(names)}()")


def _call(function, values: dict):
    """Call `function` with the values its parameters name (extra ones ignored)."""
    kwargs = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in values:
            kwargs[name] = values[name]
        elif parameter.default is inspect.Parameter.empty and parameter.kind not in (
            parameter.VAR_POSITIONAL,
            parameter.VAR_KEYWORD,
        ):
            raise NotAvailable(
                f"{function.__module__}.{function.__name__}() needs {name!r}, "
                "which the benchmark does not know how to give"
            )
    return lambda: function(**kwargs)


def _sources(corpus) -> list[str]:
    return sorted(str(p) for p in Path(corpus).rglob("*.md"))


def source_map(corpus) -> dict[str, str]:
    """{output page: Markdown source} of every article, from the file names."""
    found = {}
    for path in Path(corpus).glob("[0-9]*/[0-9][0-9]-*.md"):
        day, slug = path.stem.split("-", 1)
        found[f"{path.parent.name}/12/day-{int(day)}-{slug}.html"] = str(path)
    return found


def prepare(args):
    """Everything up to the measured call; returns (call, describe)."""
    # Pelican itself is imported before the clock starts for every scenario;
    # plugins are imported by the build, so their import cost is measured.
    import logging

    import pelican.settings  # noqa: F401
    from pelican.log import init as init_logging

    init_logging(logging.WARNING)
    if args.scenario == "bare":
        from pelican import Pelican

        def build():
            Pelican(bare_settings(args.corpus, args.output)).run()

        return build, lambda result: ""
    if args.scenario in ("full", "rebuild"):
        from pipeline.build import BuildRequest, execute

        overrides = project_overrides(args.cache, args.scenario == "rebuild")

        def build():
            # The pipeline's build itself, in this fresh process (what
            # `invoke build --publish` runs in its worker process).
            result = execute(
                BuildRequest(
                    settings_file=str(PUBLISH_SETTINGS),
                    output=str(args.output),
                    content=str(args.corpus),
                    today=args.today,
                    overrides=overrides,
                    search=True,
                )
            )
            if not result.built:
                raise SystemExit(f"build failed: {result.problems[:3]}")

        def describe(result):
            cached = sum(1 for _ in Path(args.cache).rglob("*") if _.is_file())
            return f"{cached} files in the cache folder after the build"

        return build, describe
    if args.scenario == "codecheck":
        function = _function("codecheck", CODECHECK_FUNCTIONS)
        settings = project_settings(args.corpus, args.output, args.cache)
        call = _call(
            function,
            {
                "paths": _sources(args.corpus),
                "files": _sources(args.corpus),
                "settings": settings,
            },
        )
        return call, _count_problems
    if args.scenario == "linkcheck":
        function = _function("linkcheck", LINKCHECK_FUNCTIONS)
        settings = project_settings(args.corpus, args.output, args.cache)
        call = _call(
            function,
            {
                "output_dir": args.output,
                "output": args.output,
                "source_map": source_map(args.corpus),
                "settings": settings,
            },
        )
        return call, _count_problems
    raise SystemExit(f"unknown scenario {args.scenario!r}")


def _count_problems(result) -> str:
    if result is None:
        return ""
    try:
        found = list(result)
    except TypeError:
        return ""
    errors = sum(1 for p in found if getattr(p, "severity", "") == "error")
    return f"{len(found)} problems reported ({errors} errors)"


def _cpu_seconds() -> float:
    """CPU time of this process and of the programs it ran (user + system).

    On a shared machine wall time depends on the neighbours; CPU time much less.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("scenario")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--today", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--profile")
    args = parser.parse_args(argv)
    # Relative paths in settings overrides would be taken relative to the
    # settings file (the repository), not to this run's folder.
    for name in ("corpus", "output", "cache"):
        setattr(args, name, str(Path(getattr(args, name)).resolve()))
    result_path = Path(args.result)
    try:
        call, describe = prepare(args)
    except NotAvailable as exc:
        result_path.write_text(
            json.dumps({"status": "not available", "reason": str(exc)})
        )
        return 0
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    cpu_start = _cpu_seconds()
    try:
        result = call()
    except BaseException as exc:  # report any failure (invoke's Exit too) as data
        seconds = time.perf_counter() - start
        result_path.write_text(
            json.dumps({"status": "failed", "seconds": seconds, "reason": repr(exc)})
        )
        raise
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_start
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    result_path.write_text(
        json.dumps(
            {
                "status": "ok",
                "seconds": seconds,
                "cpu_seconds": cpu,
                "detail": describe(result),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
