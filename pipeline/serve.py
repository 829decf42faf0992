"""`invoke serve`: the same build as `invoke build`, served on 127.0.0.1 and
rebuilt whenever content, theme, plugins or settings change.

Each full build runs in a fresh process (as every build does) that then stays
alive, warm: it keeps Pelican's finished generators. When an author saves an
article and only its body changed, that worker renders the one article again
and rewrites its page in the served folder in a fraction of a second
(`update_article`); the full build follows, in the background, and replaces
the whole site, so feeds, indexes and search catch up and every check
reports as usual. Saves during a full build are previewed from the previous
build's worker, and one more full build follows.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from plugins.core.problems import format_problems, summary_line

from .site import build_site

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("content", "theme", "plugins", "pelicanconf.py", "publishconf.py")
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _header_lines(source) -> list[str]:
    return source.text.split("\n")[: source.header.end_line]


def _forget(content) -> None:
    """Drop what Pelican memoized from the old body (content, summary)."""
    for name in ("get_content", "get_summary"):
        memo = getattr(getattr(content, name, None), "cache", None)
        if isinstance(memo, dict):
            for key in [k for k in memo if k and k[0] is content]:
                del memo[key]


class _Replacing:
    """A text file written beside `path` and moved over it when closed: a
    reader of the served folder gets the old page or the new one, never a
    page cut short (Pelican's writer truncates the file, then writes)."""

    def __init__(self, path: str, encoding: str):
        import tempfile

        self.path = path
        fd, self.temporary = tempfile.mkstemp(
            prefix=".serve-", dir=os.path.dirname(path)
        )
        self.handle = os.fdopen(fd, "w", encoding=encoding)

    def write(self, text: str) -> int:
        return self.handle.write(text)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.handle.close()
        if kind is not None:
            os.unlink(self.temporary)
            return
        try:  # the mode of the page it replaces (mkstemp's is 0600)
            os.chmod(self.temporary, os.stat(self.path).st_mode & 0o777)
        except FileNotFoundError:
            os.chmod(self.temporary, 0o644)
        os.replace(self.temporary, self.path)


def _replacing_writer(output, settings):
    """Pelican's writer, writing each page whole into place (`_Replacing`)."""
    from pelican.writers import Writer

    class ReplacingWriter(Writer):
        # One writer a saved article, one page each: Pelican's checks against
        # writing a file twice have nothing to guard here.
        def _open_w(self, filename, encoding, override=False):
            self._written_files.add(filename)
            return _Replacing(filename, encoding)

    return ReplacingWriter(str(output), settings=settings)


def update_article(run, path, output) -> str | None:
    """Render the edited source `path` again from a finished build's state and
    rewrite its page in `output`; the page written, or None when the edit
    needs a full build (a header changed, an unknown or unreadable file)."""
    from pelican.contents import Article

    from plugins.core.source import read_source
    from plugins.gfm.reader import PRERENDERED

    from .build import GENERATORS

    generators = run.data.get(GENERATORS)
    path = os.path.abspath(path)
    if not generators or not path.endswith(".md"):
        return None
    old_source = run.sources.get(path)
    new_source = read_source(path, run.sources.max_bytes)
    if not (old_source.ok and new_source.ok):
        return None
    if _header_lines(old_source) != _header_lines(new_source):
        return None  # title, date, tags…: other pages change too
    found = None
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if os.path.abspath(getattr(content, "source_path", "")) == path:
                    found = generator, content
    if found is None:
        return None
    generator, old = found
    # The build's store and pre-rendered HTML hold the old text.
    run.sources._by_path[path] = new_source
    run.data.get(PRERENDERED, {}).pop(path, None)
    # Read as Pelican reads it: the reader, then every plugin's
    # content_object_init (the sanitizer); only the body is taken over.
    new = generator.readers.read_file(
        base_path=generator.path,
        path=os.path.relpath(path, generator.path),
        content_class=type(old),
        context=generator.context,
    )
    old._content = new._content
    _forget(old)
    writer = _replacing_writer(output, generator.settings)
    template = generator.get_template(old.template)
    common = {
        "override_output": hasattr(old, "override_save_as"),
        "url": old.url,
        "relative_urls": generator.settings["RELATIVE_URLS"],
    }
    if isinstance(old, Article):
        writer.write_file(
            old.save_as,
            template,
            generator.context,
            article=old,
            category=getattr(old, "category", None),
            blog=True,
            **common,
        )
    else:
        writer.write_file(
            old.save_as,
            template,
            generator.context,
            page=old,
            **common,
        )
    return old.save_as


def _worker(conn, request) -> None:
    """A build, then fast updates from its state until told to stop."""
    from .build import execute

    keep: dict = {}
    try:
        conn.send(("built", execute(request, keep)))
    except Exception as exc:  # reported like build()'s internal errors
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] != "update":
            return
        try:
            conn.send(update_article(keep["run"], message[1], message[2]))
        except Exception:  # the full build that follows reports it
            conn.send(None)


