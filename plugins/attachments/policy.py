"""What may be published from the content folder: the one policy, as plain logic.

The site's output holds what the site generates (pages, feeds, theme files …)
plus the files that a *published* article or page references from its own
folder (that folder and the folders below it), of an allowed type. Nothing
else from `content/` is ever written.

A reference is judged after every decoding a renderer or Pelican may apply
(`..`, %-escapes, HTML entities, backslashes), and the file it names after
looking at every path component on disk: no symbolic link is ever followed,
the name must be spelt as on disk (case-insensitive disks), hidden files and
article sources are never attachments, and the bytes must be an image of the
type the extension says (magic bytes, then a full parse with Pillow).

No Pelican here: `check_document` takes a source's text, `scan_tree` the
content folder, `copy_attachment` writes one approved file into the output.
"""

from __future__ import annotations

import fnmatch
import functools
import html
import io
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from plugins.core.problems import Problem, display_path, error, warning
from plugins.core.settings import over_defaults
from plugins.core.source import SOURCE_EXTENSIONS, file_kind

from .references import (
    FILE_MARKERS,
    Reference,
    body_text,
    find_references,
    quick_references,
)

DEFAULTS = {
    # Extension (lowercase) -> the image format its bytes must hold. Raster
    # images only: a browser never runs them. SVG, HTML/XHTML, JS, CSS, PDF
    # and text are left out on purpose (script, or a page on the site's origin).
    "ATTACHMENTS_TYPES": {
        ".png": "png",
        ".jpg": "jpeg",
        ".jpeg": "jpeg",
        ".gif": "gif",
        ".webp": "webp",
        ".avif": "avif",
    },
    # Largest file that may be published, in bytes.
    "ATTACHMENTS_MAX_BYTES": 1024 * 1024,
}

OUTSIDE = "attachments/outside"
MISSING = "attachments/missing"
FILE = "attachments/file"
TYPE = "attachments/type"
NAME = "attachments/name"
UNREFERENCED = "attachments/unreferenced"

FORMAT_NAMES = {
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
    "avif": "AVIF",
}
MAX_VARIANTS = 32
# A Markdown backslash escape: a backslash before punctuation stands for it.
MARKDOWN_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def settings_with_defaults(settings=None) -> dict:
    """The ATTACHMENTS_* settings, DEFAULTS filled in."""
    return over_defaults(DEFAULTS, settings)


@dataclass(frozen=True)
class Attachment:
    """A file a source may publish, found through one reference."""

    key: str  # posix path relative to the content folder (Pelican's static key)
    tail: str  # posix path relative to the source's folder
    marker: str  # "attach", "static", "filename" or "" (a plain relative path)
    line: int


@dataclass
class Document:
    """What one source may publish, and what is wrong with its references."""

    path: str
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Every content-relative key a reference was read as (approved or not).
    judged: set[str] = field(default_factory=set)


# --- bytes: what a file holds -------------------------------------------------


