"""The people registry: authors and editors kept once, named by key.

`content/people.toml` comes from pull requests like articles do, and every
value in it is printed on the site (bylines, person pages, meta tags, feeds,
JSON-LD, social images). It is validated here: types, lengths, key and
handle formats, link schemes (http, https, mailto); each problem is reported
at the line of the offending value, never as a traceback, and a value that
fails is left out of the registry. Templates escape every value anyway.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from plugins.core.problems import display_path, error, printable

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A handle on GitHub, Mastodon (user@host), Bluesky (name.host) and the like.
HANDLE_RE = re.compile(r"^[A-Za-z0-9_.-]+(?:@[A-Za-z0-9.-]+)?$")
ALLOWED_FIELDS = {"name", "handle", "links", "bio", "picture"}
# A person's picture: a raster image file under the content folder.
PICTURE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
LINK_SCHEMES = ("http", "https", "mailto")
MAX_KEY = 64
MAX_NAME = 100
MAX_HANDLE = 64
MAX_BIO = 600
# A picture is shown at 192 px; a larger one only costs the build memory
# (decoding 89 megapixels took 1.1 GB to make a 192 px avatar).
MAX_PICTURE_SIDE = 4096
MAX_LINKS = 10
MAX_LINK = 300
# Controls, line separators and bidirectional overrides: never in a name.
CONTROL_RE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# Where an HTML tokenizer would start a tag or a comment: names are text.
MARKUP_RE = re.compile(r"<[A-Za-z/!?]")
# Characters a link never needs and that break out of an attribute or a tag.
LINK_BREAKERS = set('<>"\\`')
CHECK = "advent/people"


@dataclass(frozen=True)
class Person:
    """An author or editor. Either `name` or `handle` may be missing, not both."""

    key: str
    name: str = ""
    handle: str = ""
    links: tuple[str, ...] = ()
    bio: str = ""
    line: int = 0
    picture: str = ""  # path under the content folder, checked by parse_registry

    @property
    def display_name(self) -> str:
        # An entry with neither (reported as an error) still builds, so that
        # every other check reports too: it shows as its key.
        return self.name or (f"@{self.handle}" if self.handle else self.key)

    @property
    def initials(self) -> str:
        """One or two letters for an avatar without a picture."""
        # A name of only '@' or spaces has no word: the key always has one.
        words = self.display_name.lstrip("@").split() or self.key.split("-")
        letters = words[0][:1] + (words[-1][:1] if len(words) > 1 else "")
        return letters.upper()

    @property
    def picture_url(self) -> str:
        """Where the build writes the picture (see `pictures`), or ""."""
        return f"{self.url}picture.webp" if self.picture else ""

    @property
    def url(self) -> str:
        return f"people/{self.key}/"

    def __str__(self) -> str:
        return self.display_name


@dataclass
class Registry:
    path: str
    people: dict[str, Person] = field(default_factory=dict)
    # False when the file could not be read or parsed at all: nobody's key
    # can then be judged, and the one problem is the file's own.
    complete: bool = True

    def __contains__(self, key) -> bool:
        return key in self.people

    def __getitem__(self, key) -> Person:
        return self.people[key]

    def keys(self):
        return self.people.keys()


_TABLE = re.compile(r"\s*\[\s*(\"[^\"]*\"|'[^']*'|[^\]\s]+)\s*\]\s*(#.*)?$")
_ASSIGN = re.compile(r"\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")


class _Lines:
    """Where keys and values are in the TOML text, for reporting."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.tables: dict[str, int] = {}
        self.fields: dict[tuple[str | None, str], int] = {}
        table = None
        for number, line in enumerate(self.lines, start=1):
            if match := _TABLE.match(line):
                table = match.group(1).strip("\"'")
                self.tables.setdefault(table, number)
            elif match := _ASSIGN.match(line):
                self.fields.setdefault((table, match.group(1).strip("\"'")), number)

    def table(self, key: str) -> int:
        return self.tables.get(key) or self.fields.get((None, key), 0)

    def field(self, key: str, name: str) -> int:
        return self.fields.get((key, name)) or self.table(key)

    def value(self, key: str, name: str, value: str) -> int:
        """The line holding `value` of field `name` (a list may span lines)."""
        start = self.field(key, name)
        for number in range(max(start, 1), len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > start and (_TABLE.match(line) or _ASSIGN.match(line)):
                break
            if value and value in line:
                return number
        return start


def _text_problem(value, limit: int, multiline: bool = False) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if len(value) > limit:
        return f"is {len(value)} characters long; at most {limit}"
    allowed = "\n\t" if multiline else ""
    if any(CONTROL_RE.match(c) and c not in allowed for c in value):
        return "must not contain control characters"
    if MARKUP_RE.search(value):
        return "is plain text, not HTML"
    return None


def link_problem(url) -> str | None:
    """Why `url` cannot be a person's link (None: it can)."""
    problem = _text_problem(url, MAX_LINK)
    if problem:
        return problem
    if url != url.strip() or any(c.isspace() for c in url):
        return "must not contain spaces"
    if LINK_BREAKERS & set(url):
        return "must not contain quotes, backslashes or angle brackets"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in LINK_SCHEMES:
        return "must be an absolute http, https or mailto URL"
    if scheme in ("http", "https") and not re.match(r"^https?://[^/?#\\]+", url, re.I):
        return "must name a host (https://host/...)"
    if scheme in ("http", "https") and "@" in urlsplit(url).netloc:
        # https://github.com@example.org goes to example.org.
        return "must not hold a user name or password before the host"
    return None


def _read(path: Path) -> tuple[str | None, list]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [
            error(
                path,
                0,
                CHECK,
                "people registry not found: create it with a table for every "
                'author and editor, e.g. [jane-doe] then name = "Jane Doe"',
            )
        ]
    except OSError as exc:
        return None, [error(path, 0, CHECK, f"cannot read the registry: {exc}")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(
                path,
                line,
                CHECK,
                f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
            )
        ]


def load_registry(path) -> tuple[Registry, list]:
    """Read the registry file; return it with the problems found in it."""
    path = Path(path)
    text, problems = _read(path)
    if text is None:
        return Registry(display_path(path), complete=False), problems
    return parse_registry(path, text)


def parse_registry(path, text: str) -> tuple[Registry, list]:
    """The registry in `text` (the file at `path`), with its problems."""
    path = Path(path)
    registry = Registry(display_path(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else 0
        registry.complete = False
        return registry, [error(path, line, CHECK, f"invalid TOML: {exc}")]

    problems = []
    where = _Lines(text)
    for key, entry in data.items():
        person, found = _person(key, entry, where, path)
        problems.extend(found)
        if person is not None:
            registry.people[key] = person
    return registry, problems


def _person(key: str, entry, where: _Lines, path) -> tuple[Person | None, list]:
    """One registry entry as a Person (None when its key is unusable), with
    the problems found; values that fail are left out of the Person."""
    line = where.table(key)
    problems = []

    def report(at, message):
        problems.append(error(path, at, CHECK, message))

    shown = printable(key)
    if not isinstance(entry, dict):
        report(line, f"{shown!r} must be a [table]")
        return None, problems
    # The key is part of the person's page URL and file name.
    if not KEY_RE.match(key):
        report(line, f"key {shown!r} must be lowercase letters, digits, '-' or '_'")
        return None, problems
    if len(key) > MAX_KEY:
        report(line, f"key {shown!r} is longer than {MAX_KEY} characters")
        return None, problems
    unknown = sorted(set(entry) - ALLOWED_FIELDS)
    if unknown:
        report(
            line,
            f"{key}: unknown field(s) {printable(', '.join(unknown))}; "
            f"allowed: {', '.join(sorted(ALLOWED_FIELDS))}",
        )

    values = {}
    for name, limit in (("name", MAX_NAME), ("handle", MAX_HANDLE), ("bio", MAX_BIO)):
        if name not in entry:
            continue
        value = entry[name]
        problem = _text_problem(value, limit, multiline=name == "bio")
        if problem is None and name == "handle":
            value = value.lstrip("@")
            if value and not HANDLE_RE.match(value):
                problem = "must be letters, digits, '_', '.', '-' (and @host)"
        if problem:
            report(where.field(key, name), f"{key}: {name} {problem}")
        else:
            values[name] = value.strip()

    links = entry.get("links", [])
    if isinstance(links, str):
        links = [links]
    if not isinstance(links, list):
        report(where.field(key, "links"), f"{key}: links must be a list of URLs")
        links = []
    elif len(links) > MAX_LINKS:
        report(where.field(key, "links"), f"{key}: at most {MAX_LINKS} links")
    kept = []
    for url in links[:MAX_LINKS]:
        problem = link_problem(url)
        if problem:
            at = where.value(key, "links", url if isinstance(url, str) else "")
            report(at, f"{key}: link {printable(str(url))[:60]!r} {problem}")
        else:
            kept.append(url)

    # The picture is published by the build: a raster file under content/.
    picture = entry.get("picture", "")
    if picture:
        problem = picture_problem(picture, Path(path).parent)
        if problem:
            report(where.field(key, "picture"), f"{key}: picture {problem}")
            picture = ""

    if not (values.get("name") or values.get("handle")):
        report(line, f"{key}: needs a name or a handle")
    person = Person(
        key=key,
        name=values.get("name", ""),
        handle=values.get("handle", ""),
        links=tuple(kept),
        bio=values.get("bio", ""),
        line=line,
        picture=picture,
    )
    return person, problems


def picture_problem(value, content: Path) -> str:
    """What is wrong with a `picture` value ("" when nothing): it must name a
    PNG, JPEG or WebP file inside the content folder, by a relative path."""
    if not isinstance(value, str):
        return "must be a path (a string)"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith("//"):
        return f"{printable(value)[:80]!r} must be a file in the repository, not a URL"
    if value.startswith(("/", "\\")) or "\\" in value:
        return f"{printable(value)[:80]!r} must be a relative path with '/' (from content/)"
    suffix = Path(value).suffix.lower()
    if suffix not in PICTURE_TYPES:
        return f"{printable(value)[:80]!r} must be a {', '.join(sorted(PICTURE_TYPES))} image"
    root = content.resolve()
    target = (content / value).resolve()
    if not target.is_relative_to(root):
        return f"{printable(value)[:80]!r} is outside the content folder"
    if not target.is_file():
        return f"{printable(value)[:80]!r} not found under {display_path(content)}/"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(target) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        return f"{printable(value)[:80]!r} is not a readable image ({exc})"
    if kind != PICTURE_TYPES[suffix]:
        return (
            f"{printable(value)[:80]!r} is a {kind} file, not {PICTURE_TYPES[suffix]}"
        )
    if max(width, height) > MAX_PICTURE_SIDE:
        return (
            f"{printable(value)[:80]!r} is {width}x{height} pixels: it is shown at "
            f"192 px, so resize it to at most {MAX_PICTURE_SIDE} px a side"
        )
    return ""
