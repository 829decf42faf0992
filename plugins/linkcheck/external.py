"""The external check: every outside URL requested once per run, politely and safely.

- a global limit, a per-host limit and a minimum gap between requests to a host;
- GET with a body-size cap (HEAD for opted-in hosts), redirects followed by hand
  so that every hop goes through the address guard;
- retries with growing, jittered waits on timeouts, 5xx and 429, obeying
  Retry-After; a host that keeps answering 429 goes to a slow lane at the end;
- outcomes ok / broken / unknown, cached between runs.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
import time
from collections import defaultdict
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import aiohttp

from plugins.core.problems import display_path

from . import report, urls
from .cache import Cache
from .guard import BlockedAddress, Guard, GuardedResolver
from .internal import Locator, Site

REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
BROKEN_STATUSES = {404, 410}
# Walls put up for bots, not broken pages: a person with a browser gets through.
UNKNOWN_STATUSES = {401, 403, 429, 999}


@dataclass
class Result:
    """What became of one URL."""

    url: str
    outcome: str
    status: int | None = None
    message: str = ""
    final_url: str = ""  # where redirects ended
    moved_to: str = ""  # the new address after permanent redirects
    attempts: int = 0
    archive: str = ""  # a Wayback Machine copy, for broken links
    cached: bool = False

    def entry(self) -> dict:
        data = asdict(self)
        data.pop("cached")
        data.pop("url")
        return data


@dataclass
class Answer:
    """One request's answer, after retries."""

    status: int | None
    location: str = ""
    attempts: int = 0
    outcome: str = ""  # set when the request itself failed
    message: str = ""


class SlowLane(Exception):
    """The host keeps answering 429: check this URL at the end, slowly."""


@dataclass
class HostState:
    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    slow: bool = False
    active: int = 0
    max_active: int = 0
    requests: int = 0


def user_agent(settings) -> str:
    """An honest User-Agent that names the site and where to find it."""
    if settings.get("LINKCHECK_USER_AGENT"):
        return settings["LINKCHECK_USER_AGENT"]
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", settings.get("SITENAME") or "Pelican").strip(
        "-"
    )
    siteurl = settings.get("SITEURL") or ""
    contact = f" (+{siteurl})" if siteurl.startswith("http") else ""
    return f"{name}-linkcheck/1.0{contact}"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def classify_status(status: int, accept=()) -> tuple[str, str]:
    """(outcome, message) for a final HTTP status."""
    if 200 <= status < 300 or status in accept:
        return report.OK, ""
    if status in BROKEN_STATUSES:
        return report.BROKEN, f"HTTP {status}"
    if status in UNKNOWN_STATUSES:
        return report.UNKNOWN, f"HTTP {status}: the site refuses robots; check by hand"
    if status >= 500:
        return report.UNKNOWN, f"HTTP {status}: server error"
    return report.BROKEN, f"HTTP {status}"


