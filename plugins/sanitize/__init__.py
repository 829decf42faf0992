"""sanitize: every rendered article, page and summary goes through one
allow-list sanitizer, and the site gets a Content-Security-Policy.

Wiring only; the logic lives in `html` (the sanitizer), `urls` (URLs as
browsers read them) and `csp` (the policy and the `_headers` file).

The rendered HTML is sanitized where it is rendered (a parse fact of the
pre-render stage: on every core, cached with the render) and taken over the
moment Pelican creates the content object, if it is that very HTML; else it
is sanitized then, after the checks that report to authors have looked at it (the
receiver is connected once every plugin is registered, so it runs after
theirs) and before anything else (templates, feeds, search, social images)
reads it. Pelican then resolves intra-site links (`{filename}…`) into the
sanitized HTML; unless every link resolved to a plain URL (`links`: one that
cannot leave its attribute), the result is sanitized again, so a file or
slug name can never break out of an attribute either.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pelican import signals
from pelican.utils import slugify

from plugins.core.checks import ParseFact, fingerprint, take_fact
from plugins.core.settings import apply_defaults, declare

from .csp import headers_file
from .html import sanitize_html
from .links import resolve_links
from .urls import SAFE_SLUG

logger = logging.getLogger(__name__)

SETTINGS = declare(
    {"SANITIZE_HEADERS_SAVE_AS": "_headers"},
    {
        "SANITIZE_HEADERS_SAVE_AS": (
            "where the suggested security headers (CSP) are written; '': nowhere"
        )
    },
)


class ResolveThenSanitize:
    """Pelican's intra-site link resolution, then the sanitizer. Set on each
    content object as its `_update_content`, which Pelican calls for the
    content and summary it hands out (a class, not a closure: Pelican's
    content cache pickles content objects).

    When the HTML is one the sanitizer made (`clean`: the very objects) and
    every link resolved to a plain URL (`links.resolve_links`), the result
    is already clean; otherwise it is sanitized again."""

    def __init__(self, content, clean=()):
        self.content = content
        self.clean = list(clean)

    def __call__(self, html, siteurl):
        resolved, plain = resolve_links(self.content, html, siteurl)
        if not (plain and any(html is made for made in self.clean)):
            resolved = sanitize_html(resolved, self.content.settings)
        self.clean.append(resolved)
        return resolved


CLEAN_KEY = "sanitize/clean"


def clean_fact(source, settings, rendered) -> dict:
    """Parse fact: {fingerprint of a rendered HTML: its sanitized HTML}, for
    the body and the formatted header fields."""
    found = {}
    for html in (rendered["content"], *rendered["formatted"].values()):
        if isinstance(html, str) and html:
            found[fingerprint(html)] = sanitize_html(html, settings)
    return found


def load_clean(value, source) -> dict:
    if not all(isinstance(v, str) for v in value.values()):
        raise ValueError("a damaged sanitized rendering")
    return value


PARSE_FACTS = [
    ParseFact(
        CLEAN_KEY,
        clean_fact,
        load_clean,
        code=("plugins.sanitize",),
        settings=("CONTENTRULES_",),
        packages=("nh3",),
        kept=True,
    )
]


def sanitize_content(instance) -> None:
    """Sanitize the rendered body and formatted fields (summary) of an
    article or page, and keep its slug plain."""
    settings = instance.settings
    done = take_fact(settings, getattr(instance, "source_path", None), CLEAN_KEY) or {}

    def clean(html: str) -> str:
        # The pre-render stage's result only for exactly the HTML it cleaned.
        found = done.get(fingerprint(html)) if done else None
        return found if found is not None else sanitize_html(html, settings)

    made = []  # what the sanitizer returned: the link resolution's inputs
    html = getattr(instance, "_content", None)
    if isinstance(html, str):
        instance._content = clean(html)
        made.append(instance._content)
    for key in settings.get("FORMATTED_FIELDS", ["summary"]):
        value = instance.metadata.get(key)
        if not isinstance(value, str):
            continue
        clean_value = clean(value)
        made.append(clean_value)
        instance.metadata[key] = clean_value
        if key == "summary":
            instance._summary = clean_value
        else:
            setattr(instance, key.lower(), clean_value)
    slug = getattr(instance, "slug", None)
    if isinstance(slug, str) and slug and not SAFE_SLUG.fullmatch(slug):
        # The content rules report it to the author; the output stays safe.
        instance.slug = plain_slug(slug, settings)
    instance._update_content = ResolveThenSanitize(instance, made)


def plain_slug(slug: str, settings) -> str:
    """`slug` made of lowercase letters, digits and single '-' only."""
    subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    slug = slugify(slug, regex_subs=subs, use_unicode=False)
    return "-".join(re.findall(r"[a-z0-9]+", slug.lower())) or "article"


def initialized(pelican) -> None:
    apply_defaults(pelican.settings, SETTINGS)
    # Connected now, after every plugin's register(): checks that report the
    # raw rendering to authors (contentrules) see it before it is sanitized.
    signals.content_object_init.connect(sanitize_content)


def write_headers(pelican) -> None:
    """Write the suggested security headers as a `_headers` file."""
    save_as = pelican.settings.get("SANITIZE_HEADERS_SAVE_AS")
    if not save_as:
        return
    target = Path(pelican.output_path) / save_as
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(headers_file(pelican.settings), encoding="utf-8")


def register():
    signals.initialized.connect(initialized)
    signals.finalized.connect(write_headers)
