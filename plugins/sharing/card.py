"""Social images: one PNG card per article (day, title, author), drawn with
Pillow's built-in font, so a build needs no font files and no network."""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
BACKGROUND = "#14301f"  # fir green
PAPER = "#fdfcf8"
ACCENT = "#e8b64c"  # candle gold
MUTED = "#c9d6cc"


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


def write_card(path: Path, **fields) -> Path:
    """Draw the card and save it as an optimised PNG at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_card(**fields).save(path, "PNG", optimize=True)
    return path
