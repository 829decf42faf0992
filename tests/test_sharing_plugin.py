"""The sharing plugin's pure parts: the social card and the JSON-LD."""

import datetime as dt
from types import SimpleNamespace

from plugins.sharing.card import HEIGHT, WIDTH, draw_card, write_card
from plugins.sharing.jsonld import article_jsonld


def person(key, name="", handle="", links=()):
    return SimpleNamespace(
        key=key,
        name=name,
        handle=handle,
        links=links,
        display_name=name or f"@{handle}",
        url=f"people/{key}/",
    )


def test_card_is_a_large_image_and_long_titles_fit(tmp_path):
    image = draw_card(
        sitename="SysAdvent",
        season=2017,
        day=24,
        title="A very long title " * 12,
        byline="By Someone With A Long Name",
    )
    assert image.size == (WIDTH, HEIGHT) == (1200, 630)
    path = write_card(
        tmp_path / "social" / "2017" / "day-24.png",
        sitename="SysAdvent",
        season=2017,
        day=24,
        title="Short",
        byline="By X",
    )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_ld_names_every_author_and_editor_with_absolute_urls():
    article = SimpleNamespace(
        title="Half-Dead TCP Connections",
        summary="<p>Why <em>heartbeats</em> matter.</p>",
        date=dt.datetime(2017, 12, 13, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        url="2017/12/day-13-half-dead.html",
        season=2017,
        author_people=[person("a", "Ann", "ann"), person("b", handle="bee")],
        editor_people=[person("c", "Cy", links=("https://cy.example",))],
        tags=["tcp"],
    )
    data = article_jsonld(
        article, "https://s.example", "SysAdvent", "https://s.example/i.png"
    )
    assert data["description"] == "Why heartbeats matter."
    assert data["url"] == "https://s.example/2017/12/day-13-half-dead.html"
    assert [a["name"] for a in data["author"]] == ["Ann", "@bee"]
    assert data["author"][0]["alternateName"] == "@ann"
    assert data["editor"] == [
        {
            "@type": "Person",
            "name": "Cy",
            "url": "https://s.example/people/c/",
            "sameAs": ["https://cy.example"],
        }
    ]
    assert data["isPartOf"]["url"] == "https://s.example/2017/"
    assert data["datePublished"] == "2017-12-13T00:00:00-05:00"
