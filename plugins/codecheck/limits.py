"""Bounded code-block checks: no block can take the check down.

Code blocks come from pull requests. 100,000 nested brackets, a 5 MB block, a
parser that recurses without end or loops for minutes must each become one
problem at the block's line ("too large/deep to check"), never a traceback or
a hung `invoke check`. So:

- before a block is parsed, its size and its bracket depth are measured in
  this process (cheap) against CODECHECK_MAX_BLOCK_BYTES / CODECHECK_MAX_DEPTH;
- every checker then runs in a worker process (`python -m
  plugins.codecheck.limits`) with a memory limit (RLIMIT_DATA,
  CODECHECK_MEMORY_LIMIT) and a wall-clock limit per block
  (CODECHECK_BLOCK_TIMEOUT): a block that runs out of time is reported and
  the worker (with any bash or ShellCheck it started) is killed and started
  again for the next block; a RecursionError or MemoryError inside the worker
  is reported the same way, and so is a worker that crashes (a parser in C
  overflowing its stack);
- shell blocks are checked in batches (one bash, one ShellCheck for many
  blocks); a batch that runs out of time is split in halves until the block
  that hangs is found.

`Limits.from_options(options)` reads the settings; `Sandbox` is the worker.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding, ToolMissing

ROOT = Path(__file__).resolve().parents[2]
CHECK = "code/limits"

DEFAULTS = {
    # A larger block is not parsed (a real snippet is a few KB).
    "CODECHECK_MAX_BLOCK_BYTES": 256 * 1024,
    # Deeper nesting of ( [ { is not parsed.
    "CODECHECK_MAX_DEPTH": 100,
    # Seconds of wall-clock time one block may take to check.
    "CODECHECK_BLOCK_TIMEOUT": 20.0,
    # Bytes of memory (RLIMIT_DATA) the checking process may use.
    "CODECHECK_MEMORY_LIMIT": 2 * 1024**3,
}
OPENERS, CLOSERS = "([{", ")]}"
STARTUP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_depth: int
    timeout: float
    memory: int

    @classmethod
    def from_options(cls, options=None) -> Limits:
        """The limits of the CODECHECK_* settings (defaults filled in)."""
        merged = {
            **DEFAULTS,
            **{k: v for k, v in (options or {}).items() if k in DEFAULTS},
        }
        return cls(
            int(merged["CODECHECK_MAX_BLOCK_BYTES"]),
            int(merged["CODECHECK_MAX_DEPTH"]),
            float(merged["CODECHECK_BLOCK_TIMEOUT"]),
            int(merged["CODECHECK_MEMORY_LIMIT"]),
        )


def limit_finding(message: str) -> list[Finding]:
    """The one finding of a block that was not checked because of a limit."""
    return [Finding(0, 0, message, CHECK)]


def bracket_depth(text: str) -> int:
    """The deepest nesting of ( [ { in the text (strings are not skipped:
    a budget, not a parser)."""
    depth = deepest = 0
    for char in text:
        if char in OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in CLOSERS and depth:
            depth -= 1
    return deepest


def cacheable(findings) -> bool:
    """Whether findings may be cached: a limit may not hold on another run
    (a busy machine runs out of time), so blocks that hit one are checked again."""
    return not any(f.check == CHECK for f in findings)


def precheck(text: str, limits: Limits, depth: bool = True) -> list[Finding] | None:
    """The limit finding of a block too large or too deep to parse, else None."""
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes:
        return limit_finding(
            f"code block too large to check: {size:,} bytes, over "
            f"{limits.max_bytes:,} (CODECHECK_MAX_BLOCK_BYTES); shorten it, or "
            "link to the full file"
        )
    levels = bracket_depth(text) if depth else 0
    if levels > limits.max_depth:
        return limit_finding(
            f"code block too deeply nested to check: {levels} levels of brackets, "
            f"over {limits.max_depth} (CODECHECK_MAX_DEPTH)"
        )
    return None


def _timed_out(limits: Limits) -> list[Finding]:
    return limit_finding(
        f"code block took more than {limits.timeout:g} s to check "
        "(CODECHECK_BLOCK_TIMEOUT): it is too large or too deep to check"
    )


class WorkerDied(Exception):
    """The worker process ended without an answer."""


class Sandbox:
    """A worker process that checks blocks under the limits, one at a time.

    Use as a context manager; `check(kind, text)` returns the block's findings
    (or a ToolMissing), `check_shell(texts, exclude)` the findings of many
    shell blocks.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.process: subprocess.Popen | None = None
        self.buffer = b""
        self.jobs = 0  # jobs sent (a shell batch is one)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plugins.codecheck.limits", str(self.limits.memory)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a process group: killed with its children
        )
        self.buffer = b""
        if self._read(STARTUP_TIMEOUT) != {"ready": True}:
            self.close()
            raise WorkerDied("the code-check worker did not start")

    def close(self) -> None:
        """Stop the worker and anything it started."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def _read(self, timeout: float):
        """One JSON line from the worker; None when the time is up."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        handle = self.process.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(handle, selectors.EVENT_READ)
            while b"\n" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    return None
                chunk = os.read(handle, 1 << 16)
                if not chunk:
                    raise WorkerDied("the code-check worker stopped")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def _ask(self, job: dict, timeout: float):
        """Send a job; its answer, or None when it ran out of time (the
        worker is then killed, and started again for the next job)."""
        if self.process is None:
            self._start()
        self.jobs += 1
        try:
            self.process.stdin.write(json.dumps(job).encode("utf-8") + b"\n")
            self.process.stdin.flush()
            answer = self._read(timeout)
        except (BrokenPipeError, WorkerDied):
            self.close()
            raise WorkerDied("the checker crashed on this block") from None
        if answer is None:
            self.close()
        return answer

    def check(self, kind: str, text: str):
        """Findings of one block (or the ToolMissing its checker raised)."""
        early = precheck(text, self.limits)
        if early is not None:
            return early
        try:
            answer = self._ask({"kind": kind, "text": text}, self.limits.timeout)
        except WorkerDied as exc:
            return limit_finding(
                f"code block could not be checked: {exc} (too large or too deep "
                "to check?)"
            )
        if answer is None:
            return _timed_out(self.limits)
        return _decode(answer)

    def check_shell(self, texts: list[str], exclude=()) -> list:
        """Findings of each shell block, `bash -n` and ShellCheck in batches."""
        results: list = [None] * len(texts)
        todo = []
        for index, text in enumerate(texts):
            # Only the size: shell nesting is bash's business, in the worker.
            early = precheck(text, self.limits, depth=False)
            if early is None:
                todo.append(index)
            else:
                results[index] = early
        self._shell_batch(texts, todo, list(exclude), results)
        return results

    def _shell_batch(self, texts, indexes, exclude, results) -> None:
        if not indexes:
            return
        # Two tools, many small files: a batch takes one block's time and a
        # little more per block, unless a block hangs.
        timeout = self.limits.timeout + 0.05 * len(indexes)
        job = {
            "kind": "shell",
            "texts": [texts[i] for i in indexes],
            "exclude": exclude,
        }
        try:
            answer = self._ask(job, timeout)
        except WorkerDied as exc:
            answer = {"crashed": str(exc)}
        if answer is not None and "crashed" not in answer:
            if "missing" in answer:
                for index in indexes:
                    results[index] = ToolMissing(answer["missing"])
                return
            for index, found in zip(indexes, answer["results"], strict=True):
                results[index] = [Finding.from_json(f) for f in found]
            return
        if len(indexes) == 1:
            results[indexes[0]] = (
                _timed_out(self.limits)
                if answer is None
                else limit_finding(
                    f"code block could not be checked: {answer['crashed']}"
                )
            )
            return
        half = len(indexes) // 2
        self._shell_batch(texts, indexes[:half], exclude, results)
        self._shell_batch(texts, indexes[half:], exclude, results)


def _decode(answer: dict):
    if "missing" in answer:
        return ToolMissing(answer["missing"])
    return [Finding.from_json(f) for f in answer["findings"]]


# --- the worker process --------------------------------------------------------


def _run(job: dict) -> dict:
    from .languages import CHECKERS
    from .shell import check_shell
    from .yamlcheck import check_yaml

    try:
        if job["kind"] == "shell":
            found = check_shell(job["texts"], tuple(job["exclude"]))
            return {"results": [[f.to_json() for f in fs] for fs in found]}
        checker = check_yaml if job["kind"] == "yaml" else CHECKERS[job["kind"]]
        return {"findings": [f.to_json() for f in checker(job["text"])]}
    except ToolMissing as exc:
        return {"missing": str(exc)}
    except RecursionError:
        message = "code block too deeply nested to check (the parser ran out of stack)"
    except MemoryError:
        message = (
            "code block too large to check (the parser ran out of memory: "
            "CODECHECK_MEMORY_LIMIT)"
        )
    except subprocess.TimeoutExpired:
        return {"crashed": "the shell tools ran out of time"}
    except Exception as exc:  # a checker's bug must not stop the whole check
        message = f"code block could not be checked: {type(exc).__name__}: {exc}"
    if job["kind"] == "shell":
        return {"crashed": message}
    return {"findings": [f.to_json() for f in limit_finding(message)]}


def main(argv=None) -> None:
    """Serve jobs, one JSON line each, under the memory limit of argv[1]."""
    import resource

    argv = sys.argv[1:] if argv is None else argv
    memory = int(argv[0]) if argv else DEFAULTS["CODECHECK_MEMORY_LIMIT"]
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    from . import languages, yamlcheck  # noqa: F401  (imported before any clock runs)

    out = sys.stdout.buffer
    out.write(b'{"ready": true}\n')
    out.flush()
    for line in sys.stdin.buffer:
        answer = _run(json.loads(line))
        out.write(json.dumps(answer).encode("utf-8") + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
