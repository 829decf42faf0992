"""The social image cache: an unchanged card is copied from CACHE_PATH, a
changed input draws it again, a broken entry is never copied out."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from site_builds import pipeline_build

import tasks
from plugins.sharing import card
from plugins.sharing.card import CardCache, card_key, draw_card, encode_card, write_card

FIELDS = {
    "sitename": "SysAdvent",
    "season": 2017,
    "day": 14,
    "title": "Pets vs. Cattle Prods: The Silence of the Lambdas",
    "byline": "By Corey Quinn",
}


def pixels(data: bytes) -> tuple:
    """Format, size and RGB pixels of a PNG, after checking every chunk."""
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size, image.convert("RGB").tobytes()


def test_encoding_is_lossless_and_of_the_right_size():
    fmt, size, rgb = pixels(encode_card(**FIELDS))
    assert (fmt, size) == ("PNG", (1200, 630))
    # The drawing is a palette image: compare colours, not palette indices.
    assert rgb == draw_card(**FIELDS).convert("RGB").tobytes()


def test_second_write_is_copied_from_the_cache(tmp_path):
    cache = CardCache(tmp_path / "cache")
    first = write_card(tmp_path / "a" / "day-14.png", cache, **FIELDS)
    entry = tmp_path / "cache" / f"{card_key(**FIELDS)}.png"
    assert (cache.drawn, cache.hits) == (1, 0)
    assert entry.read_bytes() == first.read_bytes()

    # Plant another valid card under the same key: a hit copies it as it is,
    # which proves the second write did not draw.
    planted = encode_card(**{**FIELDS, "title": "Planted"})
    entry.write_bytes(planted)
    second = write_card(tmp_path / "b" / "day-14.png", cache, **FIELDS)
    assert (cache.drawn, cache.hits) == (1, 1)
    assert second.read_bytes() == planted
    assert pixels(second.read_bytes())[:2] == ("PNG", (1200, 630))


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Pets vs. Cattle Prods: The Silence of the Lambdas, Part 2"},
        {"byline": "By Corey Quinn and Scott Murphy"},
        {"day": 15},
        {"season": 2018},
        {"sitename": "SysAdvent Redux"},
    ],
)
def test_a_changed_input_draws_a_new_card(tmp_path, change):
    cache = CardCache(tmp_path / "cache")
    old = write_card(tmp_path / "old.png", cache, **FIELDS).read_bytes()
    changed = {**FIELDS, **change}
    assert card_key(**changed) != card_key(**FIELDS)
    new = write_card(tmp_path / "new.png", cache, **changed).read_bytes()
    assert (cache.drawn, cache.hits) == (2, 0)
    assert pixels(new) == pixels(encode_card(**changed)) != pixels(old)
    assert len(list((tmp_path / "cache").glob("*.png"))) == 2


def test_a_new_card_version_or_drawing_code_changes_every_key(monkeypatch):
    before = card_key(**FIELDS)
    monkeypatch.setattr(card, "CARD_VERSION", card.CARD_VERSION + "-next")
    card._salt.cache_clear()
    try:
        assert card_key(**FIELDS) != before
    finally:
        monkeypatch.undo()
        card._salt.cache_clear()
    assert card_key(**FIELDS) == before
    # The salt also holds a hash of card.py, so editing the drawing code
    # invalidates the cache even if nobody bumps CARD_VERSION.
    assert card.hashlib.sha256(card.Path(card.__file__).read_bytes()).hexdigest() in (
        card._salt()
    )


@pytest.mark.parametrize(
    "broken",
    [
        b"",
        b"not a png at all",
        "truncated",
        "flipped byte",
        "wrong size",
    ],
)
def test_a_broken_cache_entry_is_drawn_again_and_repaired(tmp_path, broken):
    good = encode_card(**FIELDS)
    if broken == "truncated":
        broken = good[: len(good) // 2]
    elif broken == "flipped byte":
        middle = len(good) // 2
        broken = good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1 :]
    elif broken == "wrong size":
        out = io.BytesIO()
        Image.new("RGB", (600, 315), "red").save(out, "PNG")
        broken = out.getvalue()
    entry = tmp_path / "cache" / f"{card_key(**FIELDS)}.png"
    entry.parent.mkdir()
    entry.write_bytes(broken)

    cache = CardCache(tmp_path / "cache")
    written = write_card(tmp_path / "out" / "day-14.png", cache, **FIELDS)
    assert (cache.drawn, cache.hits) == (1, 0)
    assert pixels(written.read_bytes()) == pixels(good)
    assert entry.read_bytes() == written.read_bytes()  # repaired for next time
    assert not list(entry.parent.glob(".card-*"))  # no temporary file left


def test_an_unwritable_cache_still_writes_the_card(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    cache = CardCache(blocker / "sharing")
    written = write_card(tmp_path / "day-14.png", cache, **FIELDS)
    assert pixels(written.read_bytes()) == pixels(encode_card(**FIELDS))


def build(content, output, cache_path, **overrides):
    result = pipeline_build(
        tasks.PUBLISH_SETTINGS,
        output,
        today="2017-12-31",
        PATH=str(content),
        CACHE_PATH=str(cache_path),
        **overrides,
    )
    assert result.ok, result.problems
    return result


def images(output):
    return {
        str(p.relative_to(output)): p.read_bytes()
        for p in (output / "social").rglob("*.png")
    }


def test_build_reuses_cached_images_and_redraws_an_edited_title(site, tmp_path):
    cache_path = tmp_path / "cache"
    build(site.content, tmp_path / "one", cache_path)
    first = images(tmp_path / "one")
    assert len(first) == 7
    assert len(list((cache_path / "sharing").glob("*.png"))) == 7
    for data in first.values():
        assert pixels(data)[:2] == ("PNG", (1200, 630))

    source = next(site.content.glob("2017/14-*.md"))
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("Title: Pets vs. Cattle Prods", "Title: Pets vs. Cattle"),
        encoding="utf-8",
    )
    build(site.content, tmp_path / "two", cache_path)
    second = images(tmp_path / "two")
    edited = "social/2017/day-14.png"
    assert second.keys() == first.keys()
    assert {k for k in first if first[k] != second[k]} == {edited}
    assert pixels(second[edited]) == pixels(
        encode_card(
            **{**FIELDS, "title": "Pets vs. Cattle: The Silence of the Lambdas"}
        )
    )
    assert len(list((cache_path / "sharing").glob("*.png"))) == 8


def test_build_without_the_cache_writes_nothing_there(site, tmp_path):
    cache_path = tmp_path / "cache"
    build(site.content, tmp_path / "out", cache_path, SHARING_IMAGE_CACHE=False)
    assert len(images(tmp_path / "out")) == 7
    assert not (cache_path / "sharing").exists()
