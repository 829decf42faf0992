"""The review report of one import: what was written and what needs a person.

Rendered as text (for the terminal) and as Markdown (for an issue or a pull
request). It holds no time stamp, so the same import gives the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .convert import Note

# How an article fared.
WRITTEN = "written"
UPDATED = "overwritten (--force)"
UNCHANGED = "unchanged"
KEPT = "exists and differs: kept (use --force to overwrite)"
WOULD_WRITE = "would be written (dry run)"
WOULD_UPDATE = "would be overwritten (dry run)"

# Order and headings of the notes.
KINDS = {
    "image": "images not stored",
    "alt": "images without alt text",
    "language": "code languages guessed",
    "embed": "embeds turned into links",
    "removed": "content removed",
    "link": "links",
    "todo": "TODO in the text",
    "person": "people",
    "alias": "old addresses",
    "tags": "tags",
    "day": "day and date",
    "check": "checks that fail",
}


@dataclass
class ArticleReport:
    """One article (or page) of the import."""

    path: str  # where it is (or would be) written
    title: str
    source: str  # the entry or draft it came from
    outcome: str = ""
    notes: list[Note] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.notes)


@dataclass
class Skipped:
    """An entry that was not imported, and why."""

    source: str
    reason: str


@dataclass
class ImportReport:
    """Everything one import did."""

    source: str  # the export file or drafts folder
    articles: list[ArticleReport] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[Skipped] = field(
        default_factory=list
    )  # entries that could not be read
    people_added: list[str] = field(default_factory=list)  # keys
    people_file: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # comments, settings …
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def totals(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for article in self.articles:
            found[article.outcome] = found.get(article.outcome, 0) + 1
        return found

    def summary(self) -> str:
        parts = [f"{n} {outcome}" for outcome, n in self.totals().items()]
        review = sum(a.needs_review for a in self.articles)
        parts.append(f"{review} to review")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.errors:
            parts.append(f"{len(self.errors)} unreadable")
        return f"import of {self.source}: " + ", ".join(parts)

    # --- rendering ---

    def as_text(self) -> str:
        lines = [self.summary(), ""]
        for article in self.articles:
            lines.append(f"{article.path}: {article.outcome}")
            lines.append(f"    {article.title} (from {article.source})")
            for kind, notes in _grouped(article.notes):
                for note in notes:
                    where = f"line {note.line}: " if note.line else ""
                    lines.append(
                        f"    - {KINDS.get(kind, kind)}: {where}{note.message}"
                    )
        if self.people_added:
            lines += [
                "",
                f"people added to {self.people_file}: {', '.join(self.people_added)}",
            ]
        if self.skipped:
            lines += ["", "not imported:"]
            lines += [f"    {s.source}: {s.reason}" for s in self.skipped]
        if self.counts:
            lines += ["", "also in the export, not imported: " + _counts(self.counts)]
        if self.errors:
            lines += ["", "errors (entries that could not be imported):"]
            lines += [f"    {s.source}: {s.reason}" for s in self.errors]
        return "\n".join(lines).rstrip() + "\n"

    def as_markdown(self) -> str:
        lines = [f"# Import review: `{_code(self.source)}`", "", self.summary(), ""]
        lines += ["| article | outcome | to review |", "|---|---|---|"]
        for article in self.articles:
            lines.append(
                f"| `{_code(article.path)}` {_cell(article.title)} | {_cell(article.outcome)} "
                f"| {len(article.notes)} |"
            )
        for article in self.articles:
            if not article.notes:
                continue
            lines += [
                "",
                f"## `{_code(article.path)}`",
                "",
                f"{_cell(article.title)} (from {_cell(article.source)})",
                "",
            ]
            for kind, notes in _grouped(article.notes):
                for note in notes:
                    where = f"line {note.line}: " if note.line else ""
                    lines.append(
                        f"- [ ] **{KINDS.get(kind, kind)}**: {where}{_cell(note.message)}"
                    )
        if self.people_added:
            lines += ["", "## People added", ""]
            lines += [
                f"- `{key}` in `{_code(self.people_file)}`" for key in self.people_added
            ]
        if self.skipped:
            lines += ["", "## Not imported", ""]
            lines += [f"- {_cell(s.source)}: {_cell(s.reason)}" for s in self.skipped]
        if self.counts:
            lines += [
                "",
                "Also in the export, not imported: " + _counts(self.counts) + ".",
            ]
        if self.errors:
            lines += ["", "## Errors", ""]
            lines += [f"- {_cell(s.source)}: {_cell(s.reason)}" for s in self.errors]
        return "\n".join(lines).rstrip() + "\n"


def _grouped(notes):
    order = list(KINDS)
    for kind in sorted(
        {n.kind for n in notes}, key=lambda k: (order.index(k) if k in order else 99, k)
    ):
        yield kind, [n for n in notes if n.kind == kind]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))


def _cell(text: str) -> str:
    # Shown as written: no HTML of an untrusted export reaches the Markdown.
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return str(text).replace("`", "'")
