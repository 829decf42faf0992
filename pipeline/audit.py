"""`invoke audit`: Lighthouse (npm, pinned) on a production build served on
127.0.0.1, with Debian's Chromium; the four category scores per page."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


class AuditError(Exception):
    pass


def lighthouse_scores(url, chromium) -> tuple[dict, list]:
    """The four category scores out of 100 for `url`, and the audits not passed."""
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": chromium},
    )
    if result.returncode != 0:
        raise AuditError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = sorted(
        audit["title"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return scores, failing


def pages_to_audit(site: Path) -> dict[str, str]:
    """Home, the newest article, search and a person page, when they exist."""
    pages = {"home": ""}
    articles = site.glob("20*/12/day-*.html")
    newest = max(
        articles, key=lambda p: (p.parts[-3], int(p.name.split("-")[1])), default=None
    )
    if newest:
        pages["article"] = newest.relative_to(site).as_posix()
    if (site / "search" / "index.html").exists():
        pages["search"] = "search/"
    person = next(iter(sorted((site / "people").glob("*/index.html"))), None)
    if person:
        pages["person"] = person.parent.relative_to(site).as_posix() + "/"
    return pages


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def run_audit(settings_file, today=None) -> str:
    """Build, serve on 127.0.0.1, run Lighthouse on each page; the score table."""
    from .site import build_site

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise AuditError("Chromium not found: apt-get install chromium")
    if not LIGHTHOUSE.exists():
        raise AuditError("Lighthouse not found: run `make test` or `npm ci`")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "output"
        site.mkdir()
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            # The production build with the local server as its public address;
            # links are not what this audits (they point at a loopback host).
            result = build_site(
                settings_file,
                site,
                today=today,
                search=True,
                overrides={"SITEURL": base, "LINKCHECK_INTERNAL_ON_BUILD": False},
            )
            if not result.ok:
                errors = sum(p.is_error for p in result.problems)
                raise AuditError(f"the build failed ({errors} error(s)): invoke check")
            lines = [f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES)]
            notes = []
            for name, path in pages_to_audit(site).items():
                scores, failing = lighthouse_scores(f"{base}/{path}", chromium)
                lines.append(
                    f"{name:<10}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES)
                )
                notes += [f"  {name}: {title}" for title in failing]
            if notes:
                lines += ["audits not passed:", *notes]
            return "\n".join(lines)
        finally:
            server.shutdown()
