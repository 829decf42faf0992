"""Content rules for untrusted article sources: pure functions, no Pelican.

Pull-request content must not run code in readers' browsers, embed other
sites except a short allow-list, or point at images that live elsewhere.
The rules read the site's own Markdown parse (`plugins.gfm.parser`, the
tokens the page is rendered from, with line maps), and every raw HTML
fragment in it with html5lib, a parser that follows the HTML
standard as browsers do (comments such as `<!-->`, CDATA outside SVG,
raw-text elements like `<textarea>` and `<noscript>`, SVG and MathML), so
each broken rule is reported at its `path:line` where a browser would see
it. Header fields are plain text and are checked for markup too. Code spans
and code blocks are never looked at: an article may show a `<script>` tag as
an example.

These rules tell authors what is wrong; the sanitize plugin is what
guarantees the published HTML.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from html5lib import html5parser
from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import namespaces, tokenTypes

from plugins.core.problems import Problem, display_path, error, printable, warning
from plugins.core.settings import over_defaults
from plugins.core.source import parse_header
from plugins.sanitize.urls import (
    EMBED_HOSTS,
    LINK_SCHEMES,
    SAFE_SLUG,
    embed_url,
    is_script_url,
    scheme_of,
    srcset_urls,
)

DEFAULTS = {
    # Hosts an <iframe> may load from (https only), e.g. privacy-friendly embeds.
    "CONTENTRULES_IFRAME_HOSTS": list(EMBED_HOSTS),
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
    "ping",
    "longdesc",
    "manifest",
    "icon",
}
SRCSET_ATTRS = {"srcset", "imagesrcset"}
# SVG animation elements can set an attribute (href) to a script URL.
SVG_ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform"}
FOREIGN = {namespaces["svg"]: "svg", namespaces["mathml"]: "math"}
ATTACH = "{attach}"
# Python-Markdown's attr_list syntax `{: onclick="..." }` sets any attribute.
ATTR_LIST_HANDLER_RE = re.compile(r"\{:?[^}\n]*?\bon[a-z]+\s*=", re.IGNORECASE)
TODO_RE = re.compile(r"^TODO\b")
# Where the HTML tokenizer starts a tag, an end tag, a comment or a bogus
# comment: "<" then a letter, "/", "!" or "?" ("a < b" stays text).
MARKUP_RE = re.compile(r"<[A-Za-z/!?]")


def scheme_problem(url: str) -> str:
    """Why a link with this URL is removed from the page ("" if it is not)."""
    scheme = scheme_of(url)
    if scheme is None or scheme in LINK_SCHEMES:
        return ""
    return (
        f"the {printable(scheme)}: scheme is removed from the published page; "
        "links may be http, https, mailto or relative"
    )


def settings_with_defaults(settings=None) -> dict:
    """The rules' settings: DEFAULTS overridden by whatever `settings` has."""
    return over_defaults(DEFAULTS, settings)


@dataclass(frozen=True)
class Finding:
    """A broken rule, at a 1-based line of the checked text (column 0: unknown)."""

    line: int
    column: int
    rule: str
    message: str
    needle: str = ""  # text to look for in the source when the line is unknown
    severity: str = "error"


_START_TAGS = {tokenTypes["StartTag"], tokenTypes["EmptyTag"]}


class _Tokenizer(HTMLTokenizer):
    """html5lib's tokenizer, noting where each start tag begins."""

    def __init__(self, stream, parser=None, **kwargs):
        super().__init__(stream, parser=parser, **kwargs)
        self.start_tags: list[dict] = []
        self._open = (1, 1)

    def tagOpenState(self):
        # Just after the "<": its line, and its 1-based column.
        self._open = self.stream.position()
        return super().tagOpenState()

    def emitCurrentToken(self):
        token = self.currentToken
        if token["type"] in _START_TAGS:
            token["position"] = self._open
            self.start_tags.append(token)
        super().emitCurrentToken()


