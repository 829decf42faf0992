"""One parse per source per command: the reader, codecheck and the prose
check share the tokens cached on each Source (counted by code object in a
fresh process, as tests/test_pipeline_once.py counts reads and checks)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COUNTER = r"""
import collections, json, sys
from pipeline.build import BuildRequest, execute

parses = collections.Counter()

def profile(frame, event, arg):
    code = frame.f_code
    if (event == "call" and code.co_name == "<lambda>"
            and code.co_filename.endswith("plugins/gfm/parser.py")):
        parses[frame.f_locals["s"].path] += 1

settings, output, content, cache = sys.argv[1:5]
sys.setprofile(profile)
# One process and no render cache: every parse happens here, where it is
# counted (a pool parses in its workers; a warm render cache not at all).
result = execute(BuildRequest(settings, output, content=content, mode="check",
                              search=False, overrides={"CODECHECK_CACHE": cache,
                              "BUILD_WORKERS": 1, "BUILD_RENDER_CACHE": False}))
sys.setprofile(None)
print(json.dumps({"parses": parses, "built": result.built,
                  "problems": [p.as_text() for p in result.problems]}), file=sys.stderr)
"""


def parses(site, output, cache) -> Counter:
    done = subprocess.run(
        [sys.executable, "-c", COUNTER, "pelicanconf.py", str(output),
         str(site.content), str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stderr.strip().splitlines()[-1])
    assert found["built"], found["problems"]
    return Counter(found["parses"])


def test_every_source_is_parsed_once_cold_and_cached(site, tmp_path):
    sources = {str(p) for p in site.content.rglob("*.md")}
    for run in ("cold", "warm"):  # codecheck parses cold, reads its cache warm
        counted = parses(site, tmp_path / run, tmp_path / "codecheck-cache")
        assert set(counted) == sources, run
        assert set(counted.values()) == {1}, run