class Checker:
    """Checks a set of URLs with one aiohttp session."""

    def __init__(
        self, settings, session: aiohttp.ClientSession, cache: Cache, guard: Guard
    ):
        self.s = settings
        self.session = session
        self.cache = cache
        self.guard = guard
        self.hosts: dict[str, HostState] = {}
        self.limit = asyncio.Semaphore(settings["LINKCHECK_CONCURRENCY"])
        self.head_hosts = {h.lower() for h in settings["LINKCHECK_HEAD_HOSTS"]}
        self.accept = set(settings["LINKCHECK_ACCEPT"])

    def host(self, key: str) -> HostState:
        if key not in self.hosts:
            limit = self.s["LINKCHECK_HOST_CONCURRENCY"]
            self.hosts[key] = HostState(asyncio.Semaphore(limit))
        return self.hosts[key]

    async def run(self, url_list, known=None) -> dict[str, Result]:
        """Check every URL once; cached fresh outcomes and `known` ones (this
        run's, {url: Result fields}) are not requested again."""
        results: dict[str, Result] = {}
        known = known or {}
        todo = []
        for url in dict.fromkeys(url_list):
            if url in known:
                results[url] = Result(url=url, **known[url])
                continue
            entry = self.cache.get(url)
            if entry:
                fields = {
                    k: v for k, v in entry.items() if k in Result.__dataclass_fields__
                }
                results[url] = Result(url=url, cached=True, **fields)
            else:
                todo.append(url)
        deferred = []

        async def one(url, slow=False):
            try:
                results[url] = await self.check(url, slow)
            except SlowLane:
                deferred.append(url)

        await asyncio.gather(*(one(url) for url in todo))
        # The slow lane: one request at a time, after everything else.
        for url in deferred:
            await one(url, slow=True)
        if self.s["LINKCHECK_WAYBACK"]:
            # Only the ones checked now: a cached or `known` outcome has its
            # suggestion already.
            broken = [
                results[url]
                for url in todo
                if url in results and results[url].outcome == report.BROKEN
            ]
            await asyncio.gather(*(self.suggest_archive(r) for r in broken))
        for url in todo:
            if url in results:
                self.cache.put(url, results[url].entry())
        return results

    async def check(self, url: str, slow: bool = False) -> Result:
        """Follow `url` through its redirects to an outcome."""
        current = url
        hops: list[tuple[int, str]] = []
        attempts = 0
        for _ in range(self.s["LINKCHECK_MAX_REDIRECTS"] + 1):
            answer = await self.request(current, slow)
            attempts += answer.attempts
            if answer.outcome:
                return Result(
                    url,
                    answer.outcome,
                    answer.status,
                    answer.message,
                    final_url=current if hops else "",
                    attempts=attempts,
                )
            if answer.status in REDIRECTS and answer.location:
                target = urljoin(current, answer.location)
                if urlsplit(target).scheme not in urls.WEB_SCHEMES:
                    return Result(
                        url,
                        report.BROKEN,
                        answer.status,
                        f"redirects to a non-web address {target}",
                        final_url=target,
                        attempts=attempts,
                    )
                hops.append((answer.status, target))
                current = urldefrag(target).url if "#" not in url else target
                continue
            outcome, message = classify_status(answer.status, self.accept)
            result = Result(url, outcome, answer.status, message, attempts=attempts)
            if hops:
                result.final_url = current
                result.moved_to = _moved_to(hops)
                if message:
                    result.message = f"{message} (after redirects to {current})"
            return result
        return Result(
            url,
            report.BROKEN,
            None,
            f"more than {self.s['LINKCHECK_MAX_REDIRECTS']} redirects",
            final_url=current,
            attempts=attempts,
        )

    async def request(self, url: str, slow: bool) -> Answer:
        """One request with retries on timeouts, 5xx and 429."""
        key = urlsplit(url).netloc.lower()
        state = self.host(key)
        retries = self.s["LINKCHECK_RETRIES"]
        last_status, last_problem = None, ""
        attempt = 0

        def broken(message):
            return Answer(
                None, attempts=attempt, outcome=report.BROKEN, message=message
            )

        for attempt in range(1, retries + 2):
            if state.slow and not slow:
                raise SlowLane(url)
            try:
                status, location, retry_after = await self.fetch(url, key, slow)
            except BlockedAddress as exc:
                return broken(str(exc))
            except (TimeoutError, aiohttp.ServerTimeoutError):
                last_status, last_problem, retry_after = None, "timed out", None
            except aiohttp.ClientConnectorDNSError as exc:
                blocked = _blocked_cause(exc)
                return broken(str(blocked) if blocked else "host not found (DNS)")
            except aiohttp.ClientConnectorCertificateError as exc:
                return broken(f"TLS certificate error: {exc.certificate_error}")
            except aiohttp.ClientConnectorError as exc:
                blocked = _blocked_cause(exc)
                if blocked:
                    return broken(str(blocked))
                return broken(f"connection failed: {exc.os_error.strerror or exc}")
            except (aiohttp.ClientError, ValueError) as exc:
                blocked = _blocked_cause(exc)
                if blocked:
                    return broken(str(blocked))
                last_status, last_problem, retry_after = None, f"failed: {exc!r}", None
                if isinstance(exc, aiohttp.InvalidURL | ValueError):
                    return broken(f"invalid URL: {exc}")
            else:
                if status != 429 and status < 500:
                    return Answer(status, location, attempt)
                last_status, last_problem = status, f"HTTP {status}"
                if status == 429 and retry_after is not None:
                    if retry_after > self.s["LINKCHECK_RETRY_AFTER_MAX"] and not slow:
                        state.slow = True
                        raise SlowLane(url)
            if attempt > retries:
                break
            if retry_after is not None:
                # Retry-After holds back every request to this host, not only ours.
                wait = min(retry_after, self.s["LINKCHECK_RETRY_AFTER_MAX"])
                loop = asyncio.get_running_loop()
                state.next_start = max(state.next_start, loop.time() + wait)
            else:
                await asyncio.sleep(self.backoff(attempt))
        if last_status == 429:
            if not slow:
                state.slow = True
                raise SlowLane(url)
            return Answer(
                429,
                attempts=attempt,
                outcome=report.UNKNOWN,
                message="HTTP 429: rate limited on every try; check by hand",
            )
        if last_status is None:
            return Answer(
                None,
                attempts=attempt,
                outcome=report.UNKNOWN,
                message=f"{last_problem} ({attempt} tries)",
            )
        return Answer(
            last_status,
            attempts=attempt,
            outcome=report.UNKNOWN,
            message=f"{last_problem}: server error on every try ({attempt} tries)",
        )

    def backoff(self, attempt: int) -> float:
        """Growing waits with jitter: base * 2^(n-1) plus up to one base at random."""
        base = self.s["LINKCHECK_BACKOFF_BASE"]
        wait = base * 2 ** (attempt - 1) + random.uniform(0, base)
        return min(wait, self.s["LINKCHECK_BACKOFF_MAX"])

    @asynccontextmanager
    async def polite(self, key: str, slow: bool):
        """Hold one of the host's slots, and keep the gap between its requests."""
        state = self.host(key)
        async with state.semaphore:
            async with state.lock:
                loop = asyncio.get_running_loop()
                wait = state.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                gap = self.s[
                    "LINKCHECK_SLOW_LANE_GAP" if slow else "LINKCHECK_HOST_MIN_GAP"
                ]
                state.next_start = loop.time() + gap
            async with self.limit:
                state.active += 1
                state.max_active = max(state.max_active, state.active)
                state.requests += 1
                try:
                    yield
                finally:
                    state.active -= 1

    async def fetch(self, url: str, key: str, slow: bool):
        """(status, Location, Retry-After seconds) of one request (body capped)."""
        parts = urlsplit(url)
        # The host as aiohttp will connect to it (IDNA, numeric IPv4 forms …).
        self.guard.check_url(url)
        method = "HEAD" if (parts.hostname or "").lower() in self.head_hosts else "GET"
        timeout = aiohttp.ClientTimeout(total=self.s["LINKCHECK_TIMEOUT"])
        async with self.polite(key, slow):
            async with self.session.request(
                method, url, allow_redirects=False, timeout=timeout
            ) as response:
                if method == "GET":
                    await _read_capped(response, self.s["LINKCHECK_MAX_BODY"])
                status = response.status
                headers = response.headers
        if method == "HEAD" and status in (405, 501):
            self.head_hosts.discard((parts.hostname or "").lower())
            return await self.fetch(url, key, slow)
        return (
            status,
            headers.get("Location", ""),
            parse_retry_after(headers.get("Retry-After")),
        )

    async def suggest_archive(self, result: Result) -> None:
        """Ask the Wayback Machine's availability API for a copy of a broken URL."""
        api = self.s["LINKCHECK_WAYBACK_API"]
        query = f"{api}?url={quote(result.url, safe='')}"
        parts = urlsplit(query)
        try:
            self.guard.check_url(query)
            async with self.polite(parts.netloc.lower(), False):
                async with self.session.get(
                    query,
                    timeout=aiohttp.ClientTimeout(total=self.s["LINKCHECK_TIMEOUT"]),
                ) as response:
                    data = await response.json(content_type=None)
            closest = data["archived_snapshots"]["closest"]
            if closest.get("available") and closest.get("url"):
                result.archive = closest["url"]
        except (
            TimeoutError,
            aiohttp.ClientError,
            OSError,
            ValueError,
            KeyError,
            TypeError,
        ):
            return  # a suggestion only: no copy, no harm


