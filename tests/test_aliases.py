"""Old addresses keep working: the `Aliases:` field, redirect pages, `_redirects`,
the nginx map, Blogger's other addresses, and linkcheck over all of them."""

from __future__ import annotations

import re

import crossplane
import pytest
from conftest import article_text

from plugins.advent.rules import check_sources
from plugins.aliases import redirects
from plugins.aliases.paths import alias_problem, output_file

DAY9 = "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html"


@pytest.mark.parametrize(
    ("alias", "reason"),
    [
        ("/2017/12/day-9-using-kubernetes-for-multi.html", ""),
        ("/p/about.html", ""),
        ("/search/label/Configuration%20Management", ""),
        ("2017/12/x.html", "an alias is an absolute path: it starts with /"),
        (
            "https://sysadvent.blogspot.com/2017/12/x.html",
            "write the path only, without a scheme or host (e.g. /2017/12/old.html)",
        ),
        (
            "//evil.example/x.html",
            "write the path only, without a scheme or host (e.g. /2017/12/old.html)",
        ),
        ("/2017/../../etc/passwd", "an alias cannot hold . or .. segments"),
        ("/2017/%2e%2e/x.html", "an alias cannot hold . or .. segments"),
        ("/x.html?m=1", "an alias cannot have a query (?) or a fragment (#)"),
        ("/a//b.html", "an alias cannot hold an empty segment (//)"),
        ("/", "the site's home page cannot be an alias"),
        (
            "/a%22b.html",
            "an alias cannot hold spaces, quotes, backslashes or control characters",
        ),
        ("/feeds/posts/default", ""),
        ("/2017/12/", ""),
        (
            "/theme/js/site.js",
            "an alias is a page: a name ending in .html or none, not 'site.js' "
            "(it would take the place of a file of the site)",
        ),
        (
            "/theme/css/site.css/",
            "an alias cannot go through a folder named like a file ('site.css'): "
            "it would take the place of a file of the site",
        ),
        (
            "/2017/12/day-1%2Ehtml/x",
            "an alias cannot go through a folder named like a file ('day-1.html'): "
            "it would take the place of a file of the site",
        ),
        (
            "/_headers",
            "an alias cannot start with _ or . (_headers, _redirects and "
            ".well-known are read by static hosts)",
        ),
        (
            "/theme/js/",
            "/theme is written by the site itself: an alias cannot take its place "
            "or lie under it",
        ),
        (
            "/Pagefind/fragment",
            "/Pagefind is written by the site itself: an alias cannot take its "
            "place or lie under it",
        ),
    ],
)
def test_alias_rules(alias, reason):
    assert alias_problem(alias) == reason


def test_where_an_alias_is_served_from():
    assert output_file("/2017/12/old.html") == "2017/12/old.html"
    assert output_file("/2017/12/") == "2017/12/index.html"
    assert (
        output_file("/search/label/Config%20Mgmt")
        == "search/label/Config Mgmt/index.html"
    )


def _write(tmp_path, name, **fields):
    path = tmp_path / "2017" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_text(**fields))
    return str(path)


def test_bad_aliases_are_errors_at_the_field_line(tmp_path):
    a = _write(
        tmp_path, "01-a.md", aliases="/ok.html, http://x.example/y.html, /ok.html"
    )
    b = _write(
        tmp_path,
        "02-b.md",
        day="2",
        date="2017-12-02T00:00:00-05:00",
        aliases="/ok.html",
    )
    _, problems = check_sources([a, b], None, timezone="America/New_York")
    found = sorted(p.as_text() for p in problems if p.check == "aliases/alias")
    assert found == [
        f"{a}:8: error [aliases/alias] alias '/ok.html' is given twice",
        f"{a}:8: error [aliases/alias] alias '/ok.html': write the path only, without a scheme or host (e.g. /2017/12/old.html)".replace(
            "'/ok.html'", "'http://x.example/y.html'"
        ),
        f"{a}:8: error [aliases/alias] alias /ok.html is also claimed by {b}",
        f"{b}:8: error [aliases/alias] alias /ok.html is also claimed by {a}",
    ]


def test_redirect_pages_files_and_blogger_addresses_in_a_real_build(site):
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    out = site.output
    page = (out / "2017/12/day-9-using-kubernetes-for-multi.html").read_text()
    target = DAY9.rsplit("/", 1)[1]
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
    assert f'<link rel="canonical" href="{target}">' in page
    assert f'<a href="{target}">Using Kubernetes' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<script" not in page
    # An old address that is the article's own (days 10, 11) is left alone.
    assert (
        "http-equiv"
        not in (out / "2017/12/day-10-from-product-eng-to-systems-eng.html").read_text()
    )
    lines = (out / "_redirects").read_text().splitlines()
    assert "/2017/12/day-9-using-kubernetes-for-multi.html /" + DAY9 + " 301" in lines
    assert "/2017/12/ /2017/ 301" in lines
    assert "/feeds/posts/default /feeds/all.atom.xml 301" in lines
    assert "/search/label/kubernetes /tags/kubernetes/ 301" in lines
    assert (
        "/feeds/posts/default/-/kubernetes /feeds/tags/kubernetes.atom.xml 301" in lines
    )
    assert not [line for line in lines if "day-10-" in line]
    # Every redirect leads to a file of the built site.
    for line in lines:
        if line.startswith("#"):
            continue
        old, new, status = line.split(" ")
        assert status == "301"
        path = new.lstrip("/")
        assert (out / path).is_file() or (out / path / "index.html").is_file(), line
    label = (out / "search/label/kubernetes/index.html").read_text()
    assert 'content="0; url=../../../tags/kubernetes/"' in label
    assert (out / "2017/12/index.html").read_text().count("url=../") == 1
    sitemap = (out / "sitemap.xml").read_text()
    assert "day-9-using-kubernetes-for-multi.html" not in sitemap


