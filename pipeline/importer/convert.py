"""Old HTML to the project's Markdown, with markdownify (a maintained converter).

The HTML of an export is untrusted. Before conversion it is parsed with
BeautifulSoup and cleaned: scripts, styles and forms go; embeds (iframes,
objects) become plain links; `javascript:` links lose their link; each of
these is noted for the review report, never dropped silently. Runs of `<br>`
become paragraphs, so Blogger's "one big block with breaks" reads as prose.

Then the caller's hooks decide about images (stored beside the article, or
a plain link to the remote copy) and links (a link to another imported post
becomes `{filename}…`), and every `<pre>` becomes a fenced block tagged with
its language: the hint of its class (`brush: bash`, `language-yaml` …) when
codecheck knows it, else codecheck's guess (`plugins.codecheck.guess.hint`),
else `text`. Text is escaped so that it shows as written in both
Python-Markdown and CommonMark renderers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import ATX, MarkdownConverter

from .bylines import BLOCKS

REMOVED_WITH_CONTENT = ("script", "style", "noscript", "template")
UNWRAPPED = ("form", "button", "font", "center", "span", "label", "o:p", "fieldset")
DROPPED_EMPTY = ("input", "select", "textarea", "link", "meta", "base")
EMBEDS = ("iframe", "object", "embed", "applet", "frame", "video", "audio")
GENERIC_CLASSES = {
    "prettyprint",
    "linenums",
    "code",
    "source",
    "highlight",
    "notranslate",
    "brush",
    "syntax",
    "codeblock",
    "src",
    "example",
    "gutter",
    "true",
    "false",
}


@dataclass
class Note:
    """Something a person should look at, for the review report."""

    kind: str  # image, alt, language, embed, removed, link, todo, person, check …
    message: str
    line: int = 0  # in the written article (0: the article as a whole)


@dataclass
class CodeChoice:
    """How a code block's language was decided."""

    lang: str
    how: str  # "class" (the original said so), "guessed", "default" (text)
    hint: str = ""  # the original's class hint, when it had one


@dataclass
class ImageOutcome:
    """What became of one image: stored (`attach`) or left remote (`link`)."""

    src: str  # {attach}… or the remote URL
    stored: bool
    reason: str = ""  # why it was not stored


class Hooks:
    """What the converter asks its caller (overridden by the importer)."""

    def image(self, url: str, alt: str) -> ImageOutcome:
        return ImageOutcome(url, False, "images are not downloaded")

    def link(self, url: str) -> str | None:
        return None


@dataclass
class Converted:
    markdown: str
    notes: list[Note] = field(default_factory=list)
    code: list[CodeChoice] = field(default_factory=list)


# --- cleaning ---


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html or "", "html.parser")


def clean(soup: BeautifulSoup, base_url: str = "") -> list[Note]:
    """Remove what must not reach the site; return what was removed."""
    notes: list[Note] = []
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for name in REMOVED_WITH_CONTENT:
        found = soup.find_all(name)
        if found and name in ("script", "noscript"):
            notes.append(Note("removed", f"{len(found)} <{name}> element(s) removed"))
        for element in found:
            element.decompose()
    for name in DROPPED_EMPTY:
        for element in soup.find_all(name):
            element.decompose()
    for name in UNWRAPPED:
        for element in soup.find_all(name):
            element.unwrap()
    for element in soup.find_all(EMBEDS):
        if element.decomposed:
            continue
        src = element.get("src") or element.get("data") or ""
        source = element.find("source", src=True)
        if not src and source is not None:
            src = source.get("src", "")
        url = urljoin(base_url, src.strip()) if src else ""
        if urlsplit(url).scheme in ("http", "https"):
            link = soup.new_tag("a", href=url)
            link.string = f"Embedded content: {url}"
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            element.replace_with(paragraph)
            notes.append(
                Note(
                    "embed",
                    f"<{element.name}> of {url} became a link; embed it again if allowed",
                )
            )
        else:
            element.decompose()
            notes.append(
                Note("embed", f"<{element.name}> without a web address removed")
            )
    for anchor in soup.find_all("a"):
        href = (anchor.get("href") or "").strip()
        squeezed = re.sub(r"[\x00-\x20]+", "", href).lower()
        if squeezed.startswith(("javascript:", "vbscript:", "data:")):
            notes.append(
                Note("link", f"link to a script address removed ({href[:40]!r})")
            )
            anchor.unwrap()
        elif not href:
            anchor.unwrap()
    for element in soup.find_all(True):
        # Attributes are never carried over, except the few conversion reads.
        keep = {"href", "src", "alt", "title", "class", "lang", "colspan", "start"}
        element.attrs = {k: v for k, v in element.attrs.items() if k in keep}
    _code_with_breaks(soup)
    _paragraphs(soup)
    return notes


