"""Entry ids that never change.

An entry's id is what a feed reader uses to decide whether it has already
shown an entry. It must survive every edit an editor makes after publishing:
a new date or day (reschedule), a new slug or title, a renamed source file, a
new domain. So it comes from a `Guid:` field written once into the article
(`new_guid()` makes one, for `invoke new` to write), never from the URL, the
date or the file name.

- `Guid: 0b9c6f0e-...` (a UUID) gives the id `urn:uuid:0b9c6f0e-...`.
- `Guid: tag:...` or any other absolute URI is used as it is, so an article
  migrated from an older feed can keep the id that feed gave it.
- Without a `Guid:` the id falls back to a UUID derived from the source file's
  path under the content folder. That survives a reschedule, a new slug, a
  new title and a new domain, but NOT a renamed file, so the build warns and
  prints the `Guid:` line that freezes the current id.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from plugins.core.problems import clashes, error, warning

CHECK = "feeds/guid"
# Fallback ids are UUIDs in this fixed namespace (never change it: every
# fallback id would change with it).
FALLBACK_NAMESPACE = uuid.UUID("5a1b6f0e-3c2d-5e4f-8a7b-000000002008")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# An entry id is also a URL to readers that link it when it looks like one:
# never one that runs code or carries a document of its own.
SCRIPT_SCHEMES = ("javascript", "vbscript", "data")


def new_guid() -> str:
    """A fresh value for an article's `Guid:` field (a random UUID)."""
    return str(uuid.uuid4())


def parse_guid(value: str) -> str:
    """The entry id for a `Guid:` value; ValueError if it is neither a UUID
    nor an absolute URI."""
    value = value.strip()
    if value.lower().startswith("urn:uuid:"):
        value = value[len("urn:uuid:") :]
    try:
        return f"urn:uuid:{uuid.UUID(value)}"
    except ValueError:
        pass
    if URI_RE.match(value):
        if value.split(":", 1)[0].lower() in SCRIPT_SCHEMES:
            raise ValueError(
                f"guid {value!r} is a script or data URL; write a UUID "
                "(invoke new makes one) or a tag: URI"
            )
        return value
    raise ValueError(
        f"guid {value!r} is neither a UUID nor an absolute URI (like tag:...)"
    )


def fallback_guid(source_key: str) -> str:
    """The `Guid:` value used when an article has none: derived from its
    source path under the content folder (e.g. `2017/15-a-carol.md`)."""
    return str(uuid.uuid5(FALLBACK_NAMESPACE, source_key))


@dataclass
class SourceIds:
    """One article source as the id check sees it."""

    path: str  # the source file, for reporting
    key: str  # its path under the content folder, posix separators
    guid: str | None  # the Guid: value, None when absent
    line: int  # line of the Guid: field (or of the header's end)


def resolve_ids(sources, *, require: bool = False) -> tuple[dict, list]:
    """Give every source its entry id; return {key: id} and the problems.

    A missing Guid is a warning (an error with `require`); an invalid one or
    one shared by two sources is an error, naming both files.
    """
    ids, problems, owners = {}, [], {}
    for source in sources:
        if source.guid is None:
            value = fallback_guid(source.key)
            report = error if require else warning
            problems.append(
                report(
                    source.path,
                    source.line,
                    CHECK,
                    "no 'Guid:' field: its feed id changes if the file is renamed; "
                    f"add 'Guid: {value}' to the header to keep today's id",
                )
            )
        else:
            value = source.guid
        try:
            entry_id = parse_guid(value)
        except ValueError as exc:
            problems.append(error(source.path, source.line, CHECK, str(exc)))
            continue
        ids[source.key] = entry_id
        owners.setdefault(entry_id, []).append(source)
    for entry_id, source, others in clashes(owners):
        problems.append(
            error(
                source.path,
                source.line,
                CHECK,
                f"guid {entry_id} is also used by {others}; "
                f"every article needs its own (e.g. 'Guid: {new_guid()}')",
            )
        )
    return ids, problems