class _Parser(html5parser.HTMLParser):
    """html5lib's parser with the tokenizer above (html5lib 1.1 builds its
    tokenizer in `_parse`; this is that method with the class swapped)."""

    def _parse(self, stream, innerHTML=False, container="div", scripting=False, **kw):
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _Tokenizer(stream, parser=self, **kw)
        self.reset()
        try:
            self.mainLoop()
        except html5parser._ReparseException:
            self.reset()
            self.mainLoop()


def start_tags(html: str) -> list[tuple[str, str, dict[str, str], tuple[int, int]]]:
    """Every start tag a browser's parser sees in an HTML fragment, in order:
    (name, "html"/"svg"/"math", attributes, (line, column)). Markup that
    browsers read as text (inside comments, `<textarea>`, `<noscript>`, ...)
    is not a tag; character references in values are decoded."""
    parser = _Parser(namespaceHTMLElements=False)
    # Scripting on, as in readers' browsers: <noscript> holds raw text.
    parser.parseFragment(html, container="div", scripting=True)
    tags = []
    for token in parser.tokenizer.start_tags:
        attributes = {}
        for key, value in token["data"].items():
            # Foreign attributes come as (prefix, name, namespace).
            name = ":".join(p for p in key[:2] if p) if isinstance(key, tuple) else key
            attributes[name.lower()] = value
        space = FOREIGN.get(token.get("namespace"), "html")
        tags.append((token["name"].lower(), space, attributes, token["position"]))
    return tags


class _TagChecker:
    """Collects findings for the start tags of one HTML fragment."""

    def __init__(self, settings, on_image):
        self.settings = settings
        self.on_image = on_image
        self.findings: list[Finding] = []

    def _add(self, position, rule, message, needle, severity="error"):
        line, column = position
        self.findings.append(Finding(line, column, rule, message, needle, severity))

    def check(self, html: str) -> list[Finding]:
        in_foreign = False
        for tag, space, attributes, position in start_tags(html):
            if space != "html" and not in_foreign:
                in_foreign = True
                self._add(
                    position,
                    "forbidden-tag",
                    f"inline <{tag}> is not allowed in articles (SVG and MathML "
                    "can run script): save a drawing as a PNG beside the article",
                    f"<{tag}",
                )
            elif space == "html":
                in_foreign = False
            self._tag(tag, space, attributes, position)
        return self.findings

    def _tag(self, tag, space, attributes, position):
        if tag == "script":
            self._add(
                position, "script", "<script> is not allowed in articles", "<script"
            )
        elif tag == "iframe" and space == "html":
            src = attributes.get("src") or ""
            hosts = self.settings["CONTENTRULES_IFRAME_HOSTS"]
            if embed_url(src, hosts) is None:
                allowed = ", ".join(hosts) or "none"
                self._add(
                    position,
                    "iframe",
                    f"<iframe src={printable(src)!r} is not allowed: only https "
                    f"embeds from {allowed} (setting CONTENTRULES_IFRAME_HOSTS)",
                    "<iframe",
                )
        elif space == "html" and tag in self.settings["CONTENTRULES_FORBIDDEN_TAGS"]:
            self._add(
                position,
                "forbidden-tag",
                f"<{tag}> is not allowed in articles",
                f"<{tag}",
            )
        if tag in SVG_ANIMATIONS and space == "svg":
            target = attributes.get("attributename", "").strip().lower()
            if target.endswith("href"):
                self._add(
                    position,
                    "svg-animation",
                    f"<{tag} attributeName={target}> can turn a link into a script URL",
                    f"<{tag}",
                )
        for name, value in attributes.items():
            self._attribute(tag, name, value, position)
        if tag == "img" and space == "html":
            self.on_image(
                position[0], position[1], attributes.get("src"), attributes.get("alt")
            )

    def _attribute(self, tag, name, value, position):
        if name.startswith("on"):
            self._add(
                position,
                "event-handler",
                f"inline event handler {name}= on <{tag}> is not allowed",
                name,
            )
        elif name == "srcdoc":
            self._add(
                position,
                "srcdoc",
                f"srcdoc= on <{tag}> is not allowed: it runs as part of this site",
                "srcdoc",
            )
        elif name == "style":
            self._add(
                position,
                "style",
                f"style= on <{tag}> is removed from the published page "
                "(the site's stylesheet styles articles)",
                "style",
                "warning",
            )
        elif name in URL_ATTRS or (tag in SVG_ANIMATIONS and name in ANIMATED):
            if value and is_script_url(value):
                self._script_url(tag, name, value, position)
            elif value and name in URL_ATTRS and tag != "img":
                self._scheme(tag, name, value, position)
        elif name in SRCSET_ATTRS and value:
            for url in srcset_urls(value):
                if is_script_url(url):
                    self._script_url(tag, name, url, position)

    def _scheme(self, tag, name, value, position):
        message = scheme_problem(value)
        if message:
            self._add(position, "link-scheme", f"{name}= on <{tag}>: {message}", name)

    def _script_url(self, tag, name, value, position):
        shown = printable(value.strip()[:40])
        self._add(
            position,
            "javascript-url",
            f"{name}= on <{tag}> is a script URL ({shown!r}); links may be "
            "http, https, mailto or relative",
            value.strip()[:10],
        )