class WarmBuild:
    """A build in a fresh process that stays alive for `update()`."""

    def __init__(self, request):
        context = multiprocessing.get_context("spawn")
        self.lock = threading.Lock()  # one request at a time on the pipe
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, request))
        self.process.start()
        child.close()
        self.request = request

    def result(self):
        """The build's result (waits for it)."""
        from collections import Counter

        from plugins.core.problems import error

        from .build import BuildResult

        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            kind, value = "error", "the build process died"
        if kind == "built":
            return value
        message = f"the build stopped on an internal error ({value})"
        return BuildResult(
            [error(self.request.settings_file, 0, "build/internal", message)],
            False,
            {},
            Counter(),
        )

    def update(self, path, output) -> str | None:
        """Rewrite the page of the edited `path` in `output`; None: not possible."""
        with self.lock:
            if self.conn.closed or not self.process.is_alive():
                return None
            try:
                self.conn.send(("update", str(path), str(output)))
                return self.conn.recv()
            except (EOFError, OSError):
                return None

    def close(self) -> None:
        with self.lock:
            if self.conn.closed:
                return
            try:
                self.conn.send(("stop",))
            except (OSError, ValueError):
                pass
            self.process.join(5)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join()
            self.conn.close()


class Server:
    """The serve loop's state: the output folder and the warm worker of the
    last good build."""

    def __init__(self, settings_file, output, today=None, content=None):
        self.settings_file, self.output = settings_file, Path(output)
        self.today, self.content = today, content
        self.warm: WarmBuild | None = None
        self._lock = threading.Lock()  # guards warm, _builder, _again
        self._builder: threading.Thread | None = None
        self._again = False

    def rebuild(self, err=sys.stderr) -> bool:
        """One full build; problems printed; the last good site kept on failure."""
        started: list[WarmBuild] = []

        def runner(request):
            started.append(WarmBuild(request))
            return started[-1].result()

        result = build_site(
            self.settings_file,
            self.output,
            today=self.today,
            content=self.content,
            search=True,  # full builds run in the background: search keeps up
            runner=runner,
        )
        if result.problems:
            print(format_problems(result.problems), file=err)
        state = "rebuilt" if result.ok else "build failed, still serving the last good"
        print(f"{state} site: {summary_line(result.problems)}", file=err, flush=True)
        old = None
        for worker in started:
            if result.ok and worker is started[-1]:
                with self._lock:
                    old, self.warm = self.warm, worker
            else:
                worker.close()
        if old is not None:
            old.close()
        return result.ok

    def rebuild_soon(self, err=sys.stderr) -> None:
        """The full build in the background, so saved articles keep being
        previewed meanwhile; one more build follows if files changed during it."""
        with self._lock:
            if self._builder is not None:
                self._again = True
                return
            self._builder = threading.Thread(
                target=self._build_loop, args=(err,), daemon=True
            )
            self._builder.start()

    def _build_loop(self, err) -> None:
        while True:
            self.rebuild(err)
            with self._lock:
                if not self._again:
                    self._builder = None
                    return
                self._again = False

    def wait(self) -> None:
        """Until no full build runs (tests, shutdown)."""
        while True:
            with self._lock:
                builder = self._builder
            if builder is None:
                return
            builder.join()

    def update(self, path, err=sys.stderr) -> str | None:
        """The fast path for one saved article; the page rewritten or None."""
        with self._lock:
            warm = self.warm
        if warm is None:
            return None
        start = time.perf_counter()
        page = warm.update(path, self.output)
        if page:
            took = (time.perf_counter() - start) * 1000
            print(f"updated {page} in {took:.0f} ms", file=err, flush=True)
        return page

    def changed(self, changes, err=sys.stderr) -> None:
        """What to do after files changed: the fast path when it is one saved
        article, then always the full build (in the background)."""
        import watchfiles

        paths = {path for kind, path in changes if kind != watchfiles.Change.deleted}
        if len(paths) == 1 and len(changes) <= 2:
            self.update(next(iter(paths)), err)
        self.rebuild_soon(err)

    def close(self) -> None:
        self.wait()
        with self._lock:
            warm, self.warm = self.warm, None
        if warm is not None:
            warm.close()


def rebuild(settings_file, output, today, content=None, err=sys.stderr) -> bool:
    """One build; problems printed; the last good site kept on failure."""
    server = Server(settings_file, output, today, content)
    try:
        return server.rebuild(err)
    finally:
        server.close()


def serve(settings_file, output, *, port=8000, today=None, content=None) -> None:
    """Build, serve `output` on http://127.0.0.1:PORT and rebuild on changes."""
    import watchfiles

    output = Path(output)
    state = Server(settings_file, output, today, content)
    state.rebuild()
    output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
    watched = [ROOT / name for name in WATCHED if (ROOT / name).exists()]
    if content:
        watched.append(Path(content))
    try:
        for changes in watchfiles.watch(*watched, debounce=200, step=20):
            state.changed(changes)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        state.close()
