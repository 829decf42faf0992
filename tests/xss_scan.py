"""Scan a built site as a browser would read it, for anything that could run
script with the site's origin (helpers for tests/test_xss_*.py).

Every HTML page is parsed with html5lib (a parser that follows the HTML
standard, as browsers do); the HTML inside feeds (Atom and RSS content and
summaries, JSON Feed `content_html`) and the search index's fragments are
parsed the same way; every XML file must hold no element of the XHTML, SVG
or MathML namespaces (a browser viewing the XML would run them).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import ada_url
import html5lib
from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
MATHML = "http://www.w3.org/1998/Math/MathML"
# The theme's own scripts: three files, and the JSON-LD data block.
THEME_SCRIPTS = ("/theme/js/article.js", "/theme/js/search.js", "/theme/js/site.js")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "data",
    "poster",
    "background",
    "xlink:href",
    "ping",
    "longdesc",
}
ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform"}
EMBED_HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com")
# Written independently of plugins/sanitize, so a mistake there shows here.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_RASTER = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)


def is_script_url(url: str) -> bool:
    """javascript:, vbscript: or a data: URL other than a raster image, read
    as browsers read URLs (edges stripped, tabs and newlines removed)."""
    value = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = _SCHEME.match(value)
    scheme = match.group(1).lower() if match else ""
    return scheme in ("javascript", "vbscript") or (
        scheme == "data" and not _RASTER.match(value)
    )


def srcset_urls(value: str) -> list[str]:
    return [c.split()[0] for c in value.split(",") if c.split()]


def embed_allowed(src: str) -> bool:
    try:
        url = ada_url.parse_url(src)
    except ValueError:
        return False
    return (
        url["protocol"] == "https:"
        and not url["username"]
        and not url["password"]
        and url["host"] in EMBED_HOSTS
    )


def _name(tag: str, default: str = XHTML) -> tuple[str, str]:
    """(namespace, local name) of an etree tag."""
    if tag.startswith("{"):
        space, local = tag[1:].split("}", 1)
        return space, local
    return default, tag


def _attribute_name(key: str) -> str:
    if key.startswith("{"):
        space, local = key[1:].split("}", 1)
        return f"xlink:{local}" if space.endswith("xlink") else local
    return key


def scan_html(html: str, where: str, document: bool = True) -> list[str]:
    """Everything in `html` that could run script, one message each."""
    # Scripting on, as in readers' browsers: <noscript> holds raw text.
    if document:
        tree = html5lib.parse(html, "etree", True, scripting=True)
    else:
        tree = html5lib.parseFragment(html, "div", "etree", True, scripting=True)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        space, tag = _name(element.tag)
        tag = tag.lower()
        attributes = {_attribute_name(k).lower(): v for k, v in element.attrib.items()}
        label = f"{where}: <{tag}>"
        if tag == "script":
            kind = attributes.get("type", "")
            src = attributes.get("src", "")
            theme = space == XHTML and src.endswith(THEME_SCRIPTS)
            if kind == "application/ld+json" and space == XHTML and not src:
                found += _scan_jsonld(element.text or "", where)
            elif not (theme and not (element.text or "").strip()):
                found.append(f"{label} script {attributes}")
        if space == MATHML:
            found.append(f"{label} MathML element")
        if space == SVG and tag in ANIMATIONS:
            target = attributes.get("attributename", "").lower()
            if target.endswith("href") or "to" in attributes or "values" in attributes:
                found.append(f"{label} SVG animation {attributes}")
        # An iframe without src shows an empty page (nothing can fill it).
        src = attributes.get("src")
        if tag in ("iframe", "frame") and src is not None and not embed_allowed(src):
            found.append(f"{label} iframe from {attributes.get('src')!r}")
        if tag in ("object", "embed", "base", "frameset"):
            found.append(f"{label} element")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            # A redirect (the aliases plugin's) is fine within the site.
            target = re.sub(
                r"^\s*\d+\s*;?\s*(url\s*=)?",
                "",
                attributes.get("content", ""),
                flags=re.I,
            )
            if is_script_url(target.strip("'\" ")) or "//" in target:
                found.append(f"{label} refresh to {target!r}")
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"{label} event handler {name}={value!r}")
            elif name == "srcdoc":
                found.append(f"{label} srcdoc")
            elif name in URL_ATTRIBUTES and is_script_url(value):
                found.append(f"{label} {name}={value!r}")
            elif name in ("srcset", "imagesrcset"):
                found += [
                    f"{label} {name} candidate {url!r}"
                    for url in srcset_urls(value)
                    if is_script_url(url)
                ]
    return found


def _scan_jsonld(text: str, where: str) -> list[str]:
    """A JSON-LD block must be JSON with no markup a parser could end it at."""
    problems = []
    if "<" in text or ">" in text:
        problems.append(f"{where}: raw < or > in JSON-LD")
    try:
        json.loads(text)
    except ValueError as exc:
        problems.append(f"{where}: JSON-LD is not JSON ({exc})")
    return problems


def _scan_xml(path: Path, where: str) -> list[str]:
    """No element of a browser-run namespace; every HTML payload scanned."""
    try:
        tree = etree.fromstring(path.read_bytes())
    except etree.XMLSyntaxError as exc:
        return [f"{where}: not well-formed XML ({exc})"]
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        space, local = _name(element.tag, "")
        if space in (XHTML, SVG, MATHML):
            found.append(f"{where}: <{local}> element in the {space} namespace")
        is_html = element.get("type") == "html" or space.endswith(
            "/rss/1.0/modules/content/"
        )
        if local == "description" and element.getparent().tag == "item":
            is_html = True  # an RSS item's description is HTML (the channel's: text)
        if is_html and element.text:
            found += scan_html(element.text, f"{where} <{local}>", document=False)
    return found


def _scan_json_feed(path: Path, where: str) -> list[str]:
    found = []
    for item in json.loads(path.read_text(encoding="utf-8")).get("items", []):
        found += scan_html(
            item.get("content_html", ""), f"{where} {item.get('id')}", document=False
        )
    return found


def _scan_pagefind(path: Path, where: str) -> list[str]:
    """A Pagefind fragment holds the indexed text. search.js shows titles and
    metadata with textContent; the excerpt goes to innerHTML after Pagefind's
    own escaping of < and > (pagefind.js: raw_content), done the same here."""
    data = gzip.decompress(path.read_bytes())
    record = json.loads(data[len(b"pagefind_dcd") :])
    content = record.get("content", "").replace("<", "&lt;").replace(">", "&gt;")
    return scan_html(content, f"{where} excerpt", document=False)


def scan_site(folder: Path) -> dict[str, list[str]]:
    """Every problem found in a built site, by file (relative path)."""
    results = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(folder).as_posix()
        if path.suffix == ".html":
            found = scan_html(path.read_text(encoding="utf-8"), where)
        elif path.suffix == ".xml":
            found = _scan_xml(path, where)
        elif path.suffix == ".json" and where.startswith("feeds/"):
            found = _scan_json_feed(path, where)
        elif path.suffix == ".pf_fragment":
            found = _scan_pagefind(path, where)
        else:
            continue
        if found:
            results[where] = found
    return results
