"""People's pictures: a local raster file named in people.toml, checked at
its line, published small and square by the build."""

from __future__ import annotations

from PIL import Image

from plugins.advent.people import load_registry, picture_problem

REGISTRY = """\
[ann]
name = "Ann Example"
picture = {picture}
"""


def registry_with(tmp_path, picture: str):
    path = tmp_path / "people.toml"
    path.write_text(REGISTRY.format(picture=picture), encoding="utf-8")
    return load_registry(path)


def test_a_local_png_jpeg_or_webp_is_accepted(tmp_path):
    (tmp_path / "people").mkdir()
    for name, kind in (("a.png", "PNG"), ("b.jpg", "JPEG"), ("c.webp", "WEBP")):
        Image.new("RGB", (8, 8)).save(tmp_path / "people" / name, kind)
        registry, problems = registry_with(tmp_path, f'"people/{name}"')
        assert problems == []
        assert registry["ann"].picture == f"people/{name}"
        assert registry["ann"].picture_url == "people/ann/picture.webp"


def test_anything_else_is_an_error_at_the_person_s_line(tmp_path):
    Image.new("RGB", (8, 8)).save(tmp_path / "real.png", "PNG")
    (tmp_path / "fake.png").write_text("<svg onload=alert(1)>", encoding="utf-8")
    (tmp_path / "logo.svg").write_text("<svg/>", encoding="utf-8")
    Image.new("RGB", (8, 8)).save(tmp_path / "real.jpg", "PNG")  # wrong suffix
    outside = tmp_path.parent / "outside.png"
    Image.new("RGB", (8, 8)).save(outside, "PNG")
    cases = {
        '"https://example.org/me.png"': "not a URL",
        '"//example.org/me.png"': "not a URL",
        '"javascript:alert(1)//.png"': "not a URL",
        '"/etc/passwd.png"': "relative path",
        '"../outside.png"': "outside the content folder",
        '"missing.png"': "not found",
        '"logo.svg"': "must be a .jpeg, .jpg, .png, .webp image",
        '"fake.png"': "not a readable image",
        '"real.jpg"': "is a PNG file, not JPEG",
        "42": "must be a path",
    }
    for value, expected in cases.items():
        registry, problems = registry_with(tmp_path, value)
        assert len(problems) == 1, value
        (problem,) = problems
        # The line of the picture field.
        assert problem.line == 3 and problem.severity == "error"
        assert expected in problem.message, (value, problem.message)
        assert registry["ann"].picture == ""  # never published


def test_picture_problem_takes_the_content_folder(tmp_path):
    Image.new("RGB", (8, 8)).save(tmp_path / "ok.png", "PNG")
    assert picture_problem("ok.png", tmp_path) == ""
    assert "outside" in picture_problem("ok/../../ok.png", tmp_path)


def test_a_bad_picture_fails_the_build_at_its_line(site):
    registry = site.content / "people.toml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace(
            'handle = "kathryn_ex"\n', 'handle = "kathryn_ex"\npicture = "x.gif"\n'
        ),
        encoding="utf-8",
    )
    line = next(
        n
        for n, row in enumerate(registry.read_text().splitlines(), 1)
        if row == 'picture = "x.gif"'
    )
    result = site.build(today="2017-12-31")
    assert result.returncode != 0
    assert f"people.toml:{line}: error [advent/people] kathryn-exline: picture" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_picture_far_larger_than_it_is_shown_is_an_error(tmp_path):
    # A small file can hold many pixels (one colour compresses to nothing);
    # decoding it to make a 192 px avatar would cost the build gigabytes.
    Image.new("1", (4097, 64)).save(tmp_path / "wide.png", "PNG")
    Image.new("1", (4096, 4096)).save(tmp_path / "edge.png", "PNG")
    assert (tmp_path / "wide.png").stat().st_size < 2000
    problem = picture_problem("wide.png", tmp_path)
    assert "4097x64 pixels" in problem and "at most 4096 px" in problem
    assert picture_problem("edge.png", tmp_path) == ""
