"""Helpers for the importer tests: a real image server on 127.0.0.x, a
scratch copy of the site's content, golden files."""

from __future__ import annotations

import io
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "blogger"
EXPECTED = FIXTURES / "expected"
SETTINGS = ROOT / "pelicanconf.py"
# Tests talk to their own servers on loopback, which the guard refuses
# by default (as tests/test_linkcheck_external.py does).
ALLOW_LOOPBACK = {"LINKCHECK_ALLOW_NETWORKS": ["127.0.0.0/8"], "LINKCHECK_TIMEOUT": 5.0}


def png(color, size=(8, 6)) -> bytes:
    """A small real PNG (deterministic bytes)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


IMAGES = {
    "/s320/rt-queue.png": png((200, 30, 30)),
    "/s320/rt-ticket.png": png((30, 30, 200)),
    "/full/rt-queue.png": png((200, 30, 30), (16, 12)),
    "/not-an-image.png": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
}


class ImageServer:
    """A real HTTP server on one loopback address serving IMAGES (404 else)."""

    def __init__(self, host="127.0.0.2"):
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                body = IMAGES.get(self.path.split("?")[0])
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        threading.Thread(
            target=self.httpd.serve_forever, args=(0.05,), daemon=True
        ).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def scratch_site(tmp: Path) -> Path:
    """A copy of the project's content/ under `tmp` (returns `tmp`)."""
    shutil.copytree(ROOT / "content", tmp / "content")
    return tmp


def export_copy(name: str, folder: Path, images_base: str = "") -> Path:
    """A fixture export copied into `folder`, its image host pointed at a server."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    if images_base:
        text = text.replace("http://images.test", images_base)
    target = folder / name
    target.write_text(text, encoding="utf-8")
    return target


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder: relative path -> bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/fixtures/blogger/expected/NAME; UPDATE_GOLDEN=1 rewrites it."""
    path = EXPECTED / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), (
        f"no golden file {path}: run with UPDATE_GOLDEN=1 and review it"
    )
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"
