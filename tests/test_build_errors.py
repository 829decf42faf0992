"""A build with bad content prints every problem as path:line: message, exits
non-zero, shows no traceback and leaves the last good output untouched."""

from conftest import article_text


def test_bad_metadata_fails_the_build_with_every_problem(site):
    site.write(
        "2017/01-bad.md",
        article_text(day="2", authors="eric-sigle", tags=None),
    )
    site.write("2017/03-worse.md", article_text(date="2017-12-03", day="3"))
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    bad = site.content / "2017/01-bad.md"
    worse = site.content / "2017/03-worse.md"
    lines = result.stderr.splitlines()
    assert (
        f"{bad}:2: error [advent/metadata] date 2017-12-01 is December 1 but the day is 2"
        in lines
    )
    assert (
        f"{bad}:4: error [advent/metadata] unknown author 'eric-sigle'; "
        f"did you mean 'eric-sigler'? (people are listed in {site.content / 'people.toml'})"
    ) in lines
    assert f"{bad}:6: error [advent/metadata] missing required field 'tags'" in lines
    assert (
        f"{worse}:2: error [advent/metadata] invalid date '2017-12-03': "
        "expected YYYY-MM-DDTHH:MM[:SS][±HH:MM]"
    ) in lines
    assert "build failed: 4 error(s)," in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not site.output.exists()


def test_a_failed_build_leaves_the_last_good_output_untouched(site):
    good = site.build(today="2017-12-31")
    assert good.returncode == 0, good.stderr
    before = {
        p.relative_to(site.output): p.read_bytes()
        for p in site.output.rglob("*")
        if p.is_file()
    }
    site.write(
        "2017/02-dup.md", article_text(day="9", date="2017-12-09T00:00:00-05:00")
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    dup = site.content / "2017/02-dup.md"
    original = (
        site.content
        / "2017/09-using-kubernetes-for-multi-provider-multi-region-batch-jobs.md"
    )
    assert (
        f"{dup}:3: error [advent/metadata] day 9 of 2017 is taken twice: also by {original}"
        in result.stderr
    )
    assert (
        f"{original}:3: error [advent/metadata] day 9 of 2017 is taken twice: also by {dup}"
        in result.stderr
    )
    after = {
        p.relative_to(site.output): p.read_bytes()
        for p in site.output.rglob("*")
        if p.is_file()
    }
    assert after == before
    leftovers = [p.name for p in site.root.iterdir() if p.name.startswith(".output")]
    assert leftovers == []


def test_a_broken_people_registry_fails_the_build_at_its_line(site):
    registry = site.content / "people.toml"
    registry.write_text(registry.read_text() + '\n[someone]\nbio = "no name"\n')
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    lines = registry.read_text().splitlines()
    line = lines.index("[someone]") + 1
    assert (
        f"{registry}:{line}: error [advent/people] someone: needs a name or a handle"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_paths_inside_the_working_folder_are_shown_relative(site):
    import subprocess
    import sys

    from conftest import ROOT

    site.write("2017/01-bad.md", article_text(authors="nobody"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "-r",
            str(ROOT),
            "build",
            "--content",
            "content",
            "--output",
            "output",
        ],
        cwd=site.root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert (
        "content/2017/01-bad.md:4: error [advent/metadata] unknown author "
        "'nobody' (people are listed in content/people.toml)"
    ) in result.stderr.splitlines()


def test_a_new_site_takes_the_place_of_the_old_in_one_step(tmp_path):
    from pipeline.site import exchange, swap

    output, fresh = tmp_path / "output", tmp_path / ".output-new-1"
    output.mkdir()
    (output / "index.html").write_text("old", encoding="utf-8")
    fresh.mkdir(mode=0o700)
    (fresh / "index.html").write_text("new", encoding="utf-8")
    swap(fresh, output)
    assert (output / "index.html").read_text(encoding="utf-8") == "new"
    assert output.stat().st_mode & 0o777 == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["output"]  # old site gone
    # This machine's file systems exchange two folders atomically: a reader
    # of output/ never finds it missing (other systems fall back to renames).
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    assert exchange(a, b)
    assert (b / "x").read_text(encoding="utf-8") == "a" and not (a / "x").exists()
    assert not exchange(a, tmp_path / "missing")  # nothing to exchange with
    assert a.is_dir()
    # The first build: nothing to exchange with, the fresh folder is renamed.
    first, target = tmp_path / "first", tmp_path / "site"
    first.mkdir()
    swap(first, target)
    assert target.is_dir() and not first.exists()
