"""The two imports: a Blogger export, and a folder of old HTML/Markdown drafts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from . import convert, report
from .article import (
    FALLBACK_TAG,
    ArticleHooks,
    Existing,
    Plan,
    fix_for_history,
    header_text,
    midnight,
    split_title,
    write_files,
)
from .blogger import Entry, Export, read_export
from .bylines import PersonRef, take_bylines
from .convert import Note
from .images import FetchSettings
from .people import People
from .slug import article_slug, blogger_path, site_slug

# Drafts without a Blogger id get a UUID derived from their place in the
# drafts folder, so importing them again gives the same id (never change it).
DRAFT_NAMESPACE = uuid.UUID("6f1d3c1e-5b7a-4c2e-9d4f-000000002008")
SUMMARY_LENGTH = 300


@dataclass
class Options:
    """What an import does (the settings are the site's Pelican settings)."""

    settings: dict
    years: set[int] = field(default_factory=set)
    offline: bool = False
    dry_run: bool = False
    force: bool = False
    pages: bool = False
    fetch: FetchSettings = field(default_factory=FetchSettings)

    @property
    def content(self) -> Path:
        return Path(self.settings["PATH"])

    @property
    def timezone(self) -> str:
        return self.settings["TIMEZONE"]


def fetch_settings(settings: dict) -> FetchSettings:
    """Download settings from the site's: the link checker's allowed networks
    (only tests set any), timeout, and the content rules' image size limit."""
    return FetchSettings(
        allow_networks=tuple(settings.get("LINKCHECK_ALLOW_NETWORKS") or ()),
        timeout=float(settings.get("LINKCHECK_TIMEOUT") or 15.0),
        max_bytes=int(settings.get("CONTENTRULES_MAX_IMAGE_BYTES") or 1024 * 1024),
    )


# --- a converted post, ready to be written ---


@dataclass
class Source:
    """One post or draft to import, whatever it came from."""

    kind: str  # article or page
    title: str  # as the original had it (with any "Day N -")
    html: str
    described: str  # for the report
    published: dt.datetime | None = None
    year: int = 0
    day: int = 0
    guid: str = ""
    alias: str = ""  # the old path
    alias_computed: bool = False
    labels: list[str] = field(default_factory=list)
    account: PersonRef | None = None  # who posted it on Blogger
    base_url: str = ""
    local_root: Path | None = None  # drafts: the folder their images are in
    local_base: str = ""
    notes: list[Note] = field(default_factory=list)


def _plan(source: Source, options: Options) -> Plan:
    day, title = split_title(source.title)
    title = title or source.title or "Untitled"
    slug = article_slug(title)
    if source.kind == "page":
        path = options.content / "pages" / f"{slug}.md"
    else:
        path = options.content / f"{source.year:04d}" / f"{source.day:02d}-{slug}.md"
    plan = Plan(
        kind=source.kind,
        title=title,
        path=path,
        slug=slug,
        source=source.described,
        year=source.year,
        day=source.day,
        guid=source.guid,
        aliases=[source.alias] if source.alias else [],
        tags=list(source.labels),
    )
    plan.notes.extend(source.notes)
    # An old address that is the new one needs no alias.
    plan.aliases = [a for a in plan.aliases if a != _new_url(plan, options)]
    return plan


def _new_url(plan: Plan, options: Options) -> str:
    """The article's (or page's) address on this site, from the URL settings."""
    settings = options.settings
    try:
        if plan.kind == "page":
            url = settings.get("PAGE_URL", "{slug}.html").format(slug=plan.slug)
        else:
            date = dt.datetime(plan.year, 12, plan.day)
            url = settings.get("ARTICLE_URL", "{slug}.html").format(
                date=date, day=plan.day, slug=plan.slug
            )
    except (KeyError, IndexError, ValueError, AttributeError):
        return ""
    return "/" + url.lstrip("/")


def _summary(soup: BeautifulSoup) -> str:
    """The first paragraph's text, cut at a sentence or word near 300 characters."""
    for block in soup.find_all(["p", "div", "li", "blockquote"]):
        if block.find(["p", "div", "pre", "ul", "ol", "table"]):
            continue
        text = _text(block)
        if len(text) >= 20:
            break
    else:
        text = _text(soup)
    if len(text) > SUMMARY_LENGTH:
        cut = text[:SUMMARY_LENGTH]
        end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
        text = cut[: end + 1] if end > 80 else cut.rsplit(" ", 1)[0] + " …"
    return text


def _text(element) -> str:
    """Text of an element as a reader sees it: <br> is a space, inline tags
    join without one."""
    from bs4 import NavigableString, Tag

    parts = []
    for node in element.descendants:
        if isinstance(node, Tag) and node.name == "br":
            parts.append(" ")
        elif isinstance(node, NavigableString):
            parts.append(str(node))
    return " ".join("".join(parts).split())


def _escape_summary(text: str) -> str:
    # Pelican renders Summary as Markdown: show it as written, run nothing.
    escaped = convert._Converter().escape(text, set())
    return escaped.replace("{", "&#123;") if escaped.startswith("{") else escaped


class Importer:
    """Imports sources into the content folder and fills a report."""

    def __init__(self, options: Options, described: str):
        self.options = options
        self.report = report.ImportReport(described, dry_run=options.dry_run)
        self.people = People.load(
            options.content / options.settings.get("ADVENT_PEOPLE", "people.toml")
        )
        self.report.people_file = _shown(self.people.path)
        self.existing = Existing.scan(options.content)
        self.used_people: set[str] = set()

    def run(self, sources: list[Source], blog_hosts: set[str]) -> report.ImportReport:
        plans = []
        for source in sources:
            plan = _plan(source, self.options)
            existing = self.existing.match(plan)
            if existing is not None:
                plan.existing = existing
                plan.path = existing
            plans.append((source, plan))
        self._clashes(plans)
        links = {}
        for alias, path in self.existing.by_alias.items():
            links[alias] = path
        for _, plan in plans:
            for alias in plan.aliases:
                links[alias] = plan.path
        tags = {}
        for _, plan in plans:
            for label in plan.tags:
                tags.setdefault(label.lower(), site_slug(label))
        for source, plan in plans:
            self._one(source, plan, links, blog_hosts, tags)
        self._save_people()
        return self.report

    def _clashes(self, plans) -> None:
        """Two posts of one day: the second is not imported (listed)."""
        seen: dict[Path, str] = {}
        kept = []
        for source, plan in plans:
            key = plan.path.resolve()
            if key in seen and plan.existing is None:
                self.report.skipped.append(
                    report.Skipped(
                        source.described,
                        f"{plan.path} is also the article of {seen[key]}: import one by hand",
                    )
                )
                continue
            seen.setdefault(key, source.described)
            kept.append((source, plan))
        plans[:] = kept

    def _people(self, source: Source, soup, plan: Plan) -> tuple[list[str], list[str]]:
        byline = take_bylines(soup)
        if plan.kind == "page":
            return [], []
        authors, editors = [], []
        for role, refs, keys in (
            ("author", byline.authors, authors),
            ("editor", byline.editors, editors),
        ):
            for ref in refs:
                key, new = self.people.resolve(ref)
                keys.append(key)
                if new:
                    shown = ref.name or f"@{ref.handle}"
                    plan.notes.append(
                        Note(
                            "person",
                            f"new {role} {shown!r} added as {key!r}: check the entry",
                        )
                    )
        if (
            not authors
            and source.account
            and (source.account.name or source.account.handle)
        ):
            key, new = self.people.resolve(source.account)
            authors.append(key)
            plan.notes.append(
                Note(
                    "person",
                    f"no byline: author taken from the Blogger account ({key!r}); check it",
                )
            )
        if not authors:
            key, _ = self.people.archive()
            authors.append(key)
            plan.notes.append(
                Note(
                    "person", f"no author credited: {key!r} stands in; name the author"
                )
            )
        if not editors and plan.kind == "article":
            key, _ = self.people.archive()
            editors.append(key)
            plan.notes.append(
                Note(
                    "person",
                    f"no editor credited: {key!r} stands in; name the editor if known",
                )
            )
        return authors, editors

    def _one(self, source: Source, plan: Plan, links, blog_hosts, tags) -> None:
        options = self.options
        soup = convert.parse(source.html)
        plan.notes.extend(convert.clean(soup, source.base_url))
        authors, editors = self._people(source, soup, plan)
        summary = _summary(soup)
        hooks = ArticleHooks(
            plan,
            offline=options.offline,
            fetch=options.fetch,
            links={k: v for k, v in links.items() if v != plan.path},
            blog_hosts=blog_hosts,
            tags=tags,
            local_root=source.local_root,
            local_base=source.local_base,
        )
        converted = convert.to_markdown(soup, hooks, source.base_url)
        plan.notes.extend(converted.notes)
        if not plan.tags and plan.kind == "article":
            plan.tags = [FALLBACK_TAG]
            plan.notes.append(Note("tags", f"no labels: tagged {FALLBACK_TAG!r}"))
        text = (
            self._header(plan, authors, editors, summary or plan.title)
            + "\n"
            + converted.markdown
        )
        text, notes, left = fix_for_history(
            plan, text, hooks.files, self.people.entries, options.settings
        )
        plan.notes.extend(notes)
        plan.notes.extend(_code_notes(text, converted.code, plan))
        for problem in left:
            plan.notes.append(
                Note("check", f"{problem.check}: {problem.message}", problem.line)
            )
        self._write(plan, text, hooks, authors + editors)

    def _header(self, plan: Plan, authors, editors, summary) -> str:
        if plan.kind == "page":
            fields = [("Title", plan.title), ("Slug", plan.slug)]
        else:
            fields = [
                ("Title", plan.title),
                ("Date", midnight(plan.year, plan.day, self.options.timezone)),
                ("Day", str(plan.day)),
                ("Authors", ", ".join(dict.fromkeys(authors))),
                ("Editors", ", ".join(dict.fromkeys(editors))),
                ("Tags", ", ".join(t.replace(",", " ") for t in plan.tags)),
                ("Summary", _escape_summary(summary)),
                ("Slug", plan.slug),
            ]
        if plan.guid:
            fields.append(("Guid", plan.guid))
        if plan.aliases:
            fields.append(("Aliases", ", ".join(plan.aliases)))
        return header_text(fields)

    def _write(
        self, plan: Plan, text: str, hooks: ArticleHooks, people: list[str]
    ) -> None:
        options = self.options
        current = plan.path.read_text(encoding="utf-8") if plan.path.exists() else None
        if current == text:
            outcome = report.UNCHANGED
        elif current is not None and not options.force:
            outcome = report.KEPT
        elif options.dry_run:
            outcome = report.WOULD_UPDATE if current is not None else report.WOULD_WRITE
        else:
            write_files(plan.path, text, hooks.files)
            outcome = report.UPDATED if current is not None else report.WRITTEN
        if outcome in (
            report.UNCHANGED,
            report.WRITTEN,
            report.UPDATED,
            report.WOULD_WRITE,
            report.WOULD_UPDATE,
        ):
            self.used_people.update(people)
        self.report.articles.append(
            report.ArticleReport(
                _shown(plan.path), plan.title, plan.source, outcome, plan.notes
            )
        )

    def _save_people(self) -> None:
        self.people.added = [a for a in self.people.added if a.key in self.used_people]
        self.report.people_added = [a.key for a in self.people.added]
        if not self.options.dry_run:
            self.people.save()


def _code_notes(text: str, choices, plan: Plan) -> list[Note]:
    """A note per code block whose language the original did not give."""
    from plugins.codecheck.blocks import read_blocks

    blocks = read_blocks(text, str(plan.path)).blocks
    notes = []
    for block, choice in zip(blocks, choices, strict=False):
        if choice.how == "class":
            continue
        hint = (
            f" (its class hint {choice.hint!r} is not a known language)"
            if choice.hint
            else ""
        )
        if choice.how == "guessed":
            message = f"no language in the original{hint}: guessed {choice.lang!r}"
        else:
            message = f"no language in the original{hint}: tagged 'text'"
        notes.append(Note("language", message, block.fence_line))
    return notes


def _shown(path: Path) -> str:
    from plugins.core.problems import display_path

    return display_path(str(path))


# --- Blogger ---


def _local_day(published: dt.datetime, timezone: str) -> dt.datetime:
    return published.astimezone(ZoneInfo(timezone))


def sources_from_export(
    export: Export, options: Options, result: report.ImportReport
) -> list[Source]:
    """The posts (and pages, with --pages) of an export worth importing."""
    sources = []
    counts: dict[str, int] = {}
    for entry in export.entries:
        kind = entry.kind or "unknown"
        if kind in ("comment", "settings", "template", "unknown") or kind not in (
            "post",
            "page",
        ):
            name = {
                "comment": "comments",
                "settings": "settings entries",
                "template": "template entries",
            }.get(kind, f"{kind} entries")
            counts[name] = counts.get(name, 0) + 1
            continue
        if kind == "page" and not options.pages:
            counts["pages (import them with --pages)"] = (
                counts.get("pages (import them with --pages)", 0) + 1
            )
            continue
        if entry.status != "live":
            result.skipped.append(
                report.Skipped(
                    entry.describe(), f"{entry.status} on Blogger: not imported"
                )
            )
            continue
        problems = list(entry.problems)
        if not entry.id:
            problems.append("no <id>")
        if entry.published is None and not entry.problems:
            problems.append("no <published> date")
        if problems:
            result.errors.append(
                report.Skipped(
                    f"{export.path}:{entry.line}: {entry.describe()}",
                    "; ".join(problems),
                )
            )
            continue
        source = _source_of(entry, export, options, result)
        if source is not None:
            sources.append(source)
    result.counts = counts
    return sources


def _source_of(entry: Entry, export: Export, options: Options, result) -> Source | None:
    local = _local_day(entry.published, options.timezone)
    account = (
        PersonRef(entry.author_name)
        if entry.author_name
        and entry.author_name.lower() not in ("unknown", "anonymous")
        else None
    )
    source = Source(
        kind="page" if entry.kind == "page" else "article",
        title=entry.title,
        html=entry.content,
        described=entry.describe(),
        published=entry.published,
        guid=entry.id,
        labels=entry.labels,
        account=account,
        base_url=entry.url or export.blog_url,
    )
    if source.kind == "article":
        day, _ = split_title(entry.title)
        year = (
            local.year
            if local.month == 12
            else local.year - (1 if local.month < 7 else 0)
        )
        if (
            day is None
            and local.month == 12
            and 1 <= local.day <= options.settings.get("ADVENT_LAST_DAY", 25)
        ):
            day = local.day
            source.notes.append(
                Note(
                    "day",
                    f"no 'Day N' in the title: day {day} taken from the date it was posted",
                )
            )
        if day is None or not 1 <= day <= options.settings.get("ADVENT_LAST_DAY", 25):
            result.skipped.append(
                report.Skipped(
                    entry.describe(),
                    "not a day of the calendar (no 'Day N' in the title, not posted on 1–25 December)",
                )
            )
            return None
        if local.month != 12:
            source.notes.append(
                Note("day", f"posted on {local:%Y-%m-%d}: filed as day {day} of {year}")
            )
        if options.years and year not in options.years:
            return None
        source.year, source.day = year, day
    source.alias, source.alias_computed = _old_path(entry, local)
    if source.alias_computed:
        source.notes.append(
            Note(
                "alias",
                f"the export has no address for it: old address computed as {source.alias}",
            )
        )
    from plugins.aliases.paths import alias_problem

    if source.alias and alias_problem(source.alias):
        source.notes.append(
            Note(
                "alias",
                f"old address {source.alias!r} not kept: {alias_problem(source.alias)}",
            )
        )
        source.alias = ""
    return source


def _old_path(entry: Entry, local: dt.datetime) -> tuple[str, bool]:
    if entry.path:
        return entry.path, False
    if entry.kind == "post" and entry.title:
        return blogger_path(local.year, local.month, entry.title), True
    return "", False


def import_blogger(export_path, options: Options) -> report.ImportReport:
    """Import a Blogger export into the content folder; return the report.

    Raises blogger.ExportError when the export cannot be read (nothing is
    written then).
    """
    export = read_export(export_path)
    importer = Importer(options, str(export_path))
    sources = sources_from_export(export, options, importer.report)
    sources.sort(key=lambda s: (s.kind, s.year, s.day, s.guid))
    return importer.run(sources, export.hosts)


# --- drafts kept as HTML or Markdown ---

DRAFT_SUFFIXES = (".html", ".htm", ".md", ".markdown")


def _draft_html(path: Path) -> tuple[str, str]:
    """(title, body HTML) of an HTML or Markdown draft."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".md", ".markdown"):
        from markdown_it import MarkdownIt

        from plugins.core.source import parse_header

        header = parse_header(text)
        title = header.value("title")
        body = (
            "\n".join(text.split("\n")[header.end_line :]) if header.end_line else text
        )
        if not title:
            lines = body.lstrip("\n").split("\n")
            if lines and lines[0].startswith("# "):
                title, body = lines[0][2:].strip(), "\n".join(lines[1:])
        html = MarkdownIt("commonmark").enable("table").render(body)
        return title, html
    soup = BeautifulSoup(text, "html.parser")
    title = ""
    heading = soup.find("h1")
    if soup.title and soup.title.get_text(strip=True):
        title = soup.title.get_text(" ", strip=True)
    if heading is not None:
        title = title or heading.get_text(" ", strip=True)
        if " ".join(heading.get_text(" ").split()) == title:
            heading.decompose()
    body = soup.body or soup
    for element in body.find_all(["head", "title"]):
        element.decompose()
    return " ".join(title.split()), body.decode_contents() if hasattr(
        body, "decode_contents"
    ) else str(body)


def sources_from_drafts(
    root: Path, options: Options, result: report.ImportReport
) -> list[Source]:
    """Drafts under `root` in `YYYY/DD/…` folders (a single file works too)."""
    root = root.resolve()
    files = (
        [root]
        if root.is_file()
        else sorted(
            p
            for p in root.rglob("*")
            if p.suffix.lower() in DRAFT_SUFFIXES and p.is_file()
        )
    )
    base = root.parent if root.is_file() else root
    sources = []
    for path in files:
        if path.is_symlink():
            result.skipped.append(
                report.Skipped(str(path), "a symbolic link: not read")
            )
            continue
        parts = path.relative_to(base).parts
        year, day = _year_day(path)
        if year is None:
            result.skipped.append(report.Skipped(str(path), "not in a YYYY/DD/ folder"))
            continue
        if options.years and year not in options.years:
            continue
        try:
            title, html = _draft_html(path)
        except (OSError, ValueError) as exc:
            result.errors.append(report.Skipped(str(path), f"cannot read: {exc}"))
            continue
        relative = "/".join(parts)
        source = Source(
            kind="article",
            title=title or path.stem.replace("-", " ").capitalize(),
            html=html,
            described=relative,
            year=year,
            day=day,
            guid=str(uuid.uuid5(DRAFT_NAMESPACE, f"{year}/{day:02d}/{path.name}")),
            local_root=path.parent,
            local_base="file:///draft/",
            base_url="file:///draft/index.html",
        )
        if not title:
            source.notes.append(
                Note(
                    "day",
                    f"no title in the draft: {source.title!r} made from its file name",
                )
            )
        sources.append(source)
    return sources


def _year_day(path: Path) -> tuple[int | None, int]:
    parts = path.parts
    for index in range(len(parts) - 2):
        year, day = parts[index], parts[index + 1]
        if (
            len(year) == 4
            and year.isdigit()
            and day.isdigit()
            and 1 <= int(day) <= 25
            and len(day) <= 2
        ):
            return int(year), int(day)
    return None, 0


def import_html(path, options: Options) -> report.ImportReport:
    """Import drafts kept as HTML or Markdown in `YYYY/DD/…` folders."""
    path = Path(path)
    importer = Importer(options, str(path))
    if not path.exists():
        importer.report.errors.append(
            report.Skipped(str(path), "no such file or folder")
        )
        return importer.report
    sources = sources_from_drafts(path, options, importer.report)
    return importer.run(sources, set())
