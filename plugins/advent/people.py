"""The people registry: authors and editors kept once, named by key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core.problems import display_path, error

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ALLOWED_FIELDS = {"name", "handle", "links", "bio", "picture"}
# A person's picture: a raster image file under the content folder.
PICTURE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}


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
        return self.name or f"@{self.handle}"

    @property
    def initials(self) -> str:
        """One or two letters for an avatar without a picture."""
        words = self.display_name.lstrip("@").split()
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

    def __contains__(self, key) -> bool:
        return key in self.people

    def __getitem__(self, key) -> Person:
        return self.people[key]

    def keys(self):
        return self.people.keys()


def _table_lines(text: str) -> dict[str, int]:
    """Line number of each `[key]` table header, for reporting."""
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*\[\s*\"?([^\]\"]+)\"?\s*\]\s*(#.*)?$", line)
        if match:
            lines.setdefault(match.group(1).strip(), number)
    return lines


def load_registry(path) -> tuple[Registry, list]:
    """Read the registry file; return it with the problems found in it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        registry = Registry(display_path(path))
        return registry, [error(path, 0, "advent/people", "people registry not found")]
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
        return registry, [error(path, line, "advent/people", f"invalid TOML: {exc}")]

    problems = []
    lines = _table_lines(text)
    for key, entry in data.items():
        line = lines.get(key, 0)
        if not isinstance(entry, dict):
            problems.append(
                error(path, line, "advent/people", f"{key!r} must be a [table]")
            )
            continue
        if not KEY_RE.match(key):
            problems.append(
                error(
                    path,
                    line,
                    "advent/people",
                    f"key {key!r} must be lowercase letters, digits, '-' or '_'",
                )
            )
        unknown = sorted(set(entry) - ALLOWED_FIELDS)
        if unknown:
            problems.append(
                error(
                    path,
                    line,
                    "advent/people",
                    f"{key}: unknown field(s) {', '.join(unknown)}; "
                    f"allowed: {', '.join(sorted(ALLOWED_FIELDS))}",
                )
            )
        name = entry.get("name", "")
        handle = str(entry.get("handle", "")).lstrip("@")
        if not (name or handle):
            problems.append(
                error(path, line, "advent/people", f"{key}: needs a name or a handle")
            )
        links = entry.get("links", [])
        if isinstance(links, str):
            links = [links]
        picture = entry.get("picture", "")
        if picture:
            found = picture_problem(picture, path.parent)
            if found:
                problems.append(
                    error(path, line, "advent/people", f"{key}: picture {found}")
                )
                picture = ""
        registry.people[key] = Person(
            key=key,
            name=str(name),
            handle=handle,
            links=tuple(links),
            bio=str(entry.get("bio", "")),
            line=line,
            picture=str(picture),
        )
    return registry, problems


def picture_problem(value, content: Path) -> str:
    """What is wrong with a `picture` value ("" when nothing): it must name a
    PNG, JPEG or WebP file inside the content folder, by a relative path."""
    if not isinstance(value, str):
        return "must be a path (a string)"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith("//"):
        return f"{value!r} must be a file in the repository, not a URL"
    if value.startswith(("/", "\\")) or "\\" in value:
        return f"{value!r} must be a relative path with '/' (from content/)"
    suffix = Path(value).suffix.lower()
    if suffix not in PICTURE_TYPES:
        return f"{value!r} must be a {', '.join(sorted(PICTURE_TYPES))} image"
    root = content.resolve()
    target = (content / value).resolve()
    if not target.is_relative_to(root):
        return f"{value!r} is outside the content folder"
    if not target.is_file():
        return f"{value!r} not found under {display_path(content)}/"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(target) as image:
            kind = image.format
            image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        return f"{value!r} is not a readable image ({exc})"
    if kind != PICTURE_TYPES[suffix]:
        return f"{value!r} is a {kind} file, not {PICTURE_TYPES[suffix]}"
    return ""