async def _read_capped(response, cap: int) -> None:
    """Read at most `cap` bytes of the body; the connection is dropped after that."""
    length = response.content_length
    if length is not None and length > cap:
        response.close()
        return
    read = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        read += len(chunk)
        if read >= cap:
            response.close()
            return


def _moved_to(hops) -> str:
    """The address after the leading permanent redirects ("" when none)."""
    moved = ""
    for status, target in hops:
        if status not in PERMANENT:
            break
        moved = target
    return moved


def _blocked_cause(exc) -> BlockedAddress | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, BlockedAddress):
            return exc
        seen.add(id(exc))
        exc = getattr(exc, "os_error", None) or exc.__cause__ or exc.__context__
    return None


async def check_urls(url_list, settings, cache: Cache | None = None, known=None):
    """Check URLs; returns ({url: Result}, checker) (the checker holds host
    stats). `known`: {url: Result fields} checked already in this run (while
    the site built: `prefetch`), taken as they are."""
    cache = cache or Cache(None, {})
    guard = Guard(settings["LINKCHECK_ALLOW_NETWORKS"])
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(guard), limit=settings["LINKCHECK_CONCURRENCY"]
    )
    # trust_env=False: a proxy from the environment would connect for us,
    # out of the guard's sight.
    async with aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": user_agent(settings)},
        trust_env=False,
    ) as session:
        checker = Checker(settings, session, cache, guard)
        results = await checker.run(url_list, known or {})
    return results, checker


