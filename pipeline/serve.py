"""`invoke serve`: the same build as `invoke build`, served on 127.0.0.1 and
rebuilt whenever content, theme, plugins or settings change."""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from plugins.core.problems import format_problems, summary_line

from .site import build_site

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("content", "theme", "plugins", "pelicanconf.py", "publishconf.py")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def rebuild(settings_file, output, today, content=None, err=sys.stderr) -> bool:
    """One build; problems printed; the last good site kept on failure."""
    result = build_site(settings_file, output, today=today, content=content)
    if result.problems:
        print(format_problems(result.problems), file=err)
    state = "rebuilt" if result.ok else "build failed, still serving the last good"
    print(f"{state} site: {summary_line(result.problems)}", file=err, flush=True)
    return result.ok


def serve(settings_file, output, *, port=8000, today=None, content=None) -> None:
    """Build, serve `output` on http://127.0.0.1:PORT and rebuild on changes."""
    import watchfiles

    output = Path(output)
    rebuild(settings_file, output, today, content)
    output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
    watched = [ROOT / name for name in WATCHED if (ROOT / name).exists()]
    if content:
        watched.append(Path(content))
    try:
        for _ in watchfiles.watch(*watched, debounce=200):
            rebuild(settings_file, output, today, content)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