# The values an SVG animation gives the attribute it animates.
ANIMATED = {"values", "to", "from", "by"}


# A fast path for rendered pages, which are nearly always harmless: a page is
# fully scanned unless every start tag is plainly innocent. Conservative on
# purpose: anything odd (an unparsed "<x", an entity, "script", "data:", an
# attribute that may be an event handler) falls back to the full scan.
_START_TAG = re.compile(r"<[a-zA-Z]")
_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
# "script" only before a colon (a javascript:/vbscript: scheme, controls and
# spaces allowed between): a link to https://example.org/scripts/ is harmless.
_SUSPECT_ATTRS = re.compile(
    r"on[^\s=/>]*\s*=|script[\x00-\x20]*:|data\s*:|srcdoc|&|\\", re.IGNORECASE
)


def plainly_harmless(html: str, settings=None) -> bool:
    """True when no start tag could break a rule (then no full scan is needed)."""
    # Not <img>: here nothing checks images beyond their attributes (their
    # alt text and path are the source check's, on the same parse), and an
    # attribute that could run script is caught below like on any tag.
    blocked = {"script", "iframe", "svg", "math"} | {
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
    checker = _TagChecker(
        settings_with_defaults(settings), on_image or (lambda *args: None)
    )
    return checker.check(html)


# A Markdown link whose URL the parser refused (javascript:, vbscript:,
# data:) stays text on the page; the author is still told. Destinations of
# inline links, autolinks and reference definitions, in text tokens only
# (a code span may show such a link on purpose).
REFUSED_LINK_RES = (
    re.compile(r"\]\(\s*<?\s*(?P<url>[^\s)>]+)"),
    re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>"),
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)"),
)


