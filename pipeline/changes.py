"""Which files changed since a git ref: committed, staged, unstaged and new."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    pass


def _git(args, cwd) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def changed_files(ref: str, folder) -> set[Path]:
    """Files changed between `ref` and the working tree, as absolute paths.

    `git diff REF...HEAD` (what the branch changed since it left REF) plus
    uncommitted and untracked files; deleted files are left out.
    """
    top = Path(_git(["rev-parse", "--show-toplevel"], folder).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except GitError:
        raise GitError(
            f"unknown git ref {ref!r}: fetch it first (e.g. git fetch origin main) "
            "or name a commit, branch or tag"
        ) from None
    names = set()
    for args in (
        ["diff", "--name-only", "-z", f"{ref}...HEAD"],
        ["diff", "--name-only", "-z", "HEAD"],
        ["ls-files", "--others", "--exclude-standard", "-z"],
    ):
        names.update(n for n in _git(args, top).split("\0") if n)
    return {(top / name) for name in names if (top / name).exists()}
