"""Images of imported posts: downloaded safely, checked, stored beside the article.

Every download goes through `fetch_bytes`, the one place that talks to the
network: the link checker's address guard (`plugins.linkcheck.guard`) vets
every address connected to, redirects are followed by hand so each hop is
vetted, no proxy from the environment is used, and the body is capped. (When
the link checker exposes its own safe client, only `fetch_bytes` changes.)

What is stored must be a real PNG, JPEG, GIF or WebP (checked by decoding it
with Pillow, not by its name) within the content rules' size limit.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from unidecode import unidecode

FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
REDIRECTS = {301, 302, 303, 307, 308}
# Blogger's image hosts: a link from an image to its full-size copy there is
# unwrapped (the stored image is the one shown).
IMAGE_HOSTS = re.compile(
    r"(^|\.)(bp\.blogspot\.com|googleusercontent\.com|blogger\.com)$", re.I
)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg")


class FetchError(Exception):
    """The image could not be downloaded; the message says why."""


@dataclass(frozen=True)
class FetchSettings:
    """How downloads behave (tests allow their own 127.0.0.x servers)."""

    allow_networks: tuple[str, ...] = ()
    timeout: float = 15.0
    max_bytes: int = 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "SysAdvent-import/1.0"


def fetch_bytes(url: str, settings: FetchSettings) -> bytes:
    """The body of `url`, fetched through the link checker's address guard.

    Raises FetchError for a refused address, a failed request, a status other
    than 200, too many redirects or a body over `settings.max_bytes`.
    """
    return asyncio.run(_fetch(url, settings))


async def _fetch(url: str, settings: FetchSettings) -> bytes:
    import aiohttp

    from plugins.linkcheck.guard import BlockedAddress, Guard, GuardedResolver

    guard = Guard(settings.allow_networks)
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(guard), limit=2)
    timeout = aiohttp.ClientTimeout(total=settings.timeout)
    current = url
    try:
        async with aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": settings.user_agent},
            trust_env=False,  # a proxy would connect out of the guard's sight
            timeout=timeout,
        ) as session:
            for _ in range(settings.max_redirects + 1):
                parts = urlsplit(current)
                if parts.scheme not in ("http", "https"):
                    raise FetchError(f"not a web address: {current}")
                guard.check_literal(parts.hostname or "")
                async with session.get(current, allow_redirects=False) as response:
                    if response.status in REDIRECTS and "Location" in response.headers:
                        current = urljoin(current, response.headers["Location"])
                        continue
                    if response.status != 200:
                        raise FetchError(f"HTTP {response.status}")
                    return await _read_capped(response, settings.max_bytes)
            raise FetchError(f"more than {settings.max_redirects} redirects")
    except BlockedAddress as exc:
        raise FetchError(str(exc)) from None
    except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
        cause = exc
        while cause is not None:
            if isinstance(cause, BlockedAddress):
                raise FetchError(str(cause)) from None
            cause = getattr(cause, "os_error", None) or cause.__cause__
        text = str(exc) or type(exc).__name__
        raise FetchError(f"request failed: {text}") from None


async def _read_capped(response, cap: int) -> bytes:
    if response.content_length is not None and response.content_length > cap:
        raise FetchError(
            f"{response.content_length:,} bytes, over the {cap:,}-byte limit"
        )
    data = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        data += chunk
        if len(data) > cap:
            raise FetchError(f"over the {cap:,}-byte limit")
    return bytes(data)


def image_suffix(data: bytes) -> str:
    """`.png`, `.jpg`, `.gif` or `.webp` for a real image of those types, else ""."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return ""
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on hostile bytes
        return ""
    return FORMATS.get(kind or "", "")


def stem_for(url: str) -> str:
    """A file name stem from an image URL: `screen-shot-2017` from
    `…/s1600/Screen+Shot+2017.png`."""
    name = posixpath.basename(unquote(urlsplit(url).path).replace("+", " "))
    name = posixpath.splitext(name)[0]
    stem = re.sub(r"[^a-z0-9]+", "-", unidecode(name).lower()).strip("-")[:60]
    return stem.strip("-") or "image"


def looks_like_image_url(url: str) -> bool:
    """True for a link that points at an image (Blogger's full-size copies)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    if IMAGE_HOSTS.search(parts.hostname or ""):
        return True
    return parts.path.lower().endswith(IMAGE_SUFFIXES)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
