"""YAML: several documents per block, duplicate keys, Kubernetes structure."""

from __future__ import annotations

import yaml

from .findings import Finding
from .kubernetes import check_manifest


class StrictLoader(yaml.SafeLoader):
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


StrictLoader.add_multi_constructor("!", _any_tag)
StrictLoader.add_multi_constructor("tag:", _any_tag)


def check_yaml(text: str) -> list[Finding]:
    """Syntax errors and duplicate keys in every document, then Kubernetes checks."""
    loader = StrictLoader(text)
    findings: list[Finding] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            loader.construct_document(node)
            findings.extend(check_manifest(node))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        findings.append(Finding(line, column, message or str(exc), "code/yaml"))
    except yaml.YAMLError as exc:
        findings.append(Finding(0, 0, str(exc), "code/yaml"))
    finally:
        loader.dispose()
    return loader.duplicates + findings
