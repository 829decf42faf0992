"""The social card is a palette PNG that looks like the RGB card it replaced:
every pixel within 2 levels a channel (the figure plugins/sharing/card.py
states) of an RGB drawing of the same fields, drawn here with the same
Pillow primitives, so the look cannot drift unnoticed."""

from __future__ import annotations

import io
import textwrap

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from test_sharing_cache import FIELDS  # the card tests' sample card

from plugins.core.pool import parallel_map
from plugins.sharing import _encode, card
from plugins.sharing.card import draw_card, encode_card, is_card_png

MAX_CHANNEL_DIFFERENCE = 2  # stated in the card module's docstring

CARDS = [
    FIELDS,
    {**FIELDS, "day": 1, "title": "Scaling your on-duty team", "byline": ""},
    {
        **FIELDS,
        "day": 25,
        "title": "Using Kubernetes for multi-provider, multi-region batch jobs " * 3,
        "byline": "By Ada Lovelace and Grace Hopper",
    },
    {
        **FIELDS,
        "day": 9,
        "title": "Ünïcödé “quotes” — jq, yq & grep: 日本語 🎄",
        "byline": "By Zoë Ågren",
    },
]
# Under 60 characters (the large size) yet 3 lines: the last line runs into
# the byline, and their blended pixels have no shade in the palette.
TOUCHING = {
    **FIELDS,
    "title": "Internationalization, localization and accessibility work",
}


def reference_card(sitename, season, day, title, byline) -> Image.Image:
    """The card as drawn before palette cards (CARD_VERSION 2), in RGB."""

    def font(size):
        return ImageFont.load_default(size=size)

    image = Image.new("RGB", (1200, 630), "#14301f")
    draw = ImageDraw.Draw(image)
    margin = 72
    door = (margin, margin, margin + 190, margin + 190)
    draw.rounded_rectangle(door, radius=22, fill="#fdfcf8", outline="#e8b64c", width=8)
    number = str(day)
    left, top, right, bottom = draw.textbbox((0, 0), number, font=font(120))
    draw.text(
        (
            door[0] + (190 - (right - left)) / 2 - left,
            door[1] + (190 - (bottom - top)) / 2 - top,
        ),
        number,
        font=font(120),
        fill="#14301f",
    )
    draw.text(
        (margin + 240, margin + 30),
        f"{sitename} {season}",
        font=font(44),
        fill="#e8b64c",
    )
    draw.text(
        (margin + 240, margin + 95),
        f"Day {day} of the advent calendar",
        font=font(34),
        fill="#c9d6cc",
    )
    size = 64 if len(title) < 60 else 52
    width = 1200 - 2 * margin
    chars = max(8, int(width / (size * 0.5)))
    while chars > 8:
        lines = textwrap.wrap(title, chars)
        if all(draw.textlength(line, font=font(size)) <= width for line in lines):
            break
        chars -= 2
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    y = margin + 250
    for line in lines:
        draw.text((margin, y), line, font=font(size), fill="#fdfcf8")
        y += int(size * 1.2)
    if byline:
        draw.text((margin, 630 - margin - 36), byline, font=font(36), fill="#c9d6cc")
    return image


def decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image


def channel_difference(image: Image.Image, reference: Image.Image) -> int:
    """The largest difference of any channel of any pixel."""
    difference = ImageChops.difference(image.convert("RGB"), reference)
    return max(high for _, high in difference.getextrema())


@pytest.mark.parametrize(
    "fields", CARDS, ids=["2017-14", "no-byline", "long", "unicode"]
)
def test_card_is_a_palette_png_within_two_levels_of_the_rgb_card(fields):
    data = encode_card(**fields)
    assert is_card_png(data)
    card = decoded(data)
    assert (card.mode, card.size) == ("P", (1200, 630))
    reference = reference_card(**fields)
    assert channel_difference(card, reference) <= MAX_CHANNEL_DIFFERENCE
    # The text is still anti-aliased: its edges hold shades between the
    # flat colours (Pillow would draw text on a "P" image without them).
    assert len(card.convert("RGB").getcolors(1200 * 630)) > 100


def test_a_card_whose_texts_touch_is_the_exact_rgb_card():
    card = decoded(encode_card(**TOUCHING))
    assert (card.mode, card.size) == ("RGB", (1200, 630))
    assert card.tobytes() == reference_card(**TOUCHING).tobytes()
    assert draw_card(**TOUCHING).mode == "RGB"


def test_a_changed_title_shows_up_beyond_the_tolerance():
    # The comparison above can fail: another title is far from this card.
    card = decoded(encode_card(**FIELDS))
    other = reference_card(**{**FIELDS, "title": "Pets vs. Cattle"})
    assert channel_difference(card, other) > 100


def test_cards_are_the_same_bytes_drawn_twice_or_in_a_pool(monkeypatch):
    monkeypatch.delenv("SYSADVENT_WORKERS", raising=False)
    fields = [*CARDS, TOUCHING]
    here = [encode_card(**f) for f in fields]
    assert here == [encode_card(**f) for f in fields]
    assert parallel_map(_encode, fields, {"BUILD_WORKERS": 2}) == here


def _full_size_palette(door, texts) -> Image.Image | None:
    """Palette cards as drawn until 2026-11-30: each text on a full-size
    coverage image (the oracle for the drawing in each text's own box)."""
    canvas = Image.new("L", (card.WIDTH, card.HEIGHT), card._INDEX[card.BACKGROUND])
    ImageDraw.Draw(canvas).rounded_rectangle(
        door,
        radius=22,
        fill=card._INDEX[card.PAPER],
        outline=card._INDEX[card.ACCENT],
        width=8,
    )
    for xy, text, font, colour in texts:
        coverage = Image.new("L", (card.WIDTH, card.HEIGHT))
        ImageDraw.Draw(coverage).text(xy, text, font=font, fill=255)
        box = coverage.getbbox()
        if box is None:
            continue
        lowest, highest = canvas.crop(box).getextrema()
        table = card._TABLES.get((lowest, colour))
        if lowest != highest or table is None:
            return None
        canvas.paste(coverage.crop(box).point(table), box)
    canvas.putpalette(card._PALETTE)
    return canvas


@pytest.mark.parametrize("pad", [card._PAD, 0], ids=["pad", "ink-at-the-edge"])
def test_texts_drawn_in_their_own_box_equal_texts_drawn_full_size(pad, monkeypatch):
    # pad 0 puts ink at the small image's edge: the full-size fallback.
    monkeypatch.setattr(card, "_PAD", pad)
    card._coverage.cache_clear()
    many = [*CARDS, TOUCHING] + [
        {**FIELDS, "day": day, "title": title, "byline": byline}
        for day, title, byline in [
            (11, "W" * 90, "By " + "Long Name " * 20),
            (18, "x", ""),
            (4, "", "By Zoë"),
        ]
    ]
    for fields in many * 2:  # the second time, shared texts come from the memo
        door, texts = card._layout(**fields)
        ours, oracle = card._draw_palette(door, texts), _full_size_palette(door, texts)
        assert (ours is None) == (oracle is None), fields
        if ours is not None:
            assert ours.tobytes() == oracle.tobytes(), fields
            assert ours.getpalette() == oracle.getpalette()
    card._coverage.cache_clear()
