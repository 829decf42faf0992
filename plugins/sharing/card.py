"""Social images: one PNG card per article (day, title, author), drawn with
Pillow's built-in font, so a build needs no font files and no network.

A card is a palette ("P") PNG: it has four flat colours (background, paper,
accent, muted) and the anti-aliased edges of text between a text colour and
the flat colour under it. The palette holds those four colours and, for each
text colour, a ramp of 84 shades from the background to it; each text is
drawn anti-aliased into an "L" coverage mask whose values map to its ramp.
A card is then 1 byte a pixel, not 3: over 57 titles of the benchmark corpus
and the 2017 season, encoding fell from ~10 ms to ~1.9 ms a card and files
from ~52 KiB to ~26 KiB, and drawing from ~4.0 ms to ~2.3 ms. Every channel
of every pixel is within 2 levels of the RGB drawing of the same card (the
RGB card this module drew until CARD_VERSION 3; a test holds it there).
A text whose box is not on one flat colour (a 3-line title at the large size
reaches into the byline) may blend with more than one colour, which no ramp
holds: such a card is drawn and saved as RGB, exactly as before (1 of the
475 titles of the benchmark corpus; it then costs ~2 ms more than before).
Each text is drawn on an image just larger than its box rather than the
whole card, and texts that many cards share (the season, "Day N of…", the
door's number) are drawn once per process: the same pixels (a test keeps
them to the full-size drawing), ~3.0 ms -> ~1.6 ms a card's drawing.

Cards are also kept in a cache folder keyed by everything that shapes them:
a build copies the cached PNG of an unchanged card instead of drawing it
again.
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
from PIL import Image, ImageColor, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
BACKGROUND = "#14301f"  # fir green
PAPER = "#fdfcf8"
ACCENT = "#e8b64c"  # candle gold
MUTED = "#c9d6cc"

# Bump when the card's look changes in a way the source hash below misses.
CARD_VERSION = "3"
# zlib level 1: lossless (the same pixels as any level) and several times
# faster to encode than `optimize=True`, for a few more bytes.
PNG_OPTIONS = {"compress_level": 1}
# Shades from the background to each text colour: 3 ramps and the 4 flat
# colours fill the 256 palette entries (fewer shades: more error, hardly
# fewer bytes; 16 shades err by 7 levels and save ~15 %).
_RAMP_STEPS = 84


@functools.cache
def _font(size: int):
    # Loading decodes the built-in font from base64 each time (~0.3 ms a card).
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


def _layout(sitename: str, season: int, day: int, title: str, byline: str):
    """What the card shows and where: the calendar door's box and the texts
    as (xy, text, font, colour), in drawing order."""
    # Measured with anti-aliased glyphs (an "L" draw), as they are drawn.
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    margin = 72
    # The calendar door: a gold-edged square holding the day number.
    door = (margin, margin, margin + 190, margin + 190)
    number = str(day)
    big = _font(120)
    left, top, right, bottom = measure.textbbox((0, 0), number, font=big)
    texts = [
        (
            (
                door[0] + (190 - (right - left)) / 2 - left,
                door[1] + (190 - (bottom - top)) / 2 - top,
            ),
            number,
            big,
            BACKGROUND,
        ),
        ((margin + 240, margin + 30), f"{sitename} {season}", _font(44), ACCENT),
        (
            (margin + 240, margin + 95),
            f"Day {day} of the advent calendar",
            _font(34),
            MUTED,
        ),
    ]
    size = 64 if len(title) < 60 else 52
    y = margin + 250
    for line in _wrap(measure, title, size, WIDTH - 2 * margin, 3):
        texts.append(((margin, y), line, _font(size), PAPER))
        y += int(size * 1.2)
    if byline:
        texts.append(((margin, HEIGHT - margin - 36), byline, _font(36), MUTED))
    return door, texts


def _draw_rgb(door, texts) -> Image.Image:
    """The card as an RGB image: what every card looked like before
    CARD_VERSION 3, and still is when texts overlap."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(door, radius=22, fill=PAPER, outline=ACCENT, width=8)
    for xy, text, font, colour in texts:
        draw.text(xy, text, font=font, fill=colour)
    return image