def _code_with_breaks(soup) -> None:
    """A <code> or <tt> holding <br>s outside <pre> is a code block."""
    for code in soup.find_all(["code", "tt"]):
        if code.decomposed or code.find_parent("pre"):
            continue
        if code.name == "tt":
            code.name = "code"
        if not code.find("br"):
            continue
        for br in code.find_all("br"):
            br.replace_with("\n")
        parent = code.parent
        if (
            parent is not None
            and parent.name in ("p", "div")
            and _only_child(parent, code)
        ):
            pre = soup.new_tag("pre")
            code.wrap(pre)
            parent.unwrap()
        else:
            pre = soup.new_tag("pre")
            code.wrap(pre)


def _only_child(parent, child) -> bool:
    return all(
        node is child or (isinstance(node, NavigableString) and not node.strip())
        for node in parent.children
    )


def _is_inline(node) -> bool:
    return not (isinstance(node, Tag) and node.name in BLOCKS)


def _paragraphs(soup) -> None:
    """Inline runs beside blocks become paragraphs, split at two or more <br>."""
    containers = [soup, *soup.find_all(["div", "blockquote", "section", "article"])]
    for container in containers:
        if container.decomposed:
            continue
        children = list(container.children)
        if all(_is_inline(c) for c in children) and container is not soup:
            if not container.find("br"):
                continue
        runs, current = [], []
        for child in children:
            if _is_inline(child):
                current.append(child)
            else:
                runs.append(current)
                current = []
        runs.append(current)
        for run in runs:
            for group in _split_at_breaks(run):
                if not any(
                    (isinstance(n, NavigableString) and n.strip()) or isinstance(n, Tag)
                    for n in group
                ):
                    for node in group:
                        node.extract()
                    continue
                paragraph = soup.new_tag("p")
                group[0].insert_before(paragraph)
                for node in group:
                    paragraph.append(node.extract())
                _trim_breaks(paragraph)


def _split_at_breaks(run) -> list[list]:
    """Split a run of inline nodes wherever two or more <br> follow each other."""
    groups, current, breaks = [], [], []
    for node in run:
        if isinstance(node, Tag) and node.name == "br":
            breaks.append(node)
            continue
        if isinstance(node, NavigableString) and not node.strip() and breaks:
            breaks.append(node)
            continue
        if sum(isinstance(b, Tag) for b in breaks) >= 2:
            for b in breaks:
                b.extract()
            groups.append(current)
            current = []
        else:
            current.extend(breaks)
        breaks = []
        current.append(node)
    if sum(isinstance(b, Tag) for b in breaks) >= 2:
        for b in breaks:
            b.extract()
    else:
        current.extend(breaks)
    groups.append(current)
    return [g for g in groups if g]


def _trim_breaks(paragraph) -> None:
    for index in (0, -1):
        while paragraph.contents:
            node = paragraph.contents[index]
            if (isinstance(node, Tag) and node.name == "br") or (
                isinstance(node, NavigableString) and not node.strip()
            ):
                node.extract()
            else:
                break


# --- languages of code blocks ---


def class_hints(pre: Tag) -> list[str]:
    """Language names the classes of a <pre> (and its <code>) suggest."""
    texts = []
    for element in [pre, *pre.find_all("code", limit=1)]:
        value = element.get("class") or []
        texts.append(" ".join(value) if isinstance(value, list) else str(value))
        if element.get("lang"):
            texts.append(str(element["lang"]))
    text = " ".join(texts)
    hints = re.findall(r"brush\s*:\s*([\w#+.-]+)", text, re.I)
    hints += re.findall(r"\b(?:language|lang)-([\w#+.-]+)", text, re.I)
    hints += re.findall(r"\bsh_([\w]+)", text)
    for word in re.split(r"[\s;:]+", text):
        if (
            re.fullmatch(r"[A-Za-z][\w#+.-]*", word)
            and word.lower() not in GENERIC_CLASSES
        ):
            if not re.match(r"(brush|language-|lang-|sh_)", word, re.I):
                hints.append(word)
    return list(dict.fromkeys(h.lower() for h in hints))


def choose_language(pre: Tag, code: str) -> CodeChoice:
    """The tag of a code block: a known class hint, else a guess, else text."""
    from plugins.core import codetags as tags

    hints = class_hints(pre)
    for hint in hints:
        known = tags.canonical(hint)
        if known:
            return CodeChoice(known, "class", hint)
    guessed = _guess(code)
    if guessed:
        return CodeChoice(guessed, "guessed", hints[0] if hints else "")
    return CodeChoice("text", "default", hints[0] if hints else "")


def _guess(code: str) -> str | None:
    """codecheck's language hint for an untagged block (its public guess)."""
    from plugins.codecheck.guess import hint
    from plugins.core import codetags

    found = hint(code)
    return codetags.canonical(found) if found else None


# --- conversion ---


