"""Social images: one PNG card per article (day, title, author), drawn with
Pillow's built-in font, so a build needs no font files and no network.

Drawing and encoding a card costs tens of milliseconds, so cards are kept in
a cache folder keyed by everything that shapes them: a build copies the
cached PNG of an unchanged card instead of drawing it again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import tempfile
import textwrap
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
BACKGROUND = "#14301f"  # fir green
PAPER = "#fdfcf8"
ACCENT = "#e8b64c"  # candle gold
MUTED = "#c9d6cc"

# Bump when the card's look changes in a way the source hash below misses.
CARD_VERSION = "2"
# zlib level 1: lossless (the same pixels as any level) and ~8x faster to
# encode than `optimize=True`, for ~20 % more bytes (~67 KiB a card, not
# ~56 KiB). A 256-colour palette would be smaller but shifts the background
# and the anti-aliased text edges by a few levels.
PNG_OPTIONS = {"compress_level": 1}


def _font(size: int):
    return ImageFont.load_default(size=size)


def _wrap(draw, text: str, size: int, width: int, max_lines: int) -> list[str]:
    """Wrap `text` to fit `width` pixels, ellipsising after `max_lines`."""
    font = _font(size)
    chars = max(8, int(width / (size * 0.5)))
    while chars > 8:
        lines = textwrap.wrap(text, chars)
        if all(draw.textlength(line, font=font) <= width for line in lines):
            break
        chars -= 2
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return lines


def draw_card(
    sitename: str, season: int, day: int, title: str, byline: str
) -> Image.Image:
    """The social image of one article, as a Pillow image."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 72
    # The calendar door: a gold-edged square holding the day number.
    door = (margin, margin, margin + 190, margin + 190)
    draw.rounded_rectangle(door, radius=22, fill=PAPER, outline=ACCENT, width=8)
    number = str(day)
    big = _font(120)
    left, top, right, bottom = draw.textbbox((0, 0), number, font=big)
    draw.text(
        (
            door[0] + (190 - (right - left)) / 2 - left,
            door[1] + (190 - (bottom - top)) / 2 - top,
        ),
        number,
        font=big,
        fill=BACKGROUND,
    )
    draw.text(
        (margin + 240, margin + 30), f"{sitename} {season}", font=_font(44), fill=ACCENT
    )
    draw.text(
        (margin + 240, margin + 95),
        f"Day {day} of the advent calendar",
        font=_font(34),
        fill=MUTED,
    )
    size = 64 if len(title) < 60 else 52
    y = margin + 250
    for line in _wrap(draw, title, size, WIDTH - 2 * margin, 3):
        draw.text((margin, y), line, font=_font(size), fill=PAPER)
        y += int(size * 1.2)
    if byline:
        draw.text((margin, HEIGHT - margin - 36), byline, font=_font(36), fill=MUTED)
    return image


def encode_card(**fields) -> bytes:
    """The card of `fields` (those of `draw_card`) as PNG bytes."""
    out = io.BytesIO()
    draw_card(**fields).save(out, "PNG", **PNG_OPTIONS)
    return out.getvalue()


@functools.cache
def _salt() -> str:
    """What shapes every card besides its fields: this module's code, the
    options, and the Pillow and FreeType that draw the text."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return json.dumps(
        [CARD_VERSION, code, PIL.__version__, features.version("freetype2")]
    )


def card_key(**fields) -> str:
    """The cache key of the card of `fields`: a hash of every input."""
    data = json.dumps(
        [_salt(), WIDTH, HEIGHT, PNG_OPTIONS, fields], sort_keys=True, default=str
    )
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def is_card_png(data: bytes) -> bool:
    """True if `data` is a whole PNG of the card's size (every chunk's CRC
    checked): a truncated or damaged cache entry is never copied out."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or image.size != (WIDTH, HEIGHT):
                return False
            image.verify()
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError...
        return False
    return True


class CardCache:
    """PNG files named by card key in `folder`, counting hits and draws."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.hits = 0
        self.drawn = 0

    def get(self, key: str) -> bytes | None:
        """The cached PNG of `key`, or None if missing or not a whole card."""
        try:
            data = (self.folder / f"{key}.png").read_bytes()
        except OSError:
            return None
        return data if is_card_png(data) else None

    def put(self, key: str, data: bytes) -> None:
        """Store `data` atomically (a concurrent build never reads half a file)."""
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".card-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.folder / f"{key}.png")
        except OSError:
            # A cache that cannot be written only costs time next build.
            if temporary:
                Path(temporary).unlink(missing_ok=True)


def write_card(
    path: Path, cache: CardCache | None = None, drawn: bytes | None = None, **fields
) -> Path:
    """Write the card of `fields` as a PNG at `path`, copied from `cache`
    when an entry of the same inputs is there, else drawn (and cached);
    `drawn` is the card already drawn elsewhere (a worker process)."""
    data = None
    if drawn is not None:
        data = drawn
        if cache is not None:
            cache.drawn += 1
            cache.put(card_key(**fields), data)
    elif cache is not None:
        key = card_key(**fields)
        data = cache.get(key)
        if data is not None:
            cache.hits += 1
    if data is None:
        data = encode_card(**fields)
        if cache is not None:
            cache.drawn += 1
            cache.put(key, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