class ArticleChecker:
    """Checks one Markdown source text; `problems` holds what was found."""

    def __init__(self, path, text: str, settings=None, tokens=None):
        self.path = Path(path)
        self.text = text
        self.settings = settings_with_defaults(settings)
        self.tokens = tokens
        self.problems = []
        # (line, src, column) of every image: checked against the files
        # beside the article by `check_images`, apart from the parse.
        self.images: list[tuple[int, str, int]] = []

    def report(self, line, rule, message, column=0, severity="error"):
        make = warning if severity == "warning" else error
        self.problems.append(
            make(str(self.path), line, f"contentrules/{rule}", message, column)
        )

    def run(self) -> list:
        """Every problem: those of the text, then those of its images."""
        self.scan()
        self.problems.extend(check_images(self.path, self.images, self.settings))
        return self.problems

    def scan(self) -> list:
        """The problems the text itself shows (images are only collected)."""
        header = parse_header(self.text)
        for field in header.fields.values():
            if TODO_RE.match(field.value):
                self.report(
                    field.line,
                    "todo",
                    f"field '{field.name}' still has its TODO placeholder: "
                    f"{field.value}",
                )
            self._header_field(field)
        # Every raw HTML piece is put on its own source line of one "shadow"
        # document, parsed once: a browser reads the raw HTML of the whole
        # page in one context (a <textarea> or <noscript> opened in one block
        # holds the next ones as text). Markdown text is left out (escaped, it
        # never makes a tag), code too.
        shadow: dict[int, list[str]] = {}
        block_lines: set[int] = set()
        if self.tokens is None:
            from plugins.gfm.parser import parse

            self.tokens = parse(self.text)
        for token in self.tokens:
            if token.map is None:
                continue
            first = token.map[0] + 1
            if token.map[1] <= header.end_line:
                continue  # the header: its fields are checked above
            if token.type == "html_block":
                lines = _place(shadow, first, token.content)
                block_lines.update(lines)
            elif token.type == "inline":
                if first > header.end_line and token.content.startswith("TODO:"):
                    self.report(
                        first, "todo", f"TODO left in the text: {token.content}"
                    )
                html = self._inline(token, first)
                if html:
                    _place(shadow, first, html)
        if shadow:
            last = max(shadow)
            document = "\n".join(
                " ".join(shadow.get(n, [])) for n in range(1, last + 1)
            )
            self._html(document, 1, block_lines)
        self._attr_lists()
        return self.problems

    def _header_field(self, field):
        """Header fields are plain text (the summary: Markdown without HTML)."""
        markup = MARKUP_RE.search(field.value)
        if markup:
            snippet = printable(field.value[markup.start() : markup.start() + 40])
            self.report(
                field.line,
                "header-markup",
                f"field '{field.name}' is plain text, not HTML: remove {snippet!r} "
                "(write < as it is only when no letter follows it)",
            )
        if (
            field.name == "slug"
            and field.value
            and not SAFE_SLUG.fullmatch(field.value)
        ):
            self.report(
                field.line,
                "slug",
                f"slug {printable(field.value)!r} must be lowercase letters and "
                "digits joined by '-' (or '.', '_'): it becomes the page's URL",
            )

    def _html(self, html, first_line, column_lines=()):
        """Check an HTML fragment starting at `first_line`; columns are given
        on `column_lines` (HTML blocks, where they match the source)."""

        def on_image(line, col, src, alt):
            line = first_line + line - 1
            self._image(line, src, alt, col if line in column_lines else 0)

        for found in check_html(html, self.settings, on_image):
            line = first_line + found.line - 1
            column = found.column if line in column_lines else 0
            self.report(line, found.rule, found.message, column, found.severity)

    def _inline(self, token, line) -> str:
        """Check the links and images of a paragraph; return its raw HTML
        with the Markdown text escaped (code spans left out), or "" when it
        has no raw HTML, so a tag split into several inline pieces
        (`<noscript>`, `<p title="</noscript>…">`) is read in its context."""
        pieces = []
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
                pieces.append("\n")
            elif child.type == "text":
                pieces.append(escape(child.content, quote=False))
                self._refused_links(line, child.content)
            elif child.type == "html_inline":
                pieces.append(child.content)
                line += child.content.count("\n")
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                # The parser percent-encodes URLs: judge them as written.
                if is_script_url(href) or is_script_url(unquote(href)):
                    self.report(line, "javascript-url", f"link to a script URL: {href}")
                elif scheme_problem(href):
                    self.report(line, "link-scheme", f"link: {scheme_problem(href)}")
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                if is_script_url(src) or is_script_url(unquote(src)):
                    self.report(
                        line, "javascript-url", f"image with a script URL: {src}"
                    )
                self._image(line, src, child.content)
        if any(child.type == "html_inline" for child in token.children or []):
            return "".join(pieces)
        return ""

    def _refused_links(self, line, text):
        """A link the parser refused for its URL is shown as text: say so."""
        for pattern in REFUSED_LINK_RES:
            for match in pattern.finditer(text):
                url = match.group("url")
                if is_script_url(url):
                    self.report(line, "javascript-url", f"link to a script URL: {url}")

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
        self.images.append((line, unquote(src.strip()), column))


