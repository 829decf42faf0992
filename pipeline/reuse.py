"""Rebuilds take the pages whose inputs did not change from the last site.

Pelican renders every page on every build: at 475 articles that is ~3 s of a
rebuild after one edit. But a page shows its own article's body (article and
page files only) and, of the rest of the site, only what the headers, the
people registry, the theme and the settings say (titles, summaries, dates,
authors, the menu of pages). So every page the writer makes depends on:

- the *site key*: every header of every article and page (with its URL,
  save-as path, status and summary), every file under the content folder
  that is not a Markdown source (people.toml, pictures, attachments: path,
  size and modification time), every theme file, the settings, the build's
  day, the locale and time zone of the environment, and the code of the
  plugins, the pipeline, Pelican and Jinja;
- where and how it is written (name, template, URL, the plain values it is
  given) and, for an article or page file, that article's body.

When these are those of the file the last build wrote, and that file is
still in the last site unchanged (`plugins/core/reuse.py` checks its
digest), its bytes are written again through Pelican's writer (its
overwrite bookkeeping and `content_written` signal are kept: the sitemap
hears of it) instead of rendering the template. A list Pelican splits in
several pages is always rendered. A body edit thus renders one page; a header, person,
theme or setting change renders them all. Feeds do the same with their own
key (plugins/feeds), and so do search bundles (pipeline/search.py).

Templates must keep to this: only `article.html` and `page.html` may show a
body, their own (tests/test_speed_reuse.py compares rebuilds with cold
builds after edits of each kind).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from plugins.core.cachekeys import code_version, digest, package_versions, short_digest
from plugins.core.reuse import LAST_SITE, LastSite
from plugins.core.run import RUN_SETTING, BuildRun
from plugins.core.store import Store

REUSE = "pages/reuse"  # BuildRun.data: the build's Reuse
VERSION = "1"
# Metadata and settings are made text by `stable`; addresses in reprs vary
# from run to run and never say anything about a page.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Settings that say where this build writes or keeps things, not what it writes.
NOT_SHOWN = ("OUTPUT_PATH", "CACHE_PATH", RUN_SETTING)


def stable(value) -> str:
    """Text of a setting or metadata value that is the same from run to run."""
    if isinstance(value, str | int | float | bool) or value is None:
        return repr(value)
    if isinstance(value, dict):
        items = sorted((stable(k), stable(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(stable(v) for v in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(stable(v) for v in value)) + "}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r}, {value.flags})"
    if hasattr(value, "url") and hasattr(value, "name"):  # Tag, Author, Category
        return f"{type(value).__name__}({value.name!r}, {value.url!r})"
    if callable(value) or type(value).__name__ == "module":
        name = getattr(value, "__qualname__", getattr(value, "__name__", ""))
        return f"{getattr(value, '__module__', '')}.{name}"
    return _ADDRESS.sub("", repr(value))


def _tree(root, *, skip_suffix: str = "", contents: bool = False) -> list[str]:
    """Every file under `root`: path and size and mtime, or path and bytes."""
    found = []
    root = Path(root)
    if not root.is_dir():
        return [f"{root}: none"]
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if skip_suffix and name.endswith(skip_suffix):
                continue
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            try:
                if contents:
                    found.append(f"{rel}={short_digest(path.read_bytes())}")
                else:
                    stat = path.stat()
                    found.append(f"{rel}={stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                found.append(f"{rel}=unreadable")
    return found


def _headers(generators, lists) -> list[str]:
    """Every header of every article and page, with where it is written."""
    found = []
    for generator in generators:
        for name in lists:
            for content in getattr(generator, name, None) or []:
                metadata = sorted((k, stable(v)) for k, v in content.metadata.items())
                found.append(
                    stable(
                        [
                            name,
                            type(content).__name__,
                            getattr(content, "source_path", ""),
                            getattr(content, "save_as", ""),
                            getattr(content, "url", ""),
                            getattr(content, "status", ""),
                            getattr(content, "template", ""),
                            # Made from the body when the header has none.
                            str(getattr(content, "summary", "")),
                            metadata,
                        ]
                    )
                )
    return sorted(found)


def site_key(generators, lists, settings, now) -> str:
    """Everything an article page may show besides its own body (module doc)."""
    output = str(settings.get("OUTPUT_PATH", ""))
    shown = {k: v for k, v in settings.items() if k not in NOT_SHOWN}
    settings_text = stable(shown)
    if output:
        settings_text = settings_text.replace(output, "<output>")
    return digest(
        "site",
        VERSION,
        code_version("plugins", "pipeline"),
        package_versions("pelican", "Jinja2", "MarkupSafe"),
        settings_text,
        str(now.date()) if hasattr(now, "date") else str(now),
        # Month and day names follow the locale; "now" the time zone.
        *sorted(
            f"{k}={v}"
            for k, v in os.environ.items()
            if k in ("LANG", "LANGUAGE", "TZ") or k.startswith("LC_")
        ),
        "\n".join(_tree(settings.get("THEME", ""), contents=True)),
        "\n".join(_tree(settings.get("PATH", ""), skip_suffix=".md")),
        "\n".join(_headers(generators, lists)),
    )


class Reuse:
    """One build's page reuse: the last site and the site key (made at the
    first page, once Pelican has read everything)."""

    def __init__(self, last: LastSite, make_site_key):
        self.last = last
        self._make_site_key = make_site_key
        self._site_key: str | None = None

    @staticmethod
    def of(settings) -> Reuse | None:
        run = settings.get(RUN_SETTING)
        if not isinstance(run, BuildRun):
            return None
        return run.data.get(REUSE)

    def page_key(self, name, template, relative_urls, override, url, kwargs) -> str:
        """Everything the page `name` is made from: the site key, how it is
        written, and the body of the article or page it shows (if any)."""
        if self._site_key is None:
            self._site_key = self._make_site_key()
        content = kwargs.get("article", kwargs.get("page"))
        body = getattr(content, "_content", None)
        return digest(
            "page",
            self._site_key,
            name,
            getattr(template, "name", str(template)),
            relative_urls,
            override,
            url,
            # The other values are made from what the site key holds (a
            # season, a person, a tag and their articles): named by type.
            stable({k: _scalar(v) for k, v in kwargs.items()}),
            getattr(content, "source_path", ""),
            short_digest(body.encode("utf-8")) if isinstance(body, str) else "none",
        )


def _scalar(value):
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return type(value).__name__


def _one_file(settings, name, url, template_name, paginated, kwargs) -> bool:
    """Whether Pelican's writer writes this page as one file, `name` (a
    paginated list that fits on its first page does too)."""
    if paginated is None:
        paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
    templates = settings["PAGINATED_TEMPLATES"]
    if not paginated or template_name not in templates:
        return True
    per_page = templates[template_name] or settings["DEFAULT_PAGINATION"]
    paginator = Paginator(name, url, next(iter(paginated.values())), settings, per_page)
    return paginator.num_pages == 1 and paginator.page(1).save_as == name


class ReusingWriter(Writer):
    """Pelican's writer, taking unchanged pages from the last site."""

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        reuse = Reuse.of(self.settings)
        key = None
        if (
            reuse is not None
            and name
            and _one_file(self.settings, name, url, template_name, paginated, kwargs)
        ):
            key = reuse.page_key(
                name, template, relative_urls, override_output, url, kwargs
            )
            text = _text(reuse.last.take(name, key))
            if text is not None:
                self._write_again(
                    name, text, context, relative_urls, override_output, kwargs
                )
                return
        super().write_file(
            name,
            template,
            context,
            relative_urls,
            paginated,
            template_name,
            override_output,
            url,
            **kwargs,
        )
        if key is not None:
            try:
                written = Path(sanitised_join(self.output_path, name)).read_bytes()
            except OSError:
                return
            reuse.last.keep(name, key, written)

    def _write_again(self, name, text, context, relative_urls, override, kwargs):
        """What Pelican's `_write_file` does, with the text instead of a render."""
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        if relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            localcontext["SITEURL"] = relative_url
            localcontext["localsiteurl"] = relative_url
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        path = sanitised_join(self.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with self._open_w(path, "utf-8", override=override) as handle:
            handle.write(text)
        signals.content_written.send(path, context=localcontext)


def _text(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def start(run: BuildRun, settings, previous, contents) -> None:
    """Reuse pages in this build (when CACHE_PATH and BUILD_PAGE_REUSE allow).

    `contents()` gives (Pelican's generators, the names of their lists of
    articles and pages) once Pelican has read everything.
    """
    folder = settings.get("CACHE_PATH")
    if not folder or not settings.get("BUILD_PAGE_REUSE", True):
        return

    def make_site_key() -> str:
        generators, lists = contents()
        return site_key(generators, lists, settings, run.now)

    last = LastSite(Store(Path(folder) / "pages"), previous)
    run.data[LAST_SITE] = last
    run.data[REUSE] = Reuse(last, make_site_key)


def writer_class(pelican):
    """Receiver of Pelican's `get_writer` signal."""
    return ReusingWriter if Reuse.of(pelican.settings) is not None else None


def counts(run: BuildRun) -> dict:
    """{"taken": how many, "made": [names]}: the article and page files and
    feeds this build took from the last site, and those it made."""
    last = run.data.get(LAST_SITE)
    if last is None:
        return {}
    last.store.close()
    return {"taken": last.taken, "made": sorted(last.made)}
