"""Read the site's settings as Pelican would, for the pipeline's commands."""

from __future__ import annotations

from pathlib import Path


def load_settings(settings_file, content=None, overrides=None) -> dict:
    """Pelican settings from `settings_file`, with PATH set to `content`."""
    from pelican.settings import read_settings

    override = dict(overrides or {})
    if content:
        override["PATH"] = str(Path(content).resolve())
    return read_settings(str(settings_file), override=override)


def content_path(settings) -> Path:
    return Path(settings["PATH"])


def article_sources(settings) -> list[Path]:
    """Every article source (Markdown) under the content folder."""
    content = content_path(settings)
    excludes = {content / e for e in settings.get("ARTICLE_EXCLUDES", [])}
    found = []
    for path in sorted(content.rglob("*.md")):
        if not any(path.is_relative_to(e) for e in excludes):
            found.append(path)
    return found


def markdown_sources(settings) -> list[Path]:
    """Every Markdown source of the site: articles and pages."""
    return sorted(content_path(settings).rglob("*.md"))
