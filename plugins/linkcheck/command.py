"""`invoke linkcheck`: report the links of a site the pipeline just built.

The pipeline builds every article as of its day (its `site` stage already
checked internal links once); this adds the external check when asked and
prints every link problem. Exit status: 0 all links fine (warnings allowed),
1 broken links, 2 the check could not run (the build failed, …).
"""

from __future__ import annotations

import sys
from pathlib import Path

from plugins.core.problems import format_problems, summary_line

from . import report
from .external import Stats, external_findings
from .internal import Site
from .settings import with_defaults

CANNOT_RUN = 2
LINK_CHECKS = ("linkcheck/internal",)


def pages_from(source_map, sources) -> list[str]:
    """The output pages built from any of the given source files."""
    wanted = {str(s) for s in sources}
    return sorted(page for page, source in source_map.items() if source in wanted)


def run(
    result,
    output,
    settings,
    *,
    external=False,
    fmt="text",
    changed=None,
    out=sys.stdout,
    err=sys.stderr,
) -> int:
    """Print the link problems of a built site (`result`, in `output`)."""
    if fmt not in report.FORMATS:
        print(
            f"linkcheck: unknown format {fmt!r} ({', '.join(report.FORMATS)})", file=err
        )
        return CANNOT_RUN
    if not result.built:
        if fmt == "json":
            print(format_problems(result.problems, "json"), file=out)
        else:
            print(format_problems(result.problems), file=err)
        print(f"linkcheck: the build failed: {summary_line(result.problems)}", file=err)
        return CANNOT_RUN
    pages = None
    if changed is not None:
        pages = pages_from(result.source_map, changed)
    wanted = set(pages or [])
    findings = [
        p
        for p in result.problems
        if result.origin.get(p) in LINK_CHECKS
        and (pages is None or p.path in _display(changed))
    ]
    site = Site.scan(output)
    stats = Stats()
    if external:
        options = with_defaults(settings)
        # The people registry's links too, unless it is not among the changes.
        people = settings.get("ADVENT_PEOPLE", "people.toml")
        registry = (Path(options["PATH"]) / people).resolve()
        if changed is not None and registry not in {Path(p).resolve() for p in changed}:
            people = None
        findings += [
            f.problem()
            for f in external_findings(
                output,
                result.source_map,
                options,
                pages,
                site=site,
                stats=stats,
                people=people,
                prefetched=getattr(result, "external", None),
            )
        ]
    checked = len(site.pages) if pages is None else len(wanted)
    if fmt == "markdown":
        print(report.markdown_summary(findings), file=out, end="")
    else:
        text = report.format_findings(findings, fmt)
        if text:
            print(text, file=out)
    others = [
        p
        for p in result.problems
        if p.is_error and result.origin.get(p) not in LINK_CHECKS
    ]
    line = f"linkcheck: {checked} page(s) checked"
    if external:
        line += f", {stats.urls} external URL(s) ({stats.cached} from the cache"
        if stats.prefetched:
            line += f", {stats.prefetched} checked while the site built"
        line += ")"
    print(f"{line}: {report.summary(findings)}", file=err)
    if others:
        print(
            f"linkcheck: the site has {len(others)} other error(s): run `invoke check`",
            file=err,
        )
    return report.exit_code(findings)


def _display(paths) -> set[str]:
    from plugins.core.problems import display_path

    return {display_path(p) for p in paths}
