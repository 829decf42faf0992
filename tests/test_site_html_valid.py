"""Every page of the built site is valid HTML: zero errors from the Nu HTML
Checker (npm `vnu-jar`, run with the machine's java), on the production build
of the real articles plus a fixture season of 25."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HINT = "Nu HTML Checker missing: run `npm ci` (vnu-jar) and install java"


def test_every_page_is_valid_html(production_site):
    built_site = production_site
    java = shutil.which("java")
    if not (java and VNU.exists()):
        if os.environ.get("CI"):
            pytest.fail(HINT)
        pytest.skip(HINT)
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    assert len(pages) > 90
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m['url'].removeprefix('file:')).relative_to(built_site)}:"
        f"{m.get('lastLine', 0)}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []
