"""Make every URL in an HTML fragment absolute.

Feed readers show entries outside the site and most ignore `xml:base`, so a
relative link, image or `srcset` candidate in an entry is broken there.
"""

from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup

# Attributes that hold one URL.
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "action", "data", "background")
# Attributes that hold a list of "URL [descriptor]" candidates.
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")


def absolute_url(url: str, base: str) -> str:
    """`url` resolved against the page it appears on (`base`)."""
    url = url.strip()
    if not url:
        return url
    return urljoin(base, url)


def parse_srcset(value: str) -> list[tuple[str, str]]:
    """The (URL, descriptor) candidates of a `srcset`, as the HTML standard
    splits them: a URL is a run without spaces; commas end a candidate."""
    candidates, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url, descriptor = value[start:i], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start, depth = i, 0
            while i < n and (value[i] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
            descriptor = value[start:i].strip()
        candidates.append((url, descriptor))
    return candidates


def absolute_srcset(value: str, base: str) -> str:
    """A `srcset` with every candidate's URL made absolute."""
    return ", ".join(
        f"{absolute_url(url, base)} {descriptor}".strip()
        for url, descriptor in parse_srcset(value)
    )


def absolutize(html: str, base: str) -> str:
    """`html` with every URL attribute resolved against `base` (the absolute
    URL of the page the fragment comes from)."""
    if not html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        for name in URL_ATTRIBUTES:
            value = element.get(name)
            if isinstance(value, str):
                element[name] = absolute_url(value, base)
        for name in SRCSET_ATTRIBUTES:
            value = element.get(name)
            if isinstance(value, str):
                element[name] = absolute_srcset(value, base)
    return str(soup)


def plain_text(html: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    text = BeautifulSoup(html or "", "html.parser").get_text(" ")
    return " ".join(text.split())
