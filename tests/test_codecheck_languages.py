"""Every language: valid samples pass, broken ones are caught at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.codecheck import run

FIXTURES = Path(__file__).parent / "fixtures" / "codecheck"
VALID = sorted((FIXTURES / "valid").glob("*.md"))

# For each broken fixture: (text on the expected line, check id). The line
# is looked up in the file, so the fixtures can be edited freely.
BROKEN = {
    "shell.md": [
        ('echo "starting', "code/shell"),
        ("  echo found", "code/shell"),
        ('NAME = "value"', "code/shellcheck"),
    ],
    "console.md": [
        ("$ echo \"done' && exit", "code/shell"),
        ("root@host:~# for i in 1 2", "code/shell"),
    ],
    "python.md": [
        ("    versions = []", "code/python"),
        (">>> x = [1, 2", "code/python"),
    ],
    "yaml.md": [
        ('  a: "2"', "code/yaml"),
        ("     image: nginx", "code/yaml"),
        ("kind: Deployment", "code/kubernetes"),
        ("  name: Web_Server", "code/kubernetes"),
        ("        name: web", "code/kubernetes"),
        ("      restartPolicy: Always", "code/kubernetes"),
    ],
    "data.md": [
        ('  "tags": ["devops", "sre",]', "code/json"),
        ('host = "0.0.0.0', "code/toml"),
        ("max_connections = 300", "code/ini"),
        ("this line has no equals sign", "code/systemd"),
    ],
    "sql.md": [
        ("ORDER BY;", "code/sql"),
        ("postgres=# SELEC now()", "code/sql"),
    ],
    "config.md": [
        ("COPPY . /app", "code/dockerfile"),
        ('CMD ["python", "app.py"', "code/dockerfile"),
        ("proxy_pass http://127.0.0.1:8000", "code/nginx"),
        ("  bucket =", "code/hcl"),
        ('<item key="a">1</itme>', "code/xml"),
        ("<p>Hello <b>world</b></div>", "code/html"),
        ("server {{ host.name }};", "code/jinja"),
    ],
}


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(text) or line.lstrip().startswith(text):
            return number
    raise AssertionError(f"{text!r} not in {path}")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_samples_pass(path):
    report = run([path], {"CODECHECK_CACHE": None})
    assert report.problems == []
    assert report.checked > 0


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_samples_are_caught_at_their_line(name):
    path = FIXTURES / "broken" / name
    report = run([path], {"CODECHECK_CACHE": None})
    found = sorted((p.line, p.check) for p in report.problems)
    expected = sorted((line_of(path, text), check) for text, check in BROKEN[name])
    assert found == expected, "\n".join(p.as_text() for p in report.problems)
    assert all(p.severity == "error" for p in report.problems)


def test_problems_point_into_the_markdown_file_with_columns():
    path = FIXTURES / "broken" / "yaml.md"
    problems = run([path], {"CODECHECK_CACHE": None}).problems
    duplicate = next(p for p in problems if "duplicate key" in p.message)
    assert duplicate.path.endswith("broken/yaml.md")
    assert (duplicate.line, duplicate.column) == (line_of(path, '  a: "2"'), 3)


def test_prompt_width_is_added_to_columns(tmp_path):
    page = tmp_path / "a.md"
    page.write_text('```console\nuser@host:~$ NAME = "x"\n```\n', encoding="utf-8")
    (problem,) = run([page], {"CODECHECK_CACHE": None}).problems
    assert problem.check == "code/shellcheck"
    assert (problem.line, problem.column) == (2, len("user@host:~$ NAME ") + 1)


def test_the_seven_articles_pass():
    content = Path(__file__).parent.parent / "content"
    report = run([content], {"CODECHECK_CACHE": None})
    assert report.problems == []
    assert report.checked >= 25


def test_kubernetes_ports_that_are_not_a_list_are_reported(tmp_path):
    # A mapping under ports used to crash the whole check.
    page = tmp_path / "a.md"
    page.write_text(
        "```yaml\n"
        "kind: Pod\n"
        "apiVersion: v1\n"
        "metadata:\n  name: web\n"
        "spec:\n  containers:\n  - name: web\n    image: nginx\n"
        "    ports:\n      containerPort: 80\n"
        "```\n",
        encoding="utf-8",
    )
    (problem,) = run([page], {"CODECHECK_CACHE": None}).problems
    assert (problem.line, problem.check) == (11, "code/kubernetes")
    assert "ports must be a list" in problem.message


def test_a_broken_first_section_header_is_reported(tmp_path):
    # configparser's MissingSectionHeaderError used to crash the whole check.
    page = tmp_path / "a.md"
    page.write_text("```ini\n[Unit\nDescription=web\n```\n", encoding="utf-8")
    (problem,) = run([page], {"CODECHECK_CACHE": None}).problems
    assert (problem.line, problem.check) == (2, "code/ini")
    assert problem.message == "cannot parse '[Unit': expected a [section] header"


def _yaml_samples() -> list[str]:
    """YAML blocks of the fixtures and of the benchmark's generator."""
    import random
    import re

    from bench import snippets

    samples = []
    for path in (FIXTURES / "valid" / "yaml.md", FIXTURES / "broken" / "yaml.md"):
        text = path.read_text(encoding="utf-8")
        samples += re.findall(r"```ya?ml[^\n]*\n(.*?)```", text, re.S)
    rng = random.Random(2017)
    for _ in range(20):
        samples.append(snippets.yaml_manifest(rng)[1])
        samples.append(snippets.yaml_playbook(rng)[1])
    return samples


def _mutated(samples: list[str], count: int) -> list[str]:
    """`count` variants, each with a few characters inserted, dropped or changed."""
    import random

    rng = random.Random(1225)
    pieces = [*":-[]{}\"'#&*!|>%@` ,?\\\n", "  ", "- ", ": ", "---\n", "&a ", "*a"]
    pieces += ["\t", "\r", "\x85", "\u2028", "\ufeff", "é"]
    variants = []
    for _ in range(count):
        text = rng.choice(samples)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            kind = rng.random()
            if kind < 0.4:
                text = text[:at] + rng.choice(pieces) + text[at:]
            elif kind < 0.8:
                text = text[:at] + text[at + 1 :]
            else:
                text = text[:at] + rng.choice(pieces) + text[at + 1 :]
        variants.append(text)
    return variants


def test_yaml_read_by_libyaml_gives_the_pure_parsers_findings():
    from plugins.codecheck import yamlcheck

    # PyYAML's wheels ship libyaml: without it this would test nothing.
    assert yamlcheck.FastStrictLoader is not None
    samples = _yaml_samples()
    assert len(samples) > 40
    fast_used = 0
    for text in samples + _mutated(samples, 1500):
        pure = yamlcheck._check(yamlcheck.StrictLoader, text, explain=True)
        assert yamlcheck.check_yaml(text) == pure, text
        if yamlcheck._PURE_ONLY.search(text):
            continue
        fast = yamlcheck._check(yamlcheck.FastStrictLoader, text, explain=False)
        rejected = yamlcheck._check(yamlcheck.StrictLoader, text, explain=False) is None
        # The same blocks accepted, and then the same findings.
        assert (fast is None) == rejected, text
        if fast is not None:
            fast_used += 1
            assert fast == pure, text
    assert fast_used > 300


def test_yaml_with_a_tab_in_a_value_is_still_read_by_the_pure_parser():
    from plugins.codecheck import yamlcheck

    text = "name: b\tilling\nstate: present\n"
    (finding,) = yamlcheck.check_yaml(text)
    assert (finding.line, finding.check) == (1, "code/yaml")
    assert "cannot start any token" in finding.message