def sniff(data: bytes) -> str:
    """The image format the first bytes announce ('' when none of ours)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "avif"
    return ""


def image_problem(data: bytes, kind: str) -> str:
    """Why `data` is not a whole image of `kind` ('' when it is one)."""
    name = FORMAT_NAMES.get(kind, kind)
    if sniff(data) != kind:
        return f"is not a {name} image (its first bytes are not those of a {name})"
    from PIL import Image, UnidentifiedImageError, features

    if kind in ("avif", "webp") and not features.check(kind):
        return ""  # this Pillow cannot parse it: the magic bytes have to do
    try:
        with Image.open(io.BytesIO(data)) as image:
            if (image.format or "").lower() != kind:
                return f"is not a {name} image (Pillow reads {image.format})"
            image.verify()
    except Image.DecompressionBombError:
        return "has too many pixels to be an image for an article"
    except UnidentifiedImageError:
        return f"is not a valid {name} image (Pillow cannot read it)"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"is not a valid {name} image ({exc})"
    return ""


# --- the disk: what a path is, without following anything --------------------


def scan_tree(root) -> tuple[list[str], list[Problem]]:
    """Every regular file under `root` (posix paths relative to it), and an
    error for every symbolic link, FIFO, socket or device: those are never
    followed, opened or published."""
    root = Path(root)
    files: list[str] = []
    problems: list[Problem] = []
    folders = [""]
    while folders:
        rel = folders.pop()
        try:
            entries = sorted(os.scandir(root / rel), key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                error(root / rel, 0, FILE, f"cannot list the folder: {exc.strerror}")
            )
            continue
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                problems.append(error(root / path, 0, FILE, f"cannot read: {exc}"))
                continue
            if stat.S_ISDIR(mode):
                folders.append(path)
            elif stat.S_ISREG(mode):
                files.append(path)
            else:
                problems.append(
                    error(
                        root / path,
                        0,
                        FILE,
                        f"{file_kind(mode)} in the content folder: it is never followed "
                        "or published; only regular files and folders may be there",
                    )
                )
    return sorted(files), problems


def walk_exact(root, key: str) -> tuple[str, str]:
    """Look at every component of `key` under `root` without following links.

    Returns (problem, spelling): problem is '' for a regular file; spelling is
    the on-disk name when the case differs (case-insensitive disks).
    """
    current = Path(root)
    parts = key.split("/")
    for index, part in enumerate(parts):
        shown = "/".join(parts[: index + 1])
        try:
            names = os.listdir(current)
        except OSError:
            return "missing", ""
        if part not in names:
            folded = [n for n in names if n.casefold() == part.casefold()]
            if folded:
                return "case", "/".join(
                    [*parts[:index], folded[0], *parts[index + 1 :]]
                )
            return "missing", ""
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return "missing", ""
        last = index == len(parts) - 1
        if stat.S_ISLNK(mode) or (not last and not stat.S_ISDIR(mode)):
            return f"{shown}|{file_kind(mode) or 'a file'}", ""
        if last and not stat.S_ISREG(mode):
            return f"{shown}|{file_kind(mode)}", ""
    return "", ""


# --- references: where they point ---------------------------------------------


def variants(path: str) -> list[str]:
    """The path and every decoding of it (%-escapes, HTML entities, Markdown
    backslash escapes, in any order and depth, backslashes as slashes),
    as-written first."""
    found = [path]
    index = 0
    while index < len(found) and len(found) < MAX_VARIANTS:
        current = found[index]
        for decoded in (
            unquote(current),
            html.unescape(current),
            current.replace("\\", "/"),
            MARKDOWN_ESCAPE_RE.sub(r"\1", current),
        ):
            if decoded not in found:
                found.append(decoded)
        index += 1
    return found


def _quoted(url: str) -> str:
    return f"'{url}'"


def _candidates(folder: str, target: str) -> list[str]:
    """Normalised content-relative keys for every reading of a target: each
    decoding, without its ?query and #fragment, and whole (a name may hold
    them), in the order Pelican tries them (as written, unquoted, unescaped)."""
    keys = []
    for variant in variants(target):
        path = urlsplit(variant).path
        for reading in (path, variant):
            if reading:
                key = _normal(folder, reading)
                if key not in keys:
                    keys.append(key)
    return keys


def _inside(key: str, folder: str) -> bool:
    """Whether a normalised content-relative key lies in `folder` ('' = root)."""
    if key == ".." or key.startswith("../") or key.startswith("/"):
        return False
    return not folder or key.startswith(folder + "/")


def _normal(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/") or ".")
    return posixpath.normpath(posixpath.join(folder, target) if folder else target)


class Judge:
    """Judges the references of the sources under one content folder."""

    def __init__(self, root, settings=None, source_extensions=SOURCE_EXTENSIONS):
        self.root = Path(root)
        self.settings = settings_with_defaults(settings)
        self.types = {
            k.lower(): v for k, v in self.settings["ATTACHMENTS_TYPES"].items()
        }
        self.max_bytes = self.settings["ATTACHMENTS_MAX_BYTES"]
        self.source_extensions = tuple(e.lower() for e in source_extensions)

    @functools.cache  # noqa: B019 (one Judge per build)
    def _folder_shown(self, folder: str) -> str:
        return display_path(os.path.normpath(self.root / folder)) + "/"

    def shown(self, key: str) -> str:
        """A content-relative key as authors see it (content/2017/x.png)."""
        return display_path(os.path.normpath(self.root / key))

    def check_document(
        self, path, text: str, body_start: int = 1, noun: str = "article", quick=None
    ) -> Document:
        """Judge every reference of one source; return what it may publish.

        `quick`: `quick_references` of the body if already known (a parse
        fact of the pre-render stage: {"refs": [...] or None})."""
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(self.root))
        folder = rel.parent.as_posix()
        folder = "" if folder == "." else folder
        document = Document(str(path))
        # A quick look first: most sources name no file and need no parse.
        quick = (
            quick_references(body_text(text, body_start))
            if quick is None
            else quick["refs"]
        )
        if quick is not None and all(
            self._judge(ref, folder, noun) is None for ref in quick
        ):
            return document
        for ref in find_references(text, body_start):
            for key in _candidates(folder, ref.target.strip()):
                # Pelican's own spelling of a key climbs no higher than "/".
                clamped = os.path.relpath(
                    os.path.abspath(os.path.join(self.root, key)), self.root
                )
                document.judged.update((key, clamped.replace(os.sep, "/")))
            found = self._judge(ref, folder, noun)
            if isinstance(found, Attachment):
                document.attachments.append(found)
            elif found:
                document.problems.append(error(path, ref.line, found[0], found[1]))
        # One way of reading a line that leaves the folder is the whole story;
        # a reading that finds no file there is a side effect of the escape.
        outside = {p.line for p in document.problems if p.check == OUTSIDE}
        document.problems = [
            p for p in document.problems if p.check != MISSING or p.line not in outside
        ]
        return document

    def _judge(self, ref: Reference, folder: str, noun: str):
        """An Attachment, (check, message) for a problem, or None (not a file)."""
        marker = ref.marker
        written = _quoted(ref.url)
        folder_shown = self._folder_shown(folder)
        if marker and marker not in FILE_MARKERS:
            return None  # {tag}, {category}, {author}, {index}: generated pages
        target = ref.target.strip()
        parts = urlsplit(html.unescape(target))
        if marker:
            if parts.scheme or target.startswith("//"):
                return (
                    FILE,
                    f"{written}: {{{marker}}} takes a path inside {folder_shown}, "
                    "not a URL",
                )
            if not parts.path:
                if marker == "filename" and (parts.fragment or parts.query):
                    return None  # this very page
                return (MISSING, f"{written} names no file")
        elif parts.scheme or target.startswith(("//", "#")) or not parts.path:
            return None  # another site, an anchor, or a mail address: not a file
        elif target.startswith("/"):
            return None  # a page of the site, from its root: not a file
        candidates = _candidates(folder, target)
        if marker == "filename":
            return self._judge_filename(ref, folder, candidates, noun, folder_shown)
        if not marker:
            return self._judge_plain(ref, folder, candidates, noun, folder_shown)
        for key in candidates:
            if not _inside(key, folder):
                return (OUTSIDE, self._outside(written, noun, folder_shown))
        return self._file(ref, folder, candidates, marker, noun)

    def _outside(self, written, noun, folder_shown) -> str:
        return (
            f"{written} points outside {folder_shown}, the folder of this {noun}: "
            "only files in that folder (or below it) are published; store the "
            "file there and write {attach}images/<name>"
        )

    def _judge_filename(self, ref, folder, candidates, noun, folder_shown):
        written = _quoted(ref.url)
        for key in candidates:
            if not _inside(key, ""):
                return (
                    OUTSIDE,
                    f"{written} points outside the content folder "
                    f"{display_path(self.root)}/: {{filename}} links other "
                    "articles and pages of the site",
                )
        for key in candidates:
            if key.lower().endswith(self.source_extensions):
                return None  # an article or a page: Pelican links its URL
        if any(os.path.lexists(self.root / key) for key in candidates):
            # Pelican falls back to a published file: the same rules as {static}.
            if not all(_inside(key, folder) for key in candidates):
                return (OUTSIDE, self._outside(written, noun, folder_shown))
            return self._file(ref, folder, candidates, "filename", noun)
        return None  # a missing page: the link checker reports it

    def _judge_plain(self, ref, folder, candidates, noun, folder_shown):
        """A relative path without a marker names a file only when one is there."""
        written = _quoted(ref.url)
        for key in candidates:
            path = os.path.normpath(self.root / key)
            if not _inside(key, folder) and os.path.lexists(path):
                if os.path.isdir(path) and not os.path.islink(path):
                    continue  # a folder: a link to a page of the site
                return (OUTSIDE, self._outside(written, noun, folder_shown))
        for key in candidates:
            if not _inside(key, folder):
                continue
            path = self.root / key
            if not os.path.lexists(path) or (
                os.path.isdir(path) and not os.path.islink(path)
            ):
                continue
            if key.lower().endswith(self.source_extensions):
                return None  # a source: the link checker says the link is broken
            return self._file(ref, folder, [key], "", noun)
        return None  # a page of the site, written as a relative URL

    def _file(self, ref: Reference, folder: str, candidates, marker: str, noun: str):
        """The Attachment for the first candidate that is a file, or a problem."""
        written = _quoted(ref.url)
        chosen = next(
            (k for k in candidates if os.path.lexists(self.root / k)), None
        ) or next(
            (k for k in candidates if walk_exact(self.root, k)[0] == "case"), None
        )
        if chosen is None or chosen == ".":
            return (MISSING, f"{written}: no such file {self.shown(candidates[0])}")
        problem, spelling = walk_exact(self.root, chosen)
        if problem == "case":
            tail = spelling[len(folder) + 1 :] if folder else spelling
            return (
                NAME,
                f"{written}: write the name as it is spelt on disk: {tail}",
            )
        if problem == "missing":
            return (MISSING, f"{written}: no such file {self.shown(chosen)}")
        if problem:
            where, kind = problem.split("|", 1)
            if kind == "a folder":
                return (FILE, f"{written}: {self.shown(where)} is a folder, not a file")
            hint = "; commit the file itself" if kind == "a symbolic link" else ""
            return (
                FILE,
                f"{written}: {self.shown(where)} is {kind}, which is never "
                f"followed or published{hint}",
            )
        tail = chosen[len(folder) + 1 :] if folder else chosen
        if any(part.startswith(".") for part in tail.split("/")):
            return (
                FILE,
                f"{written}: hidden files (names starting with '.') are never published",
            )
        suffix = posixpath.splitext(chosen)[1].lower()
        if suffix in self.source_extensions:
            return (
                FILE,
                f"{written}: {self.shown(chosen)} is an article or page source, not a "
                f"file to publish: link it with {{filename}}{tail}",
            )
        if suffix not in self.types:
            allowed = ", ".join(sorted(self.types))
            return (
                TYPE,
                f"{written}: {suffix or 'files without an extension'} "
                f"{'files are' if suffix else 'are'} never published; only "
                f"images are: {allowed}",
            )
        size = os.lstat(self.root / chosen).st_size
        if size > self.max_bytes:
            return (
                TYPE,
                f"{written}: {self.shown(chosen)} is {size:,} bytes, over the limit "
                f"of {self.max_bytes:,} (ATTACHMENTS_MAX_BYTES): resize or compress it",
            )
        data, why = read_regular(self.root / chosen, self.max_bytes)
        if why:
            return (FILE, f"{written}: {self.shown(chosen)} {why}")
        bad = image_problem(data, self.types[suffix])
        if bad:
            return (TYPE, f"{written}: {self.shown(chosen)} {bad}")
        return Attachment(chosen, tail, marker, ref.line)


def read_regular(path, max_bytes: int) -> tuple[bytes, str]:
    """The bytes of a regular file, opened without following a link and
    without blocking on a FIFO; (b'', why) when it is not one."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return b"", f"cannot be read ({exc.strerror})"
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            return b"", f"is {file_kind(mode)}, which is never published"
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(handle, 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            return b"", f"is over the limit of {max_bytes:,} bytes"
        return b"".join(chunks), ""
    finally:
        os.close(handle)


# --- files nobody references ---------------------------------------------------


def ignored(rel: str, patterns) -> bool:
    """Whether any component of a content-relative path matches IGNORE_FILES."""
    return any(
        fnmatch.fnmatch(part, pattern)
        for part in rel.split("/")
        for pattern in patterns
    )


def unreferenced(
    root, files, documents, ignore_patterns=(), source_extensions=SOURCE_EXTENSIONS
) -> list[Problem]:
    """A warning for each file under `root` that no source references: it is
    not published."""
    referenced = {a.key for d in documents for a in d.attachments}
    # A file a reference names but the policy refused is not "unreferenced":
    # the error at that reference already says why it is not published.
    named = {key.lower() for d in documents for key in d.judged}
    extensions = tuple(e.lower() for e in source_extensions)
    problems = []
    for rel in files:
        if (
            rel in referenced
            or rel.lower() in named
            or rel.lower().endswith(extensions)
        ):
            continue
        if ignored(rel, ignore_patterns):
            continue
        problems.append(
            warning(
                Path(root) / rel,
                0,
                UNREFERENCED,
                "no article or page references this file, so it is not published "
                "(attach it with {attach}<path>, or remove it)",
            )
        )
    return problems


# --- writing: the one place a content file reaches the output ----------------


def copy_attachment(root, key: str, output, dest: str, settings=None) -> str:
    """Copy the approved file `key` (relative to `root`) to `dest` (relative
    to `output`); '' when done, else why it was not.

    Everything is checked again on the bytes actually copied: no link
    followed on either side, the destination inside `output` and not yet
    written (the site's own files are never replaced), the type.
    """
    options = settings_with_defaults(settings)
    types = {k.lower(): v for k, v in options["ATTACHMENTS_TYPES"].items()}
    dest = posixpath.normpath(dest.replace("\\", "/"))
    if dest.startswith(("/", "../")) or dest in (".", ".."):
        return f"its destination {dest!r} is outside the output folder"
    problem, _ = walk_exact(root, key)
    if problem:
        return f"{key} is no longer a regular file"
    suffix = posixpath.splitext(key)[1].lower()
    if suffix not in types or posixpath.splitext(dest)[1].lower() != suffix:
        return f"{key} is not of a type that may be published"
    data, why = read_regular(Path(root) / key, options["ATTACHMENTS_MAX_BYTES"])
    if why or image_problem(data, types[suffix]):
        return f"{key} {why or 'is not the image it was'}"
    folder = Path(output)
    for part in dest.split("/")[:-1]:
        folder = folder / part
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        if os.path.islink(folder) or not os.path.isdir(folder):
            return f"the output path {dest} crosses a link or a file"
    # O_EXCL: the output is a fresh folder, so a file already there is one the
    # site wrote itself (a social image, a person's picture): never replaced.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(folder / posixpath.basename(dest), flags, 0o644)
    except FileExistsError:
        return f"the site writes {dest} itself"
    except OSError as exc:
        return f"cannot write {dest}: {exc.strerror}"
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return ""
