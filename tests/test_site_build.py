"""The real content builds into a real folder with Pelican, as readers will see it."""

import re

from bs4 import BeautifulSoup
from conftest import article_text
from site_builds import article_pages, calendar_days

ARTICLES = {
    9: (
        "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html",
        ["eric-sigler"],
        ["michelle-carroll"],
    ),
    10: (
        "2017/12/day-10-from-product-eng-to-systems-eng.html",
        ["will-gallego"],
        ["dave-mangot"],
    ),
    11: (
        "2017/12/day-11-scaling-your-on-duty-team.html",
        ["damien-pacaud"],
        ["bmarsteau"],
    ),
    12: (
        "2017/12/day-12-monitoring-postgres-replication-lag.html",
        ["kathryn-exline"],
        ["baron-schwartz"],
    ),
    13: (
        "2017/12/day-13-half-dead-tcp-connections-and-why-heartbeats-matter.html",
        ["alejandro-brito-monedero"],
        ["j-paul-reed"],
    ),
    14: (
        "2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html",
        ["corey-quinn"],
        ["scott-murphy"],
    ),
    15: (
        "2017/12/day-15-a-devops-christmas-carol.html",
        ["emily-freeman"],
        ["corey-quinn"],
    ),
}


def soup(output, relpath):
    return BeautifulSoup((output / relpath).read_text(encoding="utf-8"), "html.parser")


def people_keys(paragraph_part):
    return [
        a["href"].rstrip("/").rsplit("/", 1)[-1] for a in paragraph_part.find_all("a")
    ]


def test_every_article_is_at_its_original_url_with_its_byline(built_site):
    for day, (url, authors, editors) in ARTICLES.items():
        page = soup(built_site, url)
        byline = page.select_one(".byline")
        assert byline is not None, url
        text = byline.get_text(" ", strip=True)
        assert text.startswith("By ") and " · Edited by " in text, text
        html = str(byline)
        by, edited = html.split("Edited by")
        assert people_keys(BeautifulSoup(by, "html.parser")) == authors
        assert people_keys(BeautifulSoup(edited, "html.parser")) == editors
        assert f"Day {day}" in page.select_one(".day-mark").get_text()


def test_the_byline_shows_a_handle_only_editor(built_site):
    page = soup(built_site, ARTICLES[11][0])
    assert "Edited by @bmarsteau" in page.select_one(".byline").get_text(
        " ", strip=True
    )


def test_people_links_resolve_to_people_pages(built_site):
    page = soup(built_site, ARTICLES[15][0])
    for link in page.select(".byline a"):
        target = (built_site / "2017/12" / link["href"]).resolve() / "index.html"
        assert target.is_file(), link["href"]


def test_previous_and_next_day_link_within_the_season(built_site):
    page = soup(built_site, ARTICLES[12][0])
    prev = page.select_one('.day-nav a[rel="prev"]')
    nxt = page.select_one('.day-nav a[rel="next"]')
    assert prev["href"].endswith(ARTICLES[11][0].split("/")[-1])
    assert nxt["href"].endswith(ARTICLES[13][0].split("/")[-1])
    first = soup(built_site, ARTICLES[9][0])
    assert first.select_one('.day-nav a[rel="prev"]') is None


def test_the_season_calendar_shows_25_days(built_site):
    page = soup(built_site, "2017/index.html")
    days = calendar_days(page)
    assert sorted(days) == list(range(1, 26))
    states = [days[d]["class"][1] for d in range(1, 26)]
    assert states[8:15] == ["door-open"] * 7
    # The empty days before and after are folded: one item each.
    assert states[:8] == ["door-gap"] * 8 and states[15:] == ["door-gap"] * 10
    assert len(page.select("ol.calendar > li")) == 9
    open_door = days[15].find("a")
    assert open_door["href"].endswith(ARTICLES[15][0].split("/")[-1])
    assert "A DevOps Christmas Carol" in open_door.get_text()
    assert "Emily Freeman" in open_door.get_text()


def test_the_home_page_shows_the_newest_season(built_site):
    page = soup(built_site, "index.html")
    assert page.h1.get_text() == "SysAdvent 2017"
    assert sorted(calendar_days(page)) == list(range(1, 26))


def test_people_pages_list_what_each_person_wrote_and_edited(built_site):
    corey = soup(built_site, "people/corey-quinn/index.html")
    sections = {h2.get_text(): h2.find_next("ul") for h2 in corey.find_all("h2")}
    wrote = [a.get_text() for a in sections["Wrote"].find_all("a")]
    edited = [a.get_text() for a in sections["Edited"].find_all("a")]
    assert wrote == ["Pets vs. Cattle Prods: The Silence of the Lambdas"]
    assert edited == ["A DevOps Christmas Carol"]
    index = soup(built_site, "people/index.html")
    assert len(index.select("ul.people > li")) == 13