def test_the_nginx_map_parses_as_nginx_configuration(site, tmp_path):
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    include = site.output / "redirects.map"
    config = tmp_path / "nginx.conf"
    config.write_text(
        'events {}\nhttp {\n  map $uri $sysadvent_redirect {\n    default "";\n'
        f"    include {include};\n  }}\n  server {{\n    listen 8080;\n"
        "    if ($sysadvent_redirect) { return 301 $sysadvent_redirect; }\n  }\n}\n"
    )
    parsed = crossplane.parse(str(config), combine=True)
    assert parsed["status"] == "ok", parsed["errors"]
    block = parsed["config"][0]["parsed"][1]["block"][0]["block"]
    entries = {d["directive"]: d["args"] for d in block}
    assert entries["/2017/12/day-9-using-kubernetes-for-multi.html"] == ["/" + DAY9]
    assert entries["/feeds/posts/default"] == ["/feeds/all.atom.xml"]


def test_an_alias_over_a_real_page_fails_the_build_at_its_line(site):
    carol = site.content / "2017/15-a-devops-christmas-carol.md"
    text = carol.read_text()
    text = re.sub(
        r"^Aliases: .*$",
        "Aliases: /2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html",
        text,
        flags=re.M,
    )
    carol.write_text(text)
    line = 1 + text.splitlines().index(
        "Aliases: /2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html"
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    assert (
        f"15-a-devops-christmas-carol.md:{line}: error [aliases/alias] alias "
        "'/2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html' would "
        "overwrite /2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html, "
        "a page of the site"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_an_alias_never_takes_the_place_of_a_file_of_the_site(site):
    """A theme file, a generated file (sitemap, feed, search, social image)
    or a host's configuration file is never replaced by a redirect folder:
    each such alias is an error at its line, and the build changes nothing."""
    aliases = [
        "/theme/js/site.js",
        "/theme/css/site.css/",
        "/sitemap.xml",
        "/feeds/all.atom.xml",
        "/pagefind/pagefind.js",
        "/social/2017/day-1.png",
        "/_headers",
    ]
    site.write(
        "2017/20-a.md",
        article_text(
            date="2017-12-20T00:00:00-05:00",
            day="20",
            guid="0b8f1f7e-7c1e-4d43-9d2e-3d8b7a0a1c13",
            aliases=", ".join(aliases),
        ),
    )
    line = 1 + site.content.joinpath("2017/20-a.md").read_text().splitlines().index(
        "Aliases: " + ", ".join(aliases)
    )
    result = site.build(settings="publishconf.py", today="2017-12-31")
    assert result.returncode == 1
    for alias in aliases:
        assert f"20-a.md:{line}: error [aliases/alias] alias {alias!r}: " in (
            result.stderr
        )
    assert "build/" not in result.stderr and "Traceback" not in result.stderr
    assert not site.output.exists()


def test_linkcheck_follows_every_alias(site):
    from plugins.linkcheck import check_internal, with_defaults

    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    settings = with_defaults({"PATH": str(site.content)})
    assert check_internal(site.output, {}, settings) == []
    # A redirect page whose target is gone is a broken link.
    (site.output / DAY9).unlink()
    alias = "2017/12/day-9-using-kubernetes-for-multi.html"
    problems = check_internal(site.output, {}, settings, pages=[alias])
    assert {p.path for p in problems} == {alias}
    assert all(f"no file {DAY9} in the built site" in p.message for p in problems)


def test_redirect_files_escape_what_they_hold():
    hostile = redirects.Redirect('/search/label/a"b', "/tags/a-b/", '<b>"x"</b>')
    page = redirects.page(hostile)
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert '"/search/label/a\\"b" "/tags/a-b/";' in redirects.nginx_map([hostile])


def test_two_articles_claiming_one_alias_are_one_error_each(site):
    for day in ("16", "17"):
        site.write(
            f"2017/{day}-claim.md",
            article_text(
                title=f"Claim {day}",
                date=f"2017-12-{day}T00:00:00-05:00",
                day=day,
                aliases="/2016/12/old.html",
            ),
        )
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    claims = [line for line in result.stderr.splitlines() if "also claimed" in line]
    first, second = (site.content / f"2017/{d}-claim.md" for d in ("16", "17"))
    assert claims == [
        f"{first}:8: error [aliases/alias] alias /2016/12/old.html is also claimed by {second}",
        f"{second}:8: error [aliases/alias] alias /2016/12/old.html is also claimed by {first}",
    ]


@pytest.mark.parametrize("alias", ["/theme/js/", "/pagefind/fragment"])
def test_an_alias_never_lies_in_a_folder_the_site_writes_after_it(site, alias):
    """Page-like aliases in the theme's or Pagefind's folder, which are
    written after the redirect pages: refused at the Aliases line."""
    carol = site.content / "2017/15-a-devops-christmas-carol.md"
    text = re.sub(r"^Aliases: .*$", f"Aliases: {alias}", carol.read_text(), flags=re.M)
    carol.write_text(text)
    line = 1 + text.splitlines().index(f"Aliases: {alias}")
    result = site.build(today="2017-12-31")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    first = alias.strip("/").split("/")[0]
    assert [line for line in result.stderr.splitlines() if ": error [" in line] == [
        f"{carol}:{line}: error [aliases/alias] alias {alias!r}: /{first} is "
        "written by the site itself: an alias cannot take its place or lie under it"
    ]
