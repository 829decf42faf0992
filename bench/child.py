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
- `rebuild`: the same build again, in the same cache folder (the project's
  own caches warm; Pelican's content cache stays off, as in the project's
  settings: with the render cache it only adds pickling, ~1.4 s at N=475).
- `codecheck`: the codecheck plugin's public function over every source.
- `linkcheck`: the linkcheck plugin's internal check over a built site.
- `hugo`: Hugo building the same Markdown (converted before the clock starts).
- `lychee`: lychee `--offline --include-fragments` over a built site.
- `serve`: `invoke serve`'s edit-to-preview time: an article saved → its new
  page served (the median of three edits, each after the full rebuild that
  follows the one before).

A scenario may add more to the result (`EXTRA`): the full build's stages.
"""

from __future__ import annotations

import argparse
import inspect
import json
import resource
import shutil
import sys
import time
from pathlib import Path

PUBLISH_SETTINGS = Path(__file__).resolve().parent.parent / "publishconf.py"

# Public functions the plugins may expose, in order of preference.
CODECHECK_FUNCTIONS = ("check_paths", "check_files", "check_sources")
LINKCHECK_FUNCTIONS = ("check_internal",)


# Filled by a scenario's call, written with its result (stage timings …).
EXTRA: dict = {}


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


def project_overrides(cache) -> dict:
    """Settings the benchmark changes in the project's build: where caches go
    (Pelican's content cache off, as the project's settings have it)."""
    return {
        **cache_overrides(cache),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
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
    if args.scenario == "bare_rebuild":
        from pelican import Pelican

        def build():
            # Bare Pelican with its own content cache on, in the run's cache
            # folder: what it does again after an edit.
            settings = bare_settings(args.corpus, args.output)
            settings.update(
                CACHE_CONTENT=True,
                LOAD_CONTENT_CACHE=True,
                CACHE_PATH=str(Path(args.cache).resolve()),
            )
            Pelican(settings).run()

        return build, lambda result: ""
    if args.scenario in ("full", "rebuild"):
        from pipeline.build import BuildRequest, execute

        overrides = project_overrides(args.cache)

        def build():
            # The pipeline's build itself, in this fresh process (what
            # `invoke build --publish` runs in its worker process): into a
            # new folder beside the last site, then swapped in.
            from pipeline.site import swap

            output = Path(args.output)
            fresh = output.with_name(f".{output.name}-new-bench")
            shutil.rmtree(fresh, ignore_errors=True)
            result = execute(
                BuildRequest(
                    settings_file=str(PUBLISH_SETTINGS),
                    output=str(fresh),
                    content=str(args.corpus),
                    today=args.today,
                    overrides=overrides,
                    search=True,
                    previous=str(output),
                )
            )
            if not result.built:
                raise SystemExit(f"build failed: {result.problems[:3]}")
            swap(fresh, output)
            EXTRA["stages"] = result.stages
            EXTRA["reuse"] = {"taken": result.reuse.get("taken", 0)}
            EXTRA["prerender"] = result.prerender

        def describe(result):
            cached = sum(1 for _ in Path(args.cache).rglob("*") if _.is_file())
            done = EXTRA.get("prerender", {})
            return (
                f"{cached} files in the cache folder after the build; "
                f"{done.get('rendered', 0)} sources rendered, "
                f"{done.get('cached', 0)} from the cache, "
                f"{done.get('workers', 1)} worker(s); "
                f"{EXTRA.get('reuse', {}).get('taken', 0)} pages and feeds "
                "taken from the last site"
            )

        return build, describe
    if args.scenario in ("hugo", "lychee"):
        return _peer(args)
    if args.scenario == "serve":
        return _serve(args)
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


def _peer(args):
    """Hugo on the same Markdown, or lychee on the same built site."""
    import subprocess

    from . import peers

    if peers.program(args.scenario) is None:
        raise NotAvailable(f"{args.scenario} is not installed")
    if args.scenario == "hugo":
        site = peers.hugo_site(args.corpus, Path(args.cache) / "hugo-site")
        command = peers.hugo_command(site, Path(args.output))
    else:
        from pelican.settings import get_settings_from_file

        siteurl = get_settings_from_file(str(PUBLISH_SETTINGS))["SITEURL"]
        command = peers.lychee_command(Path(args.output), siteurl)

    def call():
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode not in (0, 2):  # lychee: 2 = broken links found
            raise SystemExit(f"{args.scenario} failed: {done.stderr[-500:]}")
        return done

    def describe(done):
        if args.scenario == "hugo":
            pages = sum(1 for _ in Path(args.output).rglob("*.html"))
            return f"{pages} HTML pages written"
        lines = [x for x in (done.stdout + done.stderr).splitlines() if "Total" in x]
        return lines[-1].strip() if lines else ""

    return call, describe


def _serve(args):
    """Start `invoke serve` on the corpus (not timed), then time edits."""
    import socket
    import subprocess
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = PUBLISH_SETTINGS.parent / "pelicanconf.py"
    code = (
        "from pipeline.serve import serve; "
        f"serve({str(settings)!r}, {args.output!r}, port={port}, "
        f"today={args.today!r}, content={args.corpus!r})"
    )
    log_path = Path(args.cache) / "serve.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=PUBLISH_SETTINGS.parent,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def wait_for(text, count=1, timeout=3600):
        deadline = time.monotonic() + timeout
        while log_path.read_text(errors="replace").count(text) < count:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"serve: no {text!r}: {log_path.read_text()[-500:]}")
            time.sleep(0.05)

    wait_for("serving http")
    time.sleep(1)  # the watcher starts right after the first build
    pages = {Path(src).resolve(): page for page, src in source_map(args.corpus).items()}
    article = sorted(pages)[len(pages) // 2]
    url = f"http://127.0.0.1:{port}/{pages[article]}"
    original = article.read_text(encoding="utf-8")
    times = []

    def call():
        try:
            for number in range(3):
                marker = f"Previewed edit {number}."
                start = time.perf_counter()
                with open(article, "a", encoding="utf-8") as handle:
                    handle.write(f"\n{marker}\n")
                while marker.encode() not in urllib.request.urlopen(url).read():
                    if time.perf_counter() - start > 600:
                        raise SystemExit("serve: the edit was never served")
                    time.sleep(0.01)
                times.append(time.perf_counter() - start)
                wait_for("site:", count=number + 2)  # the full rebuild after it
        finally:
            article.write_text(original, encoding="utf-8")
            server.terminate()
            server.wait(60)
            log.close()
        # The measured value: the median edit-to-preview time.
        return sorted(times)[1]

    def describe(_):
        shown = ", ".join(f"{t * 1000:.0f} ms" for t in times)
        return f"edit-to-preview of 3 edits: {shown}"

    return call, describe


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
        if args.scenario == "serve":  # the call times its own edits
            start = time.perf_counter() - result
    except BaseException as exc:  # report any failure (invoke's Exit too) as data
        seconds = time.perf_counter() - start
        result_path.write_text(
            json.dumps({"status": "failed", "seconds": seconds, "reason": repr(exc)})
        )
        raise
    seconds = time.perf_counter() - start
    # serve's CPU time is the session's (its first build, three rebuilds),
    # not the preview's: not a number to compare.
    cpu = None if args.scenario == "serve" else _cpu_seconds() - cpu_start
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
                **EXTRA,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
