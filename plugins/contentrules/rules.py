"""Content rules for untrusted article sources: pure functions, no Pelican.

Pull-request content must not run code in readers' browsers, embed other
sites except a short allow-list, or point at images that live elsewhere.
The source is parsed as Markdown (markdown-it-py, with line maps) and every
raw HTML fragment in it with the standard HTML parser, so each broken rule is
reported at its `path:line`. Code spans and code blocks are never looked at:
an article may show a `<script>` tag as an example.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from plugins.core.problems import display_path, error
from plugins.core.source import parse_header

DEFAULTS = {
    # Hosts an <iframe> may load from (https only), e.g. privacy-friendly embeds.
    "CONTENTRULES_IFRAME_HOSTS": ["www.youtube-nocookie.com", "player.vimeo.com"],
    # Largest image, in bytes.
    "CONTENTRULES_MAX_IMAGE_BYTES": 1024 * 1024,
    # SVG is left out on purpose: opened on its own, an SVG runs its scripts.
    "CONTENTRULES_IMAGE_EXTENSIONS": [".png", ".jpg", ".jpeg", ".gif", ".webp"],
    # Elements that can run code, restyle or take over the page, or post data.
    "CONTENTRULES_FORBIDDEN_TAGS": [
        "object",
        "embed",
        "applet",
        "base",
        "meta",
        "link",
        "style",
        "form",
        "frame",
        "frameset",
    ],
}

# Attributes that hold a URL a browser may follow or load.
URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "xlink:href",
    "srcdoc",
}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
ATTACH = "{attach}"
# Python-Markdown's attr_list syntax `{: onclick="..." }` sets any attribute.
ATTR_LIST_HANDLER_RE = re.compile(r"\{:?[^}\n]*?\bon[a-z]+\s*=", re.IGNORECASE)
TODO_RE = re.compile(r"^TODO\b")


def settings_with_defaults(settings=None) -> dict:
    """The rules' settings: DEFAULTS overridden by whatever `settings` has."""
    merged = dict(DEFAULTS)
    for key in DEFAULTS:
        if settings and settings.get(key) is not None:
            merged[key] = settings[key]
    return merged


@dataclass(frozen=True)
class Finding:
    """A broken rule, at a 1-based line of the checked text (column 0: unknown)."""

    line: int
    column: int
    rule: str
    message: str
    needle: str = ""  # text to look for in the source when the line is unknown


def is_script_url(value: str) -> bool:
    """True for javascript:, vbscript: and HTML data: URLs, however obfuscated."""
    # Browsers ignore whitespace and control characters inside the scheme.
    squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
    return squeezed.startswith(SCRIPT_SCHEMES)


def _iframe_allowed(src: str, hosts) -> bool:
    parts = urlsplit(src.strip())
    return parts.scheme == "https" and (parts.hostname or "") in set(hosts)


class _TagScanner(HTMLParser):
    """Collects findings for the tags and attributes of one HTML fragment."""

    def __init__(self, settings, on_image):
        super().__init__(convert_charrefs=True)
        self.settings = settings
        self.on_image = on_image
        self.findings: list[Finding] = []

    def _add(self, rule, message, needle):
        line, offset = self.getpos()
        self.findings.append(Finding(line, offset + 1, rule, message, needle))

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag == "script":
            self._add("script", "<script> is not allowed in articles", "<script")
        elif tag == "iframe":
            src = dict(attrs).get("src") or ""
            hosts = self.settings["CONTENTRULES_IFRAME_HOSTS"]
            if not _iframe_allowed(src, hosts):
                allowed = ", ".join(hosts) or "none"
                self._add(
                    "iframe",
                    f"<iframe src={src!r} is not allowed: only https embeds from "
                    f"{allowed} (setting CONTENTRULES_IFRAME_HOSTS)",
                    "<iframe",
                )
        elif tag in self.settings["CONTENTRULES_FORBIDDEN_TAGS"]:
            self._add("forbidden-tag", f"<{tag}> is not allowed in articles", f"<{tag}")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self._add(
                    "event-handler",
                    f"inline event handler {name}= on <{tag}> is not allowed",
                    name,
                )
            elif name in URL_ATTRS and value and is_script_url(value):
                self._add(
                    "javascript-url",
                    f"{name}= on <{tag}> is a script URL ({value.strip()[:40]!r})",
                    value.strip()[:10],
                )
        if tag == "img":
            line, offset = self.getpos()
            values = dict(attrs)
            self.on_image(line, offset + 1, values.get("src"), values.get("alt"))

    handle_startendtag = handle_starttag