def _image_problems(path: Path, line, src, column, settings, report):
    """What is wrong with one image of the article at `path` (files checked)."""
    folder = path.parent
    attach = src.startswith(ATTACH)
    rel = src[len(ATTACH) :] if attach else re.sub(r"^\{(static|filename)\}", "", src)
    parts = urlsplit(rel)
    if parts.scheme or rel.startswith("//"):
        report(
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
        report(
            line,
            "image-path",
            f"image {src!r} must be a relative path inside {display_path(folder)}/, "
            f"written {ATTACH}images/<name>",
            column,
        )
        return
    target = folder / normal
    if not target.is_file():
        report(line, "image-path", f"image not found: {target.as_posix()}", column)
        return
    if not attach:
        report(
            line,
            "image-path",
            f"write {ATTACH}{normal} so the image is published beside the article",
            column,
        )
    extensions = [e.lower() for e in settings["CONTENTRULES_IMAGE_EXTENSIONS"]]
    if target.suffix.lower() not in extensions:
        report(
            line,
            "image-type",
            f"image type {target.suffix or '(none)'} is not allowed; use one of "
            f"{', '.join(extensions)}",
            column,
        )
    size = target.stat().st_size
    limit = settings["CONTENTRULES_MAX_IMAGE_BYTES"]
    if size > limit:
        report(
            line,
            "image-size",
            f"image {normal} is {size / 1024:.0f} KiB; the limit is "
            f"{limit / 1024:.0f} KiB (CONTENTRULES_MAX_IMAGE_BYTES): resize or "
            "compress it",
            column,
        )


def check_images(path, images, settings=None) -> list:
    """The problems of an article's images, `(line, src, column)` each as the
    text names them, against the files beside the article at `path`."""
    path = Path(path)
    settings = settings_with_defaults(settings)
    problems = []

    def report(line, rule, message, column=0):
        problems.append(error(str(path), line, f"contentrules/{rule}", message, column))

    for line, src, column in images:
        _image_problems(path, line, src, column, settings, report)
    return problems


def _place(shadow: dict[int, list[str]], first: int, text: str) -> range:
    """Put the lines of `text` on the shadow document from line `first`."""
    lines = text.rstrip("\n").split("\n")
    for offset, line in enumerate(lines):
        shadow.setdefault(first + offset, []).append(line)
    return range(first, first + len(lines))


def text_facts(path, text: str, tokens, settings=None) -> dict:
    """What the rules find in the text and its parse (JSON): the problems of
    the text and the images to check against the files (`check_facts`)."""
    checker = ArticleChecker(path, text, settings, tokens)
    checker.scan()
    return {
        "problems": [
            [p.line, p.column, p.severity, p.check, p.message] for p in checker.problems
        ],
        "images": [list(image) for image in checker.images],
    }


def check_facts(path, facts: dict, settings=None) -> list:
    """The problems of one source from its `text_facts`, images checked now
    (they are files: a cached parse cannot know if they changed)."""
    problems = [
        Problem(display_path(path), line, column, severity, check, message)
        for line, column, severity, check, message in facts["problems"]
    ]
    images = [tuple(image) for image in facts["images"]]
    if _attachments_active(settings):
        # The attachments check owns {attach} files (where, which type, how
        # large, spelt how): it reports each once; here only other images.
        images = [image for image in images if not image[1].startswith(ATTACH)]
    return problems + check_images(path, images, settings)


def _attachments_active(settings) -> bool:
    """Whether the attachments plugin judges this build's {attach} files."""
    return any(
        getattr(p, "__name__", p) == "plugins.attachments"
        for p in (settings or {}).get("PLUGINS") or []
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


def check_rendered(
    path, html: str, source_text: str, settings=None, remembered=None
) -> list:
    """Safety net on the HTML Pelican rendered: report what the source check
    could not see against the best source line. A page with a start tag
    that could break a rule is scanned in full: through `remembered(scan)`
    when given (a cache of earlier scans), else now."""
    if plainly_harmless(html, settings):
        return []

    def scan() -> list:
        return _scan_rendered(path, html, source_text, settings)

    return remembered(scan) if remembered is not None else scan()


def _scan_rendered(path, html: str, source_text: str, settings) -> list:
    problems = []
    lines = source_text.splitlines()
    for found in check_html(html, settings):
        needle = found.needle.lower()
        line = next(
            (n for n, text in enumerate(lines, start=1) if needle in text.lower()), 1
        )
        problems.append(
            (warning if found.severity == "warning" else error)(
                str(path), line, f"contentrules/{found.rule}", found.message
            )
        )
    return problems
