"""The search index: Pagefind (PyPI `pagefind[bin]`, the binary is in the wheel)
over the built folder, before it replaces the live output.

Pagefind holds the index of every page it reads in memory (~0.4 MB an
article: ~2 GB for 5,000), so a large archive is indexed in bundles of whole
seasons, at most `BUILD_SEARCH_BUNDLE_ARTICLES` article pages each, one after the
other: `pagefind/` first, then `pagefind-2/`, … listed in
`pagefind/bundles.json`, which the search page merges (Pagefind's
`mergeIndex`). An archive within the limit (SysAdvent's is) is one bundle,
as before.

In a rebuild, a bundle whose article pages are the ones the last build
indexed (by digest) is copied from the last site (`LastSite.take_tree`)
instead of indexed again: an edit re-indexes only its own bundle.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from plugins.core.cachekeys import digest, package_versions, short_digest
from plugins.core.problems import error
from plugins.core.reuse import LastSite
from plugins.core.store import Store

# The extra bundles, for the search page (inside the first bundle's folder,
# so it is published and replaced with the index).
BUNDLES_FILE = "pagefind/bundles.json"
DEFAULT_SAVE_AS = "{date:%Y}/12/day-{day}-{slug}.html"  # pelicanconf's
SEASON_RE = re.compile(r"^\d{4}$")


def plan_bundles(site: Path, limit: int, pages: str = "12/*.html") -> list[list[str]]:
    """The season folders of `site` grouped into bundles of at most `limit`
    article pages (`pages`: their glob inside a season folder; a season is
    never split; one bundle when all fit)."""
    seasons = [
        (name, count)
        for name, count in sorted(
            (p.name, sum(1 for _ in p.glob(pages)))
            for p in site.iterdir()
            if p.is_dir() and SEASON_RE.match(p.name)
        )
        if count  # a season with no article page has nothing to index
    ]
    if sum(count for _, count in seasons) <= limit:
        return [[]]  # one bundle of the whole site
    bundles: list[list[str]] = []
    size = 0
    for name, count in seasons:
        if not bundles or size + count > limit:
            bundles.append([])
            size = 0
        bundles[-1].append(name)
        size += count
    return bundles


def bundle_dir(index: int) -> str:
    return "pagefind" if index == 0 else f"pagefind-{index + 1}"


def article_glob(save_as: str) -> str:
    """The file glob of article pages from ARTICLE_SAVE_AS (each `{field}`
    a wildcard): Pagefind reads only them (only they have a body to index)."""
    return re.sub(r"\{[^}]*\}", "*", save_as)


def _command(site: Path, index: int, seasons: list[str], pages: str) -> list[str]:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    if not seasons:
        return command + ["--glob", pages]
    # A bundle: the same pages, in its seasons' folders only.
    rest = pages.split("/", 1)[1]
    return command + [
        "--glob",
        f"{{{','.join(seasons)}}}/{rest}",
        "--output-subdir",
        bundle_dir(index),
    ]


# Pagefind's own configuration files, read from the folder it runs in.
PAGEFIND_CONFIGS = ("pagefind.toml", "pagefind.yml", "pagefind.yaml", "pagefind.json")


def pagefind_options() -> list[str]:
    """What else Pagefind reads: its PAGEFIND_* environment variables and a
    configuration file in the folder it runs in."""
    found = [
        f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("PAGEFIND")
    ]
    for name in PAGEFIND_CONFIGS:
        path = Path(name)
        if path.is_file():
            found.append(f"{name}={short_digest(path.read_bytes())}")
    return found


def bundle_key(site: Path, index: int, seasons: list[str], pages: str) -> str:
    """Everything Pagefind reads to write bundle `index`: its article pages
    (names and bytes), the command, its options and its version."""
    if seasons:
        rest = pages.split("/", 1)[1]
        found = [p for season in seasons for p in sorted((site / season).glob(rest))]
    else:
        found = sorted(site.glob(pages))
    return digest(
        "search",
        package_versions("pagefind", "pagefind_bin"),
        " ".join(_command(Path("."), index, seasons, pages)[1:]),
        *pagefind_options(),
        *(
            f"{p.relative_to(site).as_posix()}={short_digest(p.read_bytes())}"
            for p in found
        ),
    )


# Pagefind never stops when it cannot write its files (a folder where
# pagefind.js goes): a build waits this long at most for one bundle.
PAGEFIND_TIMEOUT = 600.0


class SearchIndexing:
    """Pagefind running over the site in the background (bundle after bundle).

    `last_site` (the store's folder and the last site's folder) lets it copy
    the bundles whose pages did not change from the last site.
    """

    def __init__(
        self,
        site: Path,
        limit: int,
        save_as: str = DEFAULT_SAVE_AS,
        last_site=None,
        timeout: float = PAGEFIND_TIMEOUT,
    ):
        self.site = site
        self.timeout = timeout
        self.last_site = last_site
        self.pages = article_glob(save_as)
        # Bundles of seasons need the season as the first folder.
        seasonal = self.pages.startswith("*/")
        self.bundles = (
            plan_bundles(site, limit, self.pages.split("/", 1)[1]) if seasonal else [[]]
        )
        self.failure = ""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        if next(self.site.glob(self.pages), None) is None:
            return  # no article out yet: nothing to search (Pagefind would fail)
        last = None
        if self.last_site is not None:
            # This thread's own connection: SQLite's may not cross threads.
            folder, previous = self.last_site
            last = LastSite(Store(folder), previous)
        try:
            self._index(last)
        finally:
            if last is not None:
                last.store.close()

    def _index(self, last: LastSite | None) -> None:
        skip = (Path(BUNDLES_FILE).name,)  # rewritten below, every build
        for index, seasons in enumerate(self.bundles):
            name, key = bundle_dir(index), None
            if last is not None:
                key = bundle_key(self.site, index, seasons, self.pages)
                if last.take_tree(name, key, self.site, skip):
                    continue
            try:
                done = subprocess.run(
                    _command(self.site, index, seasons, self.pages),
                    capture_output=True,
                    text=True,
                    timeout=self.timeout,
                )
            except subprocess.TimeoutExpired:
                self.failure = f"Pagefind did not finish in {self.timeout:g} s"
                return
            if done.returncode != 0:
                detail = (done.stdout + done.stderr).strip().splitlines()
                self.failure = detail[-1] if detail else f"exit {done.returncode}"
                return
            if last is not None:
                last.keep_tree(name, key, self.site, skip)
        extra = [f"{bundle_dir(i)}/" for i in range(1, len(self.bundles))]
        (self.site / BUNDLES_FILE).write_text(json.dumps(extra) + "\n")

    def wait(self) -> list:
        """Wait for Pagefind; a problem (not an exception) when it failed."""
        self._thread.join()
        if not self.failure:
            return []
        return [
            error(
                self.site,
                0,
                "build/search",
                "the Pagefind search index could not be built: " + self.failure,
            )
        ]


def start_search(
    site: Path, limit: int = 1000, save_as: str = DEFAULT_SAVE_AS, last_site=None
) -> SearchIndexing:
    """Start indexing article bodies (`data-pagefind-body`) of the article
    pages (`save_as`: ARTICLE_SAVE_AS) into `site/pagefind/` (and more
    bundles past `limit` articles); the build goes on meanwhile
    (`finish_search`). `last_site`: see `SearchIndexing`."""
    return SearchIndexing(site, limit, save_as, last_site)


def index_search(
    site: Path,
    limit: int = 1000,
    save_as: str = DEFAULT_SAVE_AS,
    timeout: float = PAGEFIND_TIMEOUT,
) -> list:
    """Index the site and wait; a problem (not an exception) when Pagefind
    fails or takes longer than `timeout` seconds for a bundle."""
    return finish_search(SearchIndexing(site, limit, save_as, None, timeout), site)


def finish_search(indexing: SearchIndexing, site: Path) -> list:
    """Wait for Pagefind; a problem (not an exception) when it failed."""
    return indexing.wait()