# A fast path for rendered pages, which are nearly always harmless: a page is
# fully scanned unless every start tag is plainly innocent. Conservative on
# purpose: anything odd (an unparsed "<x", an entity, "script", "data:", an
# attribute that may be an event handler) falls back to the full scan.
_START_TAG = re.compile(r"<[a-zA-Z]")
_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_SUSPECT_ATTRS = re.compile(r"on[^\s=/>]*\s*=|script|data\s*:|&|\\", re.IGNORECASE)


def plainly_harmless(html: str, settings=None) -> bool:
    """True when no start tag could break a rule (then no full scan is needed)."""
    blocked = {"script", "iframe", "img"} | {
        t.lower()
        for t in settings_with_defaults(settings)["CONTENTRULES_FORBIDDEN_TAGS"]
    }
    tags = _TAG.findall(html)
    if len(tags) != len(_START_TAG.findall(html)):
        return False
    return not any(
        name.lower() in blocked or _SUSPECT_ATTRS.search(attrs) for name, attrs in tags
    )


def check_html(html: str, settings=None, on_image=None) -> list[Finding]:
    """Check one HTML fragment; lines are relative to its first line (1)."""
    scanner = _TagScanner(
        settings_with_defaults(settings), on_image or (lambda *args: None)
    )
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    # markdown-it drops javascript: links on its own, Python-Markdown (which
    # builds the site) does not: see every URL as written.
    md.validateLink = lambda url: True
    return md


