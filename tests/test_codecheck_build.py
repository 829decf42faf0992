"""The plugin in real builds: warnings in development, failure in production."""

from __future__ import annotations

from conftest import article_text

BROKEN = article_text(
    day="20",
    date="2017-12-20T00:00:00-05:00",
    body="Intro.\n\n```yaml\nkey: [unclosed\n```\n",
)


def test_publish_build_fails_on_a_broken_block(site):
    path = site.write("2017/20-broken.md", BROKEN)
    result = site.build(settings="publishconf.py")
    assert result.returncode == 1
    line = path.read_text().splitlines().index("key: [unclosed") + 1
    assert f"20-broken.md:{line}:1: error [code/yaml]" in result.stderr
    assert not site.output.exists()


def test_development_build_prints_and_succeeds(site):
    site.write("2017/20-broken.md", BROKEN)
    result = site.build()
    assert result.returncode == 0, result.stderr
    # Shown, but as a warning: a development build keeps previewing.
    assert "warning [code/yaml]" in result.stdout + result.stderr
    assert (site.output / "2017/12/day-20-a-test-article.html").exists()


def test_aliases_render_with_the_right_lexer(site):
    body = (
        "```yml\nname: web\n```\n\n```terminal\n$ ls\n```\n\n```plaintext\nplain\n```\n"
    )
    site.write(
        "2017/20-tags.md",
        article_text(day="20", date="2017-12-20T00:00:00-05:00", body=body),
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    page = site.page("2017/12/day-20-a-test-article.html")
    assert '<span class="nt">name</span>' in page  # YAML key
    assert '<span class="gp">$ </span>' in page  # console prompt
    assert "plain" in page
