"""Read an article's metadata header straight from the Markdown source.

Pelican's reader loses line numbers; authors need them. This parser follows
Python-Markdown's `meta` extension (`Key: value` lines up to the first blank
line, continuation lines indented) and remembers where each field is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
FENCE_RE = re.compile(r"^-{3}\s*$")


@dataclass
class Field:
    name: str
    value: str
    line: int


@dataclass
class Header:
    """The header fields of one source file, by lowercase name."""

    fields: dict[str, Field] = field(default_factory=dict)
    end_line: int = 0  # last line of the header (0 when there is none)
    repeated: list[Field] = field(default_factory=list)
    # A line that ended the header without being blank (0: none): it and
    # every field after it are read as the body.
    stray: int = 0

    def get(self, name: str) -> Field | None:
        return self.fields.get(name)

    def value(self, name: str, default: str = "") -> str:
        found = self.fields.get(name)
        return found.value if found else default

    def line_of(self, name: str) -> int:
        found = self.fields.get(name)
        return found.line if found else 1


def parse_header(text: str) -> Header:
    """Parse the `Key: value` header at the top of a Markdown document."""
    header = Header()
    lines = text.splitlines()
    start = 0
    if lines and FENCE_RE.match(lines[0]):
        start = 1
    current: Field | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        number = index + 1
        if not line.strip() or (start and FENCE_RE.match(line)):
            break
        match = META_RE.match(line)
        if match:
            current = Field(
                match.group("key").lower(), match.group("value").strip(), number
            )
            if current.name in header.fields:
                header.repeated.append(current)
            else:
                header.fields[current.name] = current
            header.end_line = number
            continue
        more = MORE_RE.match(line)
        if more and current is not None:
            current.value = f"{current.value} {more.group('value').strip()}".strip()
            header.end_line = number
            continue
        header.stray = number
        break
    return header


def split_list(value: str) -> list[str]:
    """Split a comma-separated field, dropping empty items."""
    return [item.strip() for item in value.split(",") if item.strip()]


# --- the source model: every file under content/ is read once per command ---

MAX_SOURCE_BYTES = 2_000_000  # SOURCES_MAX_BYTES; a real article is under 100 KB
READ_CHECK = "source/read"
# Characters XML 1.0 cannot hold (C0 controls but tab and line ends, U+FFFE,
# U+FFFF): every feed would refuse the text, and the build would stop
# without naming the file. Terminal colour codes pasted with output are the
# usual source.
_NOT_TEXT = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_TEXT_LINES_SHOWN = 20


@dataclass
class Source:
    """One content file, read once: bytes, text, header, and why it is unusable.

    `text` has a BOM removed and CRLF/CR line ends turned into LF (line numbers
    are unchanged). When the file cannot be used as text, `text` is "" and
    `problems` says why at `path[:line]`; every check then skips it.
    """

    path: str
    data: bytes = b""
    text: str = ""
    kind: str = ""  # "article", "page" or "people" (set by whoever lists it)
    problems: list = field(default_factory=list)
    header: Header = field(default_factory=Header)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def body_line(self) -> int:
        """The 1-based line where the body starts (after the header)."""
        return self.header.end_line + 1

    def body_blanked(self) -> str:
        """The text with its header lines emptied, so body lines keep their numbers."""
        end = self.header.end_line
        if not end:
            return self.text
        lines = self.text.split("\n")
        return "\n" * end + "\n".join(lines[end:])

    def cached(self, key, compute):
        """A value derived from this source, computed once (parsed tokens …)."""
        if key not in self._cache:
            self._cache[key] = compute(self)
        return self._cache[key]


def _first_bad_line(data: bytes, error: UnicodeDecodeError) -> int:
    return data[: error.start].count(b"\n") + 1


def decode(path: str, data: bytes, max_bytes: int = MAX_SOURCE_BYTES) -> Source:
    """A Source from raw bytes; problems instead of exceptions for any bytes."""
    from .problems import error

    source = Source(path=path, data=data)

    def refuse(line, message):
        source.problems.append(error(path, line, READ_CHECK, message))
        return source

    if len(data) > max_bytes:
        return refuse(
            0,
            f"the file is {len(data):,} bytes, over the limit of {max_bytes:,} "
            "(SOURCES_MAX_BYTES): split it or move large data out of the article",
        )
    if not data.strip():
        return refuse(0, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return refuse(1, "the file is UTF-16; save it as UTF-8")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        return refuse(line, "the file holds a NUL byte: it is binary, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return refuse(
            _first_bad_line(data, exc),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _NOT_TEXT.search(text):
        source.problems += control_problems(path, text)
        return source
    source.text = text
    source.header = parse_header(text)
    return source


def control_problems(path: str, text: str) -> list:
    """One error per line holding a character no page or feed can carry
    (the first of the line, at its column), up to a limit, then a count."""
    from .problems import error

    problems, lines = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        found = _NOT_TEXT.search(line)
        if not found:
            continue
        lines += 1
        if lines > _NOT_TEXT_LINES_SHOWN:
            continue
        code = ord(found.group())
        hint = " (a terminal colour code?)" if code == 0x1B else ""
        problems.append(
            error(
                path,
                number,
                READ_CHECK,
                f"control character U+{code:04X}{hint}: no page or feed can hold "
                "it; delete it",
                column=found.start() + 1,
            )
        )
    if lines > _NOT_TEXT_LINES_SHOWN:
        problems.append(
            error(
                path,
                0,
                READ_CHECK,
                f"{lines - _NOT_TEXT_LINES_SHOWN} more line(s) hold control characters",
            )
        )
    return problems


def read_source(path, max_bytes: int = MAX_SOURCE_BYTES) -> Source:
    """Read one file as a Source; never raises for what the file holds.

    Only regular files are read: a symlink, FIFO, device or folder is refused
    by name without being opened (a FIFO would block, a symlink may point
    anywhere on the build machine).
    """
    import os

    from .problems import error

    path = os.fspath(path)
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return Source(path, problems=[error(path, 0, READ_CHECK, _os_error(exc))])
    kind = file_kind(mode)
    if kind:
        message = f"{kind} in the content folder; only regular files may be there"
        return Source(path, problems=[error(path, 0, READ_CHECK, message)])
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                data += handle.read()  # the true size for the message
    except OSError as exc:
        return Source(path, problems=[error(path, 0, READ_CHECK, _os_error(exc))])
    return decode(path, data, max_bytes)


# Markdown is the one source format; the others Pelican could read are refused
# by name (pipeline/sources.py) and are never attachments (plugins/attachments).
SOURCE_EXTENSIONS = (
    ".md",
    ".markdown",
    ".mdown",
    ".mkd",
    ".mkdn",
    ".mdwn",
    ".mdtxt",
    ".rst",
    ".html",
    ".htm",
    ".xhtml",
    ".adoc",
    ".ipynb",
)


def file_kind(mode) -> str:
    """A name for anything that is not a regular file (from `os.lstat`), else ''."""
    import stat

    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device file"


def _os_error(exc: OSError) -> str:
    return f"cannot read the file: {exc.strerror or exc}"


class Sources:
    """Every source a command reads, each read once (keyed by absolute path)."""

    def __init__(self, max_bytes: int = MAX_SOURCE_BYTES):
        self.max_bytes = max_bytes
        self._by_path: dict[str, Source] = {}

    def get(self, path) -> Source:
        import os

        key = os.path.abspath(os.fspath(path))
        found = self._by_path.get(key)
        if found is None:
            found = self._by_path[key] = read_source(key, self.max_bytes)
        return found

    def stored(self, path) -> Source | None:
        """The source of `path` if it was read (never reads it now)."""
        import os

        return self._by_path.get(os.path.abspath(os.fspath(path)))

    def __iter__(self):
        return iter(self._by_path.values())

    def __len__(self):
        return len(self._by_path)