class ArticleChecker:
    """Checks one Markdown source text; `problems` holds what was found."""

    def __init__(self, path, text: str, settings=None):
        self.path = Path(path)
        self.text = text
        self.settings = settings_with_defaults(settings)
        self.problems = []

    def report(self, line, rule, message, column=0):
        self.problems.append(
            error(str(self.path), line, f"contentrules/{rule}", message, column)
        )

    def run(self) -> list:
        header = parse_header(self.text)
        for field in header.fields.values():
            if TODO_RE.match(field.value):
                self.report(
                    field.line,
                    "todo",
                    f"field '{field.name}' still has its TODO placeholder: "
                    f"{field.value}",
                )
        for token in _markdown().parse(self.text):
            if token.map is None:
                continue
            first = token.map[0] + 1
            if token.type == "html_block":
                self._html(token.content, first)
            elif token.type == "inline":
                if first > header.end_line and token.content.startswith("TODO:"):
                    self.report(
                        first, "todo", f"TODO left in the text: {token.content}"
                    )
                self._inline(token, first)
        self._attr_lists()
        return self.problems

    def _html(self, html, first_line, column=True):
        def on_image(line, col, src, alt):
            self._image(first_line + line - 1, src, alt, col if column else 0)

        for found in check_html(html, self.settings, on_image):
            self.report(
                first_line + found.line - 1,
                found.rule,
                found.message,
                found.column if column else 0,
            )

    def _inline(self, token, line):
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "html_inline":
                self._html(child.content, line, column=False)
                line += child.content.count("\n")
            elif child.type == "link_open":
                href = child.attrs.get("href", "")
                if is_script_url(str(href)):
                    self.report(line, "javascript-url", f"link to a script URL: {href}")
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                if is_script_url(src):
                    self.report(
                        line, "javascript-url", f"image with a script URL: {src}"
                    )
                self._image(line, src, child.content)
            elif child.type == "code_inline":
                continue

    def _attr_lists(self):
        in_fence = False
        for number, line in enumerate(self.text.splitlines(), start=1):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            elif not in_fence and ATTR_LIST_HANDLER_RE.search(line):
                self.report(
                    number,
                    "event-handler",
                    "inline event handler in an attribute list {: on...= } "
                    "is not allowed",
                )

    def _image(self, line, src, alt, column=0):
        if alt is None or not alt.strip():
            self.report(
                line,
                "image-alt",
                f"image {src!r} has no alt text: describe it for readers who "
                "cannot see it, e.g. ![Grafana showing replication lag](...)",
                column,
            )
        if src is None or is_script_url(src):
            return
        # markdown-it percent-encodes URLs ({attach} becomes %7Battach%7D).
        self._image_path(line, unquote(src.strip()), column)

    def _image_path(self, line, src, column):
        folder = self.path.parent
        attach = src.startswith(ATTACH)
        rel = (
            src[len(ATTACH) :] if attach else re.sub(r"^\{(static|filename)\}", "", src)
        )
        parts = urlsplit(rel)
        if parts.scheme or rel.startswith("//"):
            self.report(
                line,
                "image-path",
                f"image {src!r} is loaded from another site: save it beside the "
                f"article (e.g. {folder.as_posix()}/images/) and write "
                f"{ATTACH}images/<name>",
                column,
            )
            return
        relpath = parts.path
        normal = posixpath.normpath(relpath) if relpath else ""
        if not relpath or relpath.startswith("/") or normal.startswith(".."):
            self.report(
                line,
                "image-path",
                f"image {src!r} must be a relative path inside {display_path(folder)}/, "
                f"written {ATTACH}images/<name>",
                column,
            )
            return
        target = folder / normal
        if not target.is_file():
            self.report(
                line, "image-path", f"image not found: {target.as_posix()}", column
            )
            return
        if not attach:
            self.report(
                line,
                "image-path",
                f"write {ATTACH}{normal} so the image is published beside the article",
                column,
            )
        extensions = [e.lower() for e in self.settings["CONTENTRULES_IMAGE_EXTENSIONS"]]
        if target.suffix.lower() not in extensions:
            self.report(
                line,
                "image-type",
                f"image type {target.suffix or '(none)'} is not allowed; use one of "
                f"{', '.join(extensions)}",
                column,
            )
        size = target.stat().st_size
        limit = self.settings["CONTENTRULES_MAX_IMAGE_BYTES"]
        if size > limit:
            self.report(
                line,
                "image-size",
                f"image {normal} is {size / 1024:.0f} KiB; the limit is "
                f"{limit / 1024:.0f} KiB (CONTENTRULES_MAX_IMAGE_BYTES): resize or "
                "compress it",
                column,
            )


def check_text(path, text: str, settings=None) -> list:
    """Check one Markdown source; return its problems."""
    return ArticleChecker(path, text, settings).run()


def check_paths(paths, settings=None) -> list:
    """Check Markdown source files; return every problem, sorted."""
    problems = []
    for path in sorted(paths):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                error(str(path), 1, "contentrules/encoding", f"not UTF-8: {exc}")
            )
            continue
        problems.extend(check_text(path, text, settings))
    return sorted(problems)


def check_rendered(path, html: str, source_text: str, settings=None) -> list:
    """Safety net on the HTML Pelican rendered: report what the source check
    could not see (Markdown dialects differ) against the best source line."""
    problems = []
    if plainly_harmless(html, settings):
        return problems
    lines = source_text.splitlines()
    for found in check_html(html, settings):
        needle = found.needle.lower()
        line = next(
            (n for n, text in enumerate(lines, start=1) if needle in text.lower()), 1
        )
        problems.append(
            error(str(path), line, f"contentrules/{found.rule}", found.message)
        )
    return problems
