"""aliases: old addresses keep working (the `Aliases:` field and Blogger's URLs).

Wiring only; the logic lives in `paths` (the field's rules) and `redirects`
(the files). For every published article and page, each path of its
`Aliases:` field gets a redirect page; Blogger's other addresses (feeds,
label searches, month archives) are mapped too (`ALIASES_BLOGGER`). All of
them also go into `_redirects` and an nginx map for hosts that redirect
properly. An alias that would overwrite a real page of the site, or another
alias, fails the build at the `Aliases:` line.

The pages are written by a generator, so the site checks that run on the
written site (linkcheck) see them and their links; at `finalized` each one
is checked again, so a page written later by another generator on the same
path is a clash too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from plugins.core.problems import ContentError, error
from plugins.core.run import ensure_run
from plugins.core.settings import apply_defaults, declare

from . import paths, redirects
from .paths import (
    CHECK,
    FIELD,
    alias_problem,
    output_file,
    parse_aliases,
    reserved_roots,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Netlify/Cloudflare redirects file at the root of the site ("" for none).
    "ALIASES_REDIRECTS_FILE": "_redirects",
    # nginx map include file at the root of the site ("" for none).
    "ALIASES_NGINX_MAP": "redirects.map",
    # Also map Blogger's feed, label-search and month-archive addresses.
    "ALIASES_BLOGGER": True,
}
SETTINGS = declare(
    DEFAULTS,
    {
        "ALIASES_REDIRECTS_FILE": "Netlify/Cloudflare redirects file at the site's root ('' for none)",
        "ALIASES_NGINX_MAP": "nginx map include file at the site's root ('' for none)",
        "ALIASES_BLOGGER": "also redirect Blogger's feed, label and month-archive addresses",
    },
)
FEED_SUFFIXES = {"atom": ".atom.xml", "rss": ".rss.xml", "json": ".json"}


def _defaults(settings) -> None:
    apply_defaults(settings, SETTINGS)


def _site_path(url: str) -> str:
    return "/" + url.lstrip("/")


def content_redirects(contents, sources, reserved=None) -> tuple[list, list]:
    """(redirects, problems) from the `Aliases:` of published contents;
    `sources` (the build's, each file read once) give the field's line;
    `reserved`: root names the site writes (`paths.reserved_roots`)."""
    found, problems = [], []
    reserved = paths.RESERVED_ROOTS if reserved is None else reserved
    for content in contents:
        value = content.metadata.get(FIELD)
        if not value:
            continue
        source = getattr(content, "source_path", "")
        line = sources.get(source).header.line_of(FIELD) if source else 0
        target = _site_path(content.url)
        for alias in parse_aliases(str(value)):
            reason = alias_problem(alias, reserved)
            if reason:
                problems.append(
                    error(source, line, CHECK, f"alias {alias!r}: {reason}")
                )
                continue
            if output_file(alias) == content.save_as.replace(os.sep, "/"):
                continue  # the old address is the page's own: nothing to redirect
            found.append(
                redirects.Redirect(
                    alias, target, getattr(content, "title", ""), source, line
                )
            )
    return found, problems


def blogger_redirects(context, settings) -> list:
    """Blogger's feed, label and archive addresses for this site."""
    if not settings.get("ALIASES_BLOGGER"):
        return []
    articles = context.get("articles") or []
    seasons = {a.date.year for a in articles}
    tags = {}
    for article in articles:
        for tag in getattr(article, "tags", []):
            tags.setdefault((tag.name, _site_path(tag.url)), tag.slug)
    feed_path = tag_feed = None
    formats = settings.get("FEEDS_FORMATS")
    if formats and "FEEDS_PATH" in settings:
        suffix = FEED_SUFFIXES.get(formats[0], ".atom.xml")
        base = "/" + settings["FEEDS_PATH"].strip("/")
        feed_path = f"{base}/all{suffix}"
        slugs = {name: slug for (name, _), slug in tags.items()}

        def tag_feed(label):
            return f"{base}/tags/{slugs[label]}{suffix}"

    found = redirects.blogger_redirects(
        seasons, tags.keys(), feed_path or "/", tag_feed
    )
    if feed_path is None:
        found = [r for r in found if not r.old.startswith("/feeds/")]
    return found


class AliasGenerator(Generator):
    """Writes the redirect pages, `_redirects` and the nginx map."""

    def generate_output(self, writer):
        settings = self.settings
        _defaults(settings)
        output = Path(settings["OUTPUT_PATH"])
        contents = [
            *(self.context.get("articles") or []),
            *(self.context.get("pages") or []),
            *(self.context.get("hidden_pages") or []),
        ]
        explicit, problems = content_redirects(
            contents, ensure_run(settings).sources, reserved_roots(settings)
        )
        static = {
            getattr(s, "save_as", "").replace(os.sep, "/")
            for s in self.context.get("staticfiles") or []
        }
        taken: dict[str, redirects.Redirect] = {}
        # Clashes between articles are reported by the source stage (the
        # advent rules); here only those it could not see (with a page).
        reported = {
            (os.path.abspath(p.path), p.line)
            for p in ensure_run(settings).problems
            if p.check == CHECK and "is also claimed by" in p.message
        }
        for redirect in explicit:
            file = output_file(redirect.old)
            other = taken.get(file)
            if other is not None:
                if (os.path.abspath(redirect.source), redirect.line) in reported:
                    continue
                problems.append(
                    error(
                        redirect.source,
                        redirect.line,
                        CHECK,
                        f"alias {redirect.old!r} is also claimed by {other.source}",
                    )
                )
            elif (output / file).exists() or file in static:
                problems.append(
                    error(
                        redirect.source,
                        redirect.line,
                        CHECK,
                        f"alias {redirect.old!r} would overwrite /{file}, a page of the site",
                    )
                )
            else:
                taken[file] = redirect
        if problems:
            raise ContentError(problems)
        generated = []
        for redirect in blogger_redirects(self.context, settings):
            file = output_file(redirect.old)
            if not redirect.page:
                generated.append(redirect)
            elif (
                file not in taken
                and file not in static
                and not (output / file).exists()
            ):
                taken[file] = redirect
                generated.append(redirect)
        written = []
        lang = settings.get("DEFAULT_LANG", "en")
        for file, redirect in sorted(taken.items()):
            data = redirects.page(redirect, settings.get("SITEURL", ""), lang).encode()
            target = output / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append((file, data, redirect))
        every = [*(r for r in explicit), *generated]
        prefix = _path_prefix(settings.get("SITEURL", ""))
        for name, render in (
            (settings.get("ALIASES_REDIRECTS_FILE"), redirects.netlify),
            (settings.get("ALIASES_NGINX_MAP"), redirects.nginx_map),
        ):
            if name and every:
                path = output / name
                path.write_text(render(every, prefix), encoding="utf-8")
        # Kept in the build's run (never in a module global) for `verify`.
        ensure_run(settings).data["aliases"] = written
        logger.info("aliases: %d redirect page(s)", len(written))


def _path_prefix(siteurl: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(siteurl).path.rstrip("/") if siteurl else ""


def verify(pelican) -> None:
    """A redirect page overwritten by a later writer is a clash with a real page."""
    output = Path(pelican.settings["OUTPUT_PATH"]).resolve()
    problems = []
    for file, data, redirect in ensure_run(pelican.settings).data.pop("aliases", []):
        path = output / file
        if path.exists() and path.read_bytes() != data and not redirect.generated:
            problems.append(
                error(
                    redirect.source,
                    redirect.line,
                    CHECK,
                    f"alias {redirect.old!r} clashes with /{file}, a page of the site",
                )
            )
    if problems:
        raise ContentError(problems)


def get_generators(pelican):
    return AliasGenerator


def initialized(pelican):
    _defaults(pelican.settings)


def register():
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(verify)