def cache_for(settings) -> Cache:
    """The cache named by the settings (none when LINKCHECK_CACHE_PATH is empty)."""
    folder = settings.get("LINKCHECK_CACHE_PATH")
    path = Path(folder) / settings["LINKCHECK_CACHE_FILE"] if folder else None
    return Cache(path, settings["LINKCHECK_CACHE_TTL"])


def external_target(url: str, settings) -> str | None:
    """What the check requests for a reference to `url`: the URL without its
    fragment (`//host` as https), or None when it is not external or the
    settings skip it (LINKCHECK_SKIP)."""
    siteurl = settings.get("SITEURL", "")
    allowed = tuple(settings["LINKCHECK_ALLOW_NETWORKS"])
    if urls.classify(url, siteurl, allowed).kind != urls.EXTERNAL:
        return None
    target = urldefrag(url.strip()).url
    if target.startswith("//"):
        target = "https:" + target
    if any(re.search(p, target) for p in settings["LINKCHECK_SKIP"]):
        return None
    return target


def collect_external(site: Site, pages, settings) -> dict[str, list]:
    """{url without fragment: [(page, ref), ...]} of every external reference."""
    found = defaultdict(list)
    for page in pages:
        for ref in site.pages[page].refs:
            target = external_target(ref.url, settings)
            if target is not None:
                found[target].append((page, ref))
    return found


@dataclass
class Stats:
    urls: int = 0
    cached: int = 0
    requests: int = 0
    prefetched: int = 0  # checked while the site built


def people_links(path) -> list[tuple[str, int]]:
    """(url, line) of every link in the people registry (a TOML file), in
    order; nothing when it cannot be read (the registry check says why)."""
    import tomllib

    try:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    lines = text.splitlines()
    found = []
    for entry in data.values():
        links = entry.get("links", []) if isinstance(entry, dict) else []
        for url in [links] if isinstance(links, str) else links:
            if not isinstance(url, str) or not url.strip():
                continue
            line = next((n for n, text in enumerate(lines, start=1) if url in text), 0)
            found.append((url.strip(), line))
    return found