def test_tag_archive_and_404_pages_exist(built_site):
    assert (built_site / "tags/kubernetes/index.html").is_file()
    assert (built_site / "tags/index.html").is_file()
    archive = soup(built_site, "archive/index.html")
    assert len(archive.select("section ul li")) == 7
    assert (built_site / "404.html").is_file()
    assert not (built_site / "author").exists()
    assert not (built_site / "category").exists()


def test_drafts_are_never_written(site):
    site.write(
        "2017/01-a-draft.md",
        article_text(title="A secret draft", status="draft", body="DRAFTWORD\n"),
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    assert not (site.output / "drafts").exists()
    for path in site.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "A secret draft" not in text and "DRAFTWORD" not in text, path


def test_future_article_leaks_nowhere(site):
    result = site.build(today="2017-12-12")
    assert result.returncode == 0, result.stderr
    leaked = []
    for path in site.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in (
                "Half-Dead TCP",
                "day-13-",
                "A DevOps Christmas Carol",
                "ae_bm",
            ):
                if marker in text:
                    leaked.append((path.relative_to(site.output), marker))
    assert leaked == []
    assert not list(site.output.glob("2017/12/day-13-*"))
    assert not (site.output / "people/alejandro-brito-monedero").exists()
    assert not (site.output / "tags/tcp").exists()
    calendar = BeautifulSoup(site.page("2017/index.html"), "html.parser")
    doors = calendar_days(calendar)
    assert "door-today" in doors[12]["class"]
    assert "door-open" in doors[12]["class"]
    assert doors[13]["class"] == ["door", "door-closed"]
    assert doors[13].find("a") is None
    assert "13 December 2017" in doors[13].get_text()


def test_today_moves_the_publication_day(site):
    first = site.build(today="2017-12-09")
    assert first.returncode == 0, first.stderr
    assert len(article_pages(site.output)) == 1
    second = site.build(today="2017-12-15")
    assert second.returncode == 0, second.stderr
    assert len(article_pages(site.output)) == 7


def test_the_home_page_before_a_season_points_at_the_next(site):
    result = site.build(today="2018-11-20")
    assert result.returncode == 0, result.stderr
    home = BeautifulSoup(site.page("index.html"), "html.parser")
    assert home.h1.get_text() == "SysAdvent 2017"
    assert "The next season starts on 1 December 2018" in home.get_text(" ", strip=True)


def test_a_running_season_opens_its_doors_day_by_day(site):
    site.write(
        "2018/01-first-of-2018.md",
        article_text(title="First of 2018", date="2018-12-01T00:00:00-05:00"),
    )
    site.write(
        "2018/03-third-of-2018.md",
        article_text(title="Third of 2018", date="2018-12-03T00:00:00-05:00", day="3"),
    )
    result = site.build(today="2018-12-02")
    assert result.returncode == 0, result.stderr
    home = BeautifulSoup(site.page("index.html"), "html.parser")
    assert home.h1.get_text() == "SysAdvent 2018"
    states = [d["class"] for d in home.select("ol.calendar > li")]
    assert states[0] == ["door", "door-open"]
    assert states[1] == ["door", "door-empty", "door-today"]
    assert states[2] == ["door", "door-closed"]
    assert "Third of 2018" not in site.page("index.html")
    season = BeautifulSoup(site.page("2018/index.html"), "html.parser")
    assert season.select_one('a[rel="prev"]')["href"].endswith("2017/")
    assert (
        BeautifulSoup(site.page("2017/index.html"), "html.parser")
        .select_one('a[rel="next"]')["href"]
        .endswith("2018/")
    )


def test_paginated_tags_use_page_folders(site):
    for day in range(1, 23):
        site.write(
            f"2019/{day:02d}-tagged-{day}.md",
            article_text(
                title=f"Tagged {day}",
                date=f"2019-12-{day:02d}T00:00:00-05:00",
                day=str(day),
                tags="t1, t12",
            ),
        )
    result = site.build(today="2019-12-31")
    assert result.returncode == 0, result.stderr
    assert (site.output / "tags/t1/page/2/index.html").is_file()
    assert (site.output / "tags/t12/page/2/index.html").is_file()


def test_urls_keep_the_original_scheme(built_site):
    urls = sorted(
        p.relative_to(built_site).as_posix() for p in article_pages(built_site)
    )
    assert all(re.fullmatch(r"2017/12/day-\d+-[a-z0-9-]+\.html", u) for u in urls)
    assert sorted(v[0] for v in ARTICLES.values()) == urls
