"""Read the site's settings once, as Pelican would, with every plugin's
declared settings filled in and validated (`plugins.core.settings`)."""

from __future__ import annotations

from pathlib import Path

from plugins.core.checks import plugin_modules
from plugins.core.problems import ContentError, error
from plugins.core.settings import apply_defaults, declare, prefix_of, validate

CHECK = "settings"

# Settings of the pipeline itself (how sources are read).
SETTINGS = declare(
    {
        "SOURCES_MAX_BYTES": 2_000_000,
        "SOURCES_MAX_NESTING": 32,
        "BUILD_WORKERS": 0,
        "BUILD_RENDER_CACHE": True,
        "BUILD_PAGE_REUSE": True,
        "BUILD_SEARCH_BUNDLE_ARTICLES": 1000,
    },
    {
        "SOURCES_MAX_BYTES": "largest source file read, in bytes",
        "SOURCES_MAX_NESTING": "deepest nesting of lists and quotes in a source",
        "BUILD_WORKERS": "processes that render articles (0: one per core, 1: "
        "render in the build process; env SYSADVENT_WORKERS overrides)",
        "BUILD_RENDER_CACHE": "reuse what earlier builds computed from the same "
        "inputs: rendered articles (CACHE_PATH/render/), parsed pages for the "
        "link check, the content rules' HTML check",
        "BUILD_PAGE_REUSE": "take article and page files whose inputs did not "
        "change from the last good site instead of rendering them again "
        "(CACHE_PATH/pages/)",
        "BUILD_SEARCH_BUNDLE_ARTICLES": "articles per Pagefind bundle (its memory "
        "grows with the pages it holds; the search page merges the bundles)",
    },
)


class SettingsError(ContentError):
    """The settings file has errors; carries them as problems."""

    exitcode = 2


def checked_settings(settings_file, content=None, overrides=None):
    """(settings, problems): Pelican's settings, every plugin's defaults applied,
    types and unknown plugin settings reported against the settings file."""
    from pelican.settings import read_settings

    override = dict(overrides or {})
    if content:
        override["PATH"] = str(Path(content).resolve())
    settings = read_settings(str(settings_file), override=override)
    problems = []
    declared = list(SETTINGS)
    try:
        modules = plugin_modules(settings)
    except ImportError as exc:
        return settings, [error(settings_file, 0, CHECK, f"a plugin is missing: {exc}")]
    names = [m.__name__ for m in modules]
    for index, module in enumerate(modules):
        declared += getattr(module, "SETTINGS", [])
        for needed in getattr(module, "REQUIRES", ()):
            if needed not in names[:index]:
                problems.append(
                    error(
                        settings_file,
                        0,
                        CHECK,
                        f"plugin {module.__name__} needs {needed} before it in PLUGINS",
                    )
                )
    apply_defaults(settings, declared)
    for message in validate(settings, declared, prefix_of(declared)):
        problems.append(error(settings_file, 0, CHECK, message))
    return settings, problems


def load_settings(settings_file, content=None, overrides=None) -> dict:
    """Checked settings; raises SettingsError when they have errors."""
    settings, problems = checked_settings(settings_file, content, overrides)
    if problems:
        raise SettingsError(problems)
    return settings


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
