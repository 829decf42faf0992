"""Shared fixtures: build real sites with Pelican into temporary folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def article_text(
    title="A test article",
    date="2017-12-01T00:00:00-05:00",
    day="1",
    authors="eric-sigler",
    editors="michelle-carroll",
    tags="testing",
    summary="A summary.",
    body="Some words of the body.\n",
    **extra,
) -> str:
    """The text of a valid article; pass a field as None to leave it out."""
    fields = {
        "Title": title,
        "Date": date,
        "Day": day,
        "Authors": authors,
        "Editors": editors,
        "Tags": tags,
        "Summary": summary,
        **{k.capitalize(): v for k, v in extra.items()},
    }
    header = "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None)
    return header + "\n" + textwrap.dedent(body)


def image_bytes(fmt: str = "PNG", size=(2, 2)) -> bytes:
    """A small valid image drawn with Pillow (PNG, JPEG, GIF, WEBP, AVIF)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def site(tmp_path):
    """A copy of the real content in a temporary folder, to add or break articles."""
    return SiteFixture(tmp_path)


class SiteFixture:
    def __init__(self, tmp_path: Path):
        self.root = tmp_path
        self.content = tmp_path / "content"
        self.output = tmp_path / "output"
        shutil.copytree(CONTENT, self.content)

    def write(self, relpath: str, text: str) -> Path:
        path = self.content / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def only(self, *keep: str) -> None:
        """Remove every article except the given ones (relative paths)."""
        for path in self.content.glob("20*/*.md"):
            if str(path.relative_to(self.content)) not in keep:
                path.unlink()

    def build(self, today=None, settings="pelicanconf.py", extra=()):
        """Run `invoke build` in a subprocess, as a person would."""
        args = [
            sys.executable,
            "-m",
            "invoke",
            "build",
            "--output",
            str(self.output),
            "--content",
            str(self.content),
        ]
        if today:
            args += ["--today", today]
        if settings == "publishconf.py":
            args.append("--publish")
        return subprocess.run(
            [*args, *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )

    def page(self, relpath: str) -> str:
        return (self.output / relpath).read_text(encoding="utf-8")


# A small synthetic archive in the project's format (bench/corpus.py): one
# season of twelve articles, built as of the day after it.
CORPUS12_ARTICLES = 12
CORPUS12_TODAY = "2009-01-01"


@pytest.fixture
def corpus12(tmp_path) -> Path:
    """Content folder of CORPUS12_ARTICLES synthetic articles (seed 11)."""
    from bench import corpus

    assert f"{corpus.last_year(CORPUS12_ARTICLES) + 1}-01-01" == CORPUS12_TODAY
    folder = tmp_path / "content"
    corpus.generate(folder, CORPUS12_ARTICLES, seed=11)
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real content, built once as of 31 December 2017 (every day out)."""
    from site_builds import build_as_of

    return build_as_of(tmp_path_factory.mktemp("site") / "output", "2017-12-31")


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """The production build (`--publish`) of the real content plus a fixture
    season of 25 articles (tests/season25.py), as of 31 December 2017."""
    from site_builds import build_as_of, with_season25

    root = tmp_path_factory.mktemp("production")
    return build_as_of(
        root / "output", "2017-12-31", publish=True, content=with_season25(root)
    )


def pytest_collection_modifyitems(items):
    """Run the slow browser tests last.

    Playwright's sync API keeps an event loop running in the main thread for
    the whole session once its session fixture starts; tests that call
    asyncio.run() (the external link checker) must run before that.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