class _Converter(MarkdownConverter):
    """markdownify, tuned for the site's renderers and for safety."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        strong_em_symbol = "*"
        table_infer_header = True
        escape_misc = False

    def escape(self, text, parent_tags):
        if not text:
            return ""
        text = re.sub(r"\\(?=[!-/:-@\[-`{-~])", r"\\\\", text)
        text = super().escape(text, parent_tags)
        text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
        text = text.replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace("[", r"\[").replace("]", r"\]").replace("`", r"\`")
        text = re.sub(r"(^|\s)(#{1,6})(?=\s|$)", r"\1\\\2", text)
        text = re.sub(r"(^|\n)(\s*)([-+])(?=\s)", r"\1\2\\\3", text)
        text = re.sub(r"(^|\n)(\s*\d{1,9})([.)])(?=\s|$)", r"\1\2\\\3", text)
        if "td" in parent_tags or "th" in parent_tags:
            text = text.replace("|", r"\|")
        return text

    def convert_img(self, el, text, parent_tags):
        alt = (el.attrs.get("alt") or "").replace("[", "(").replace("]", ")")
        src = el.attrs.get("src") or ""
        return f"![{' '.join(alt.split())}]({src})" if src else ""

    def convert_pre(self, el, text, parent_tags):
        if not text.strip("\n"):
            return ""
        lang = el.attrs.get("data-import-lang", "text")
        text = text.strip("\n")
        longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{lang}\n{text}\n{fence}\n\n"

    def convert_li(self, el, text, parent_tags):
        # Continuation lines indented by four: Python-Markdown needs it for
        # nested lists, CommonMark accepts it.
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = parent.get("start")
            first = int(start) if str(start or "").isdigit() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        indent = " " * max(4, len(bullet) + 1)
        lines = text.split("\n")
        body = [lines[0]] + [
            indent + line if line.strip() else "" for line in lines[1:]
        ]
        return f"{bullet} " + "\n".join(body) + "\n"


def to_markdown(soup: BeautifulSoup, hooks: Hooks, base_url: str = "") -> Converted:
    """Convert a cleaned soup: images, links and code through `hooks`."""
    result = Converted("")
    for pre in soup.find_all("pre"):
        for br in pre.find_all("br"):
            br.replace_with("\n")
        code = pre.get_text()
        choice = choose_language(pre, code)
        pre.attrs = {"data-import-lang": choice.lang}
        result.code.append(choice)
    for anchor in soup.find_all("a"):
        images = anchor.find_all("img")
        href = urljoin(base_url, (anchor.get("href") or "").strip())
        if (
            images
            and (len(anchor.get_text(strip=True)) == 0)
            and _is_image_link(href, images)
        ):
            anchor.unwrap()  # a thumbnail's link to its full-size copy
    for image in soup.find_all("img"):
        _image(soup, image, hooks, base_url, result)
    for anchor in soup.find_all("a"):
        href = (anchor.get("href") or "").strip()
        absolute = (
            urljoin(base_url, href) if href and not href.startswith("#") else href
        )
        if absolute.startswith("file:"):
            absolute = href  # a draft's relative link stays as written
        rewritten = hooks.link(absolute) if absolute else None
        anchor["href"] = rewritten or absolute
    markdown = _Converter().convert_soup(soup)
    result.markdown = tidy(markdown)
    return result


def _is_image_link(href: str, images) -> bool:
    from .images import looks_like_image_url

    return looks_like_image_url(href)


def _image(soup, image, hooks: Hooks, base_url: str, result: Converted) -> None:
    src = (image.get("src") or "").strip()
    alt = " ".join((image.get("alt") or image.get("title") or "").split())
    if not src:
        image.decompose()
        result.notes.append(Note("image", "an <img> without a src was removed"))
        return
    url = urljoin(base_url, src)
    outcome = hooks.image(url, alt)
    if outcome.stored:
        if not alt:
            alt = f"Image: {url.rsplit('/', 1)[-1][:60]}"
            result.notes.append(
                Note(
                    "alt",
                    f"image {outcome.src} had no alt text: written as {alt!r}; describe it",
                )
            )
        image.attrs = {"src": outcome.src, "alt": alt}
        return
    label = f"Image: {alt}" if alt else "Image (no description)"
    if urlsplit(url).scheme in ("http", "https"):
        link = soup.new_tag("a", href=url)
        link.string = label
        image.replace_with(link)
        written = "written as a link"
    else:  # nothing a reader could follow: the description stays, as text
        image.replace_with(f"({label})")
        written = "written as its description"
    result.notes.append(
        Note("image", f"image {src} not stored ({outcome.reason}): {written}")
    )


def tidy(markdown: str) -> str:
    """At most one blank line in a row outside code, no spaces at line ends
    except a hard break's two."""
    lines, out, fence = markdown.split("\n"), [], None
    for line in lines:
        stripped = line.strip()
        if fence is None:
            opened = re.match(r"^\s*(`{3,}|~{3,})", line)
            if opened:
                fence = opened.group(1)
            elif not stripped and out and not out[-1].strip():
                continue
            if not line.endswith("  ") or not stripped:
                line = line.rstrip()
        elif stripped.startswith(fence) and not stripped.strip(fence[0]):
            fence = None
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def plain_text(html_or_soup) -> str:
    """The text of some HTML, whitespace collapsed."""
    soup = html_or_soup if isinstance(html_or_soup, Tag) else parse(html_or_soup)
    return " ".join(soup.get_text(" ").split())