def _palette():
    """The palette of every card, its flat colours' indices, and for each
    (index of the flat colour under a text, text colour) the table from the
    text's coverage (0-255) to a palette index.

    A shade is the middle of the exact blends (Pillow's own, drawn below) it
    stands for, so it errs by half their spread at most. The day number
    (background-coloured text on paper) reads the paper ramp backwards."""
    flat = [BACKGROUND, PAPER, ACCENT, MUTED]
    index = {colour: i for i, colour in enumerate(flat)}
    coverage = Image.frombytes("L", (256, 1), bytes(range(256)))
    pairs = [(BACKGROUND, PAPER), (PAPER, BACKGROUND)]
    pairs += [(BACKGROUND, ACCENT), (BACKGROUND, MUTED)]
    blends_of = {}  # palette index -> the exact blends it stands for
    tables = {}
    for under, ink in pairs:
        # The same draw_bitmap call that draws text on an RGB image.
        blends = Image.new("RGB", (256, 1), under)
        ImageDraw.Draw(blends).bitmap((0, 0), coverage, fill=ink)
        other = ink if under == BACKGROUND else under
        first = len(flat) + (index[other] - 1) * _RAMP_STEPS
        table = [index[under]] + [0] * 254 + [index[ink]]
        for alpha in range(1, 255):
            toward = alpha if under == BACKGROUND else 255 - alpha
            table[alpha] = first + (toward - 1) * _RAMP_STEPS // 254
            blends_of.setdefault(table[alpha], []).append(blends.getpixel((alpha, 0)))
        tables[index[under], ink] = table
    palette = [ImageColor.getrgb(colour) for colour in flat]
    for shade in sorted(blends_of):
        channels = zip(*blends_of[shade], strict=True)
        palette.append(tuple((min(c) + max(c) + 1) // 2 for c in channels))
    return [value for rgb in palette for value in rgb], index, tables


_PALETTE, _INDEX, _TABLES = _palette()


@functools.cache
def _door_canvas(door) -> Image.Image:
    """The background and the door as palette indices (copied for each card)."""
    canvas = Image.new("L", (WIDTH, HEIGHT), _INDEX[BACKGROUND])
    ImageDraw.Draw(canvas).rounded_rectangle(
        door, radius=22, fill=_INDEX[PAPER], outline=_INDEX[ACCENT], width=8
    )
    return canvas


# Pixels of margin around a text's measured box when it is drawn alone.
_PAD = 4


@functools.lru_cache(maxsize=256)
def _coverage(xy, text: str, font) -> tuple[tuple, Image.Image] | None:
    """(box on the card, coverage mask cropped to it) of `text` drawn at `xy`,
    or None if it draws nothing. Many cards share a text (the season, "Day
    N of…", the door's number), so each is drawn once per process."""
    left, top, right, bottom = _MEASURE.textbbox(xy, text, font=font)
    # Drawn on an image just larger than its box, moved by whole pixels: the
    # glyphs keep their position within a pixel, so every coverage value is
    # the one a full-size image would get.
    dx = max(0, min(int(xy[0]), int(left)) - _PAD)
    dy = max(0, min(int(xy[1]), int(top)) - _PAD)
    right = min(WIDTH, int(right) + _PAD)
    bottom = min(HEIGHT, int(bottom) + _PAD)
    small = Image.new("L", (right - dx, bottom - dy))
    ImageDraw.Draw(small).text((xy[0] - dx, xy[1] - dy), text, font=font, fill=255)
    box = small.getbbox()
    if box is not None and (
        (box[0] == 0 and dx > 0)
        or (box[1] == 0 and dy > 0)
        or (box[2] == small.width and right < WIDTH)
        or (box[3] == small.height and bottom < HEIGHT)
    ):
        # Ink at an edge the card goes on past: draw it full size, as before.
        small = Image.new("L", (WIDTH, HEIGHT))
        ImageDraw.Draw(small).text(xy, text, font=font, fill=255)
        dx = dy = 0
        box = small.getbbox()
    if box is None:
        return None
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy), small.crop(box)


_MEASURE = ImageDraw.Draw(Image.new("L", (1, 1)))


def _draw_palette(door, texts) -> Image.Image | None:
    """The card as a palette image, or None if the box of some text is not
    on one flat colour (it overlaps another text or the door): its blends
    there may have no shade in the palette."""
    # Indices go on an "L" image, pasted and never blended; the palette is
    # attached at the end. (Text drawn on a "P" image is not anti-aliased.)
    canvas = _door_canvas(door).copy()
    for xy, text, font, colour in texts:
        drawn = _coverage(xy, text, font)
        if drawn is None:
            continue
        box, coverage = drawn
        lowest, highest = canvas.crop(box).getextrema()
        table = _TABLES.get((lowest, colour))
        if lowest != highest or table is None:
            return None
        # The box is flat, so its uncovered pixels (table[0]) keep their
        # colour: no paste mask is needed.
        canvas.paste(coverage.point(table), box)
    canvas.putpalette(_PALETTE)
    return canvas


def draw_card(
    sitename: str, season: int, day: int, title: str, byline: str
) -> Image.Image:
    """The social image of one article, as a Pillow image: a palette ("P")
    image, or an RGB one if texts overlap (a 3-line title and the byline)."""
    door, texts = _layout(sitename, season, day, title, byline)
    image = _draw_palette(door, texts)
    return _draw_rgb(door, texts) if image is None else image


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
