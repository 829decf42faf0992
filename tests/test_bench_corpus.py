"""The benchmark's synthetic corpus: deterministic, valid for the advent
rules, with valid code blocks and links that resolve."""

from __future__ import annotations

import ast
import configparser
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from bench import corpus
from plugins.advent.people import load_registry
from plugins.advent.rules import check_sources

SIZE = 50
FENCE_RE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LINK_RE = re.compile(r"\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "content"
    paths = corpus.generate(folder, SIZE, seed=7)
    return folder, paths


def blocks(paths, language):
    for path in paths:
        for match in FENCE_RE.finditer(path.read_text(encoding="utf-8")):
            if match.group(1) == language:
                yield path, match.group(2)


def test_same_seed_same_bytes(generated, tmp_path):
    folder, _ = generated
    again = tmp_path / "again"
    corpus.generate(again, SIZE, seed=7)
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.*")}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*.*")}
    assert first == second


def test_articles_fill_seasons_of_25_days_from_2008(generated):
    folder, paths = generated
    names = [str(p.relative_to(folder)) for p in paths]
    assert names[0].startswith("2008/01-")
    assert names[24].startswith("2008/25-")
    assert names[25].startswith("2009/01-")
    assert len(paths) == SIZE
    assert corpus.last_year(SIZE) == 2009


def test_corpus_passes_the_advent_rules(generated):
    folder, paths = generated
    registry, problems = load_registry(folder / "people.toml")
    assert problems == []
    assert len(registry.people) == SIZE // 3
    sources, problems = check_sources(paths, registry, timezone="America/New_York")
    assert problems == []
    assert {len(s.authors) for s in sources} >= {1}
    assert all(s.editors for s in sources)


def test_articles_are_about_1500_words_with_several_languages(generated):
    folder, _ = generated
    described = corpus.describe(folder)
    assert 1300 <= described["words_per_article"] <= 1800
    assert described["code_blocks"] >= 4 * SIZE
    expected = {"bash", "console", "python", "yaml", "json", "toml", "ini"}
    expected |= {"sql", "psql", "dockerfile", "nginx", "hcl"}
    assert set(described["languages"]) == expected


def test_python_blocks_parse(generated):
    _, paths = generated
    found = list(blocks(paths, "python"))
    assert found
    for _, code in found:
        ast.parse(code)


def test_json_toml_and_ini_blocks_parse(generated):
    _, paths = generated
    for _, code in blocks(paths, "json"):
        json.loads(code)
    for _, code in blocks(paths, "toml"):
        tomllib.loads(code)
    for _, code in blocks(paths, "ini"):
        configparser.ConfigParser(interpolation=None).read_string(code)


def test_yaml_blocks_parse_and_one_is_a_kubernetes_manifest(generated):
    yaml = pytest.importorskip("yaml")
    _, paths = generated
    kinds = set()
    for _, code in blocks(paths, "yaml"):
        for document in yaml.safe_load_all(code):
            if isinstance(document, dict):
                kinds.add(document.get("kind"))
    assert {"Deployment", "Service"} <= kinds


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_shell_blocks_pass_bash_n(generated):
    _, paths = generated
    scripts = [code for _, code in blocks(paths, "bash")]
    for _, code in blocks(paths, "console"):
        # Commands after the `$ ` prompt, with their continuation lines.
        lines, more = [], False
        for line in code.splitlines():
            if line.startswith("$ ") or more:
                lines.append(line[2:] if line.startswith("$ ") else line)
                more = line.endswith("\\")
        scripts.append("\n".join(lines) + "\n")
    assert scripts
    for script in scripts:
        result = subprocess.run(
            ["bash", "-n"], input=script, text=True, capture_output=True
        )
        assert result.returncode == 0, (script, result.stderr)


def test_internal_links_point_at_articles_and_their_headings(generated):
    folder, paths = generated
    internal = external = 0
    for path in paths:
        for target in LINK_RE.findall(path.read_text(encoding="utf-8")):
            if target.startswith("{filename}/"):
                internal += 1
                file, _, anchor = target.removeprefix("{filename}/").partition("#")
                linked = folder / file
                assert linked.is_file(), target
                if anchor:
                    headings = re.findall(
                        r"^## (.+)$", linked.read_text(), re.MULTILINE
                    )
                    assert anchor in {corpus.slugify(h) for h in headings}, target
            elif target.startswith("https://"):
                external += 1
                host = target.split("/")[2]
                assert host in {"example.com", "example.org", "example.net"}
            else:
                assert target in {"../archive/", "../people/"}, target
    assert internal >= 3 * SIZE and external >= 3 * SIZE


def test_pages_are_written_beside_the_articles(generated):
    folder, _ = generated
    assert (folder / "pages" / "about.md").read_text().startswith("Title: About\n")
    assert Path(folder / "people.toml").read_text().count("\n[") == SIZE // 3
