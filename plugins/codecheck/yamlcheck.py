"""YAML: several documents per block, duplicate keys, Kubernetes structure.

A block is read with libyaml (PyYAML's C parser, ~7x faster) when it holds
only characters both of PyYAML's parsers treat alike; when libyaml finds a
syntax error, or the block holds a tab, a carriage return, a BOM or a
Unicode line break, the pure-Python parser reads it: its messages name
the line and what was expected, and it is the one these checks always
used. (Over 30,000 mutated YAML blocks the two accepted and rejected the
same ones without those characters; with them, they differ.)
"""

from __future__ import annotations

import re

import yaml

from .findings import Finding
from .kubernetes import check_manifest


class _Strict:
    """A safe loader that records duplicate keys and accepts any `!tag`."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[Finding] = []

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            try:
                key = self.construct_object(key_node, deep=True)
                hash(key)
            except Exception:  # unhashable keys are reported by PyYAML itself
                continue
            if key in seen:
                mark = key_node.start_mark
                self.duplicates.append(
                    Finding(
                        mark.line + 1,
                        mark.column + 1,
                        f"duplicate key {key!r} (already defined above)",
                        "code/yaml",
                    )
                )
            else:
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _any_tag(loader, suffix, node):
    # CloudFormation's !Ref, Ansible's !vault …: valid YAML, unknown meaning.
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


class StrictLoader(_Strict, yaml.SafeLoader):
    """The pure-Python strict loader."""


FastStrictLoader = None
if getattr(yaml, "__with_libyaml__", False):

    class FastStrictLoader(_Strict, yaml.CSafeLoader):
        """The strict loader on libyaml."""


for _loader in (StrictLoader, FastStrictLoader):
    if _loader is not None:
        _loader.add_multi_constructor("!", _any_tag)
        _loader.add_multi_constructor("tag:", _any_tag)

# Characters the two parsers read differently (tabs in plain scalars, NEL,
# LS/PS line breaks, CR, BOM) or that only the pure one rejects with a
# message: any of them sends the block to the pure-Python parser.
_PURE_ONLY = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    r"\U00010000-\U0010ffff]"
)


def check_yaml(text: str) -> list[Finding]:
    """Syntax errors and duplicate keys in every document, then Kubernetes checks."""
    if FastStrictLoader is not None and not _PURE_ONLY.search(text):
        found = _check(FastStrictLoader, text, explain=False)
        if found is not None:
            return found
    return _check(StrictLoader, text, explain=True)


def _check(loader_class, text: str, explain: bool) -> list[Finding] | None:
    """Duplicate keys, then each document's Kubernetes findings, and the
    syntax error that stopped the reading (None for it unless `explain`)."""
    loader = loader_class(text)
    findings: list[Finding] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            loader.construct_document(node)
            findings.extend(check_manifest(node))
    except yaml.MarkedYAMLError as exc:
        if not explain:
            return None
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        findings.append(Finding(line, column, message or str(exc), "code/yaml"))
    except yaml.YAMLError as exc:
        if not explain:
            return None
        findings.append(Finding(0, 0, str(exc), "code/yaml"))
    finally:
        loader.dispose()
    return loader.duplicates + findings