def _people_refs(settings, occurrences, people):
    """{url: [line, ...]} of the registry's external links that no built page
    holds (people without a published article have no page), and findings
    for the ones that are no web address at all."""
    refs: dict[str, list[int]] = defaultdict(list)
    bad = []
    if not people:
        return refs, bad
    path = Path(settings.get("PATH", "content")) / people
    siteurl = settings.get("SITEURL", "")
    allowed = tuple(settings["LINKCHECK_ALLOW_NETWORKS"])
    skip = [re.compile(p) for p in settings["LINKCHECK_SKIP"]]
    for url, line in people_links(path):
        kind = urls.classify(url, siteurl, allowed)
        if kind.kind == urls.BAD:
            bad.append(
                report.error(
                    display_path(path),
                    line,
                    url,
                    f"people link {url!r}: {kind.reason}",
                    check=report.EXTERNAL,
                )
            )
            continue
        if kind.kind != urls.EXTERNAL:
            continue
        target = urldefrag(url).url
        if target.startswith("//"):
            target = "https:" + target
        if target in occurrences or any(p.search(target) for p in skip):
            continue  # on a person's page: found and located like any link
        refs[target].append(line)
    return refs, bad


def external_findings(
    output_dir,
    source_map,
    settings,
    pages=None,
    site=None,
    stats=None,
    people=None,
    prefetched=None,
):
    """Findings for every external link that is broken, unknown or moved.

    `people`: the people registry (relative to PATH, e.g. "people.toml"),
    whose links are checked too, reported at the registry's lines.
    `prefetched`: what the build checked while it ran (`BuildResult.external`).
    """
    prefetched = prefetched or {}
    known = prefetched.get("results") or {}
    site = site or Site.scan(output_dir)
    selected = (
        sorted(site.pages) if pages is None else sorted(set(pages) & set(site.pages))
    )
    occurrences = collect_external(site, selected, settings)
    people_refs, findings = _people_refs(settings, occurrences, people)
    cache = cache_for(settings)
    results, checker = asyncio.run(
        check_urls([*occurrences, *people_refs], settings, cache, known)
    )
    cache.save()
    if stats is not None:
        stats.urls = len(results)
        stats.cached = sum(r.cached for r in results.values())
        stats.requests = sum(h.requests for h in checker.hosts.values())
        stats.prefetched = sum(
            url in known and not result.cached for url, result in results.items()
        )
        stats.requests += prefetched.get("requests", 0)
    locator = Locator(output_dir, source_map, settings)
    registry = display_path(Path(settings.get("PATH", "content")) / (people or ""))
    for url, result in sorted(results.items()):
        message = _message(result)
        if not message:
            continue
        for line in people_refs.get(url, []):
            findings.append(_finding(result, url, registry, line, 0, "", message))
        theme, located = [], set()
        for page, ref in occurrences[url]:
            path, line, column, in_source = locator.locate(page, ref)
            if in_source:
                # One finding per place in a source, however many pages show
                # it (a person's link: their page and each article's author box).
                if (path, line, column) not in located:
                    located.add((path, line, column))
                    findings.append(
                        _finding(result, ref.url, path, line, column, page, message)
                    )
            else:
                theme.append((page, ref))
        if theme:
            page, ref = theme[0]
            extra = f" (theme: in {len(theme)} pages)" if len(theme) > 1 else ""
            findings.append(
                _finding(result, ref.url, page, ref.line, 0, page, message + extra)
            )
    return findings


def _message(result: Result) -> str:
    if result.outcome == report.BROKEN:
        text = f"broken link: {result.message}"
        if result.archive:
            text += f"; an archived copy: {result.archive}"
        return text
    if result.outcome == report.UNKNOWN:
        return f"could not check: {result.message}"
    if result.moved_to:
        return f"moved permanently to {result.moved_to}: update the link"
    return ""


def _finding(result, url, path, line, column, page, message):
    make = report.error if result.outcome == report.BROKEN else report.warning
    kwargs = {"page": page, "status": result.status, "check": report.EXTERNAL}
    if result.outcome != report.BROKEN:
        kwargs["outcome"] = result.outcome
    return make(
        path, line, url, message, column=column, final_url=result.final_url, **kwargs
    )
