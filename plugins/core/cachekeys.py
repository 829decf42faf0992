"""Cache keys that can never be stale: a hash of everything that made a value
(its input, the code that computed it, Python's and the packages' versions).
Shared by the build's render cache (pipeline/cache.py) and codecheck's."""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path


def digest(*parts) -> str:
    """The SHA-256 of `parts` (str or bytes), each ended by a NUL."""
    h = hashlib.sha256()
    for part in parts:
        h.update(
            part
            if isinstance(part, bytes)
            else str(part).encode("utf-8", "surrogatepass")
        )
        h.update(b"\0")
    return h.hexdigest()


def short_digest(data: bytes) -> str:
    """128 bits of the SHA-256 of `data` (hex): names exact bytes (a file's,
    an HTML's) where a key only has to tell them apart. (SHA-256 runs on the
    CPU's SHA extensions on the build machines: twice BLAKE2b's speed.)"""
    return hashlib.sha256(data).hexdigest()[:32]


@cache
def code_version(*modules: str) -> str:
    """A hash of the Python files of the packages `modules` (any edit of the
    code that computes a cached value makes its old entries unreachable)."""
    import importlib.util

    h = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            h.update(f"{name}=missing".encode())
            continue
        root = Path(spec.origin)
        files = (
            sorted(root.parent.rglob("*.py")) if root.name == "__init__.py" else [root]
        )
        for path in files:
            h.update(str(path.relative_to(root.parent)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@cache
def package_versions(*packages: str) -> str:
    """Python's version and each package's installed version."""
    found = [f"python={sys.version}"]
    for name in packages:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)
