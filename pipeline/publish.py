"""`invoke publish`: build and check in a fresh folder, and only then deploy.

A failed build or check raises before the target is touched. rsync updates
with --delay-updates --delete-after, so readers never see half a site;
ghp-import commits the site to a gh-pages branch and pushes it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .build import BuildRequest, build
from .settings import load_settings


class PublishError(Exception):
    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


def is_remote(target: str) -> bool:
    """rsync's rule: a colon before the first slash names a host."""
    return bool(re.match(r"^[^/]+:", target))


def rsync(site: Path, target: str) -> None:
    """Copy the site to a folder or host; readers never see half a site."""
    if target.startswith("-"):
        raise PublishError(f"invalid target {target!r}")
    if not shutil.which("rsync"):
        raise PublishError("rsync is not installed (apt-get install rsync)")
    if not is_remote(target):
        if Path(target).exists() and not Path(target).is_dir():
            raise PublishError(f"the target {target!r} is a file, not a folder")
        Path(target).mkdir(parents=True, exist_ok=True)
    command = [
        "rsync",
        "--recursive",
        "--links",
        "--times",
        "--checksum",
        "--chmod=D755,F644",
        "--delay-updates",
        "--delete-after",
        f"{site}/",
        target.rstrip("/") + "/",
    ]
    try:
        _run(command, "rsync")
    except PublishError:
        if not is_remote(target):
            _remove_partial(Path(target))
        raise


def _remove_partial(target: Path) -> None:
    """rsync --delay-updates stages files in `.~tmp~` folders; a failed run
    (a full disk) leaves them in the live site."""
    for staged in target.rglob(".~tmp~"):
        if staged.is_dir() and not staged.is_symlink():
            shutil.rmtree(staged, ignore_errors=True)


def _run(command, what, cwd=None):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"{what} failed: {result.stderr.strip() or result.stdout}")
    return result.stdout


def remote_url(remote: str, repo: Path) -> str:
    """A remote's URL when it is a remote name of `repo`, else `remote` as is."""
    result = subprocess.run(
        ["git", "remote", "get-url", remote], cwd=repo, capture_output=True, text=True
    )
    return result.stdout.strip() if result.returncode == 0 else remote


def gh_pages(site: Path, url: str, branch: str, message: str, workdir: Path) -> None:
    """Commit the site on top of the remote's `branch` and push it.

    The work happens in a scratch repository, so the author's own branches
    are never touched; the push is not forced, so nothing is overwritten.
    """
    scratch = workdir / "ghp"
    _run(["git", "init", "--quiet", str(scratch)], "git init")
    for key, default in (("user.name", "SysAdvent publisher"), ("user.email", "")):
        value = subprocess.run(
            ["git", "config", key], capture_output=True, text=True
        ).stdout.strip()
        _run(
            ["git", "config", key, value or default or "publish@localhost"],
            "git",
            scratch,
        )
    _run(["git", "remote", "add", "origin", url], "git remote add", scratch)
    fetch = subprocess.run(
        ["git", "fetch", "--quiet", "origin", branch],
        cwd=scratch,
        capture_output=True,
        text=True,
    )
    if fetch.returncode != 0 and "couldn't find remote ref" not in fetch.stderr:
        raise PublishError(f"git fetch failed: {fetch.stderr.strip()}")
    ghp = Path(sys.executable).parent / "ghp-import"
    command = [str(ghp) if ghp.exists() else "ghp-import"]
    command += ["--no-jekyll", "--push", "--remote", "origin", "--branch", branch]
    command += ["--message", message, str(site)]
    _run(command, "ghp-import", scratch)


def publish(
    settings_file,
    content,
    *,
    target=None,
    gh_pages_remote=None,
    branch="gh-pages",
    today=None,
    repo=None,
    message="Publish the site",
):
    """Build with `settings_file` into a fresh folder, run every check, deploy.

    Returns the build's problems (warnings only: errors raise PublishError
    first; errors in articles not out yet are warnings that name their day)
    and the answers of the WebSub hubs pinged after the deploy.
    """
    with tempfile.TemporaryDirectory(prefix="sysadvent-publish-") as tmp:
        tmp = Path(tmp)
        site = tmp / "site"
        common = {
            "settings_file": str(settings_file),
            "content": str(content) if content else None,
        }
        # The site as of today, and beside it (on the other core) every article
        # as of its own day: what is wrong in a later article is reported now,
        # as a warning, and never stops today's deploy.
        with ThreadPoolExecutor(2) as pool:
            today_build = pool.submit(
                build,
                BuildRequest(output=str(site), today=today, search=True, **common),
            )
            every_day = pool.submit(
                build, BuildRequest(output=str(tmp / "check"), mode="check", **common)
            )
            result, ahead = today_build.result(), every_day.result()
        if not result.ok:
            raise PublishError("publish stopped: the checks failed", result.problems)
        settings = load_settings(settings_file, content, {"ADVENT_TODAY": today})
        problems = sorted(set(result.problems) | set(_later(ahead, settings)))
        os.chmod(site, 0o755)
        if target:
            rsync(site, target)
        else:
            url = remote_url(gh_pages_remote, Path(repo or Path.cwd()))
            gh_pages(site, url, branch, message, tmp)
        return problems, ping_hubs(site, settings)


def _later(ahead, settings) -> list:
    """The problems of articles not out yet, as warnings that name their day."""
    from plugins.advent.model import site_now
    from plugins.core.source import Sources

    from .build import as_warnings_if_later, not_out_yet

    sources = Sources()
    found = []
    for path in {p.path for p in ahead.problems}:
        source = sources.get(path)
        source.kind = "article"
        found.append(source)
    later = not_out_yet(found, site_now(settings), settings)
    return [
        p
        for p in as_warnings_if_later(ahead.problems, later)
        if os.path.abspath(p.path) in later
    ]


def ping_hubs(site: Path, settings) -> list:
    """Tell the WebSub hubs (FEEDS_WEBSUB_HUB) that every feed changed."""
    from plugins.feeds import hubs
    from plugins.feeds.websub import ping_site

    hub_urls = hubs(settings)
    if not hub_urls:
        return []
    return ping_site(site, settings["SITEURL"], hub_urls)


def ping_all(settings_file, output, hub=None, siteurl=None) -> tuple[bool, list[str]]:
    """`invoke websub-ping`: (all hubs took every feed, lines to print)."""
    from plugins.feeds import feeds_siteurl, hubs
    from plugins.feeds.websub import ping_site

    settings = load_settings(settings_file)
    targets = [hub] if hub else hubs(settings)
    if not targets:
        return True, ["no WebSub hub configured (FEEDS_WEBSUB_HUB): nothing to ping"]
    results = ping_site(
        output, siteurl or feeds_siteurl(settings), targets, settings["FEEDS_PATH"]
    )
    if not results:
        return False, [f"no feeds found in {output}"]
    failed = [r for r in results if not r.ok]
    lines = [f"{r.feed_url}: hub answered {r.status} {r.error}" for r in failed]
    lines.append(f"pinged {len(results) - len(failed)}/{len(results)} feed(s)")
    return not failed, lines
