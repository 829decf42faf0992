"""Every cache is keyed by everything that shapes its values: an edit of the
code that computed a result makes the old result unreachable."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from pipeline.cache import Store, code_version, digest
from plugins.codecheck import cache as codecheck_cache

ROOT = Path(__file__).resolve().parent.parent


def test_an_edited_checker_or_parser_changes_the_codecheck_key(tmp_path):
    plugins = tmp_path / "plugins"
    for name in ("codecheck", "gfm", "core"):
        shutil.copytree(ROOT / "plugins" / name, plugins / name)
    here = plugins / "codecheck"
    before = codecheck_cache.code_hash(here)
    assert before == codecheck_cache.code_hash(ROOT / "plugins" / "codecheck")
    with open(here / "yamlcheck.py", "a") as handle:
        handle.write("\n# a changed checker\n")
    after_checker = codecheck_cache.code_hash(here)
    with open(plugins / "gfm" / "parser.py", "a") as handle:
        handle.write("\n# a changed parser\n")
    after_parser = codecheck_cache.code_hash(here)
    with open(plugins / "core" / "codetags.py", "a") as handle:
        handle.write("\n# a changed tag table\n")
    after_tags = codecheck_cache.code_hash(here)
    assert len({before, after_checker, after_parser, after_tags}) == 4
    assert codecheck_cache.code_hash() in codecheck_cache._salt()


def test_the_render_key_names_the_renderer_code():
    from pipeline.prerender import RENDER_MODULES

    version = code_version(*RENDER_MODULES)
    assert version == code_version(*RENDER_MODULES)
    assert version != code_version("plugins.gfm")
    # Everything the renderer imports from the project is in the key.
    import plugins.gfm.html as html

    project = {
        m.__name__
        for m in vars(html).values()
        if getattr(m, "__name__", "").startswith("plugins.core")
        and type(m).__name__ == "module"
    }
    assert project <= set(RENDER_MODULES), project


def test_a_store_keeps_values_by_key_and_survives_damage(tmp_path):
    store = Store(tmp_path / "render")
    key = digest("a", b"b")
    assert store.get(key) is None
    store.put(key, {"content": "<p>é</p>"})
    assert Store(tmp_path / "render").get(key) == {"content": "<p>é</p>"}
    with sqlite3.connect(tmp_path / "render" / "store.sqlite3") as db:
        db.execute("UPDATE entries SET value = '{broken'")
    assert store.get(key) is None  # a damaged entry is only a miss
    # A damaged store file: the store starts afresh.
    for name in ("store.sqlite3", "store.sqlite3-wal", "store.sqlite3-shm"):
        (tmp_path / "render" / name).unlink(missing_ok=True)
    (tmp_path / "render" / "store.sqlite3").write_bytes(b"not a database" * 100)
    fresh = Store(tmp_path / "render")
    assert fresh.get(key) is None
    fresh.put(key, [1])
    assert Store(tmp_path / "render").get(key) == [1]
    assert Store(None).get(key) is None
    Store(None).put(key, {})  # no folder: nothing kept, nothing raised


def test_compiled_templates_are_kept_apart_by_the_environment_s_options(tmp_path):
    """Autoescaping is compiled into a template's code: code compiled with it
    off must never serve an environment with it on (and the reverse)."""
    from jinja2 import DictLoader, Environment

    from pipeline.cache import TemplateCache

    templates = DictLoader({"page.html": "<p>{{ title }}</p>"})
    made = {}
    for autoescape in (False, True, False, True):  # each after the other
        options = {"autoescape": autoescape, "trim_blocks": True}
        environment = Environment(
            loader=templates,
            **options,
            bytecode_cache=TemplateCache(tmp_path, options),
        )
        html = environment.get_template("page.html").render(title="<b>x</b>")
        made.setdefault(autoescape, set()).add(html)
    assert made == {False: {"<p><b>x</b></p>"}, True: {"<p>&lt;b&gt;x&lt;/b&gt;</p>"}}
    assert len(list(tmp_path.iterdir())) == 2  # one compiled template each
