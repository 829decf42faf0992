"""Structural checks of a Kubernetes manifest that need no schema download.

Works on PyYAML nodes (not plain data) so every finding has its line.
"""

from __future__ import annotations

import re

import yaml

from .findings import Finding

# Kinds whose objects carry a pod template, and where it is.
POD_TEMPLATE_PATHS = {
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}
SELECTOR_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
DNS_SUBDOMAIN_RE = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
CONTAINER_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
RESTART_POLICIES = {"Always", "OnFailure", "Never"}
# Templating ({{ }}, $VAR) and placeholders (<NAME>, replaced by _NAME_ before
# parsing) are not names to validate.
PLACEHOLDER_RE = re.compile(r"[<>{}$]|(?:^|\W)_\w*_(?:\W|$)")


def _where(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _get(node, key):
    """The value node of `key` in a mapping node, or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value
    return None


def _path(node, *keys):
    for key in keys:
        node = _get(node, key)
        if node is None:
            return None
    return node


def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def check_manifest(doc) -> list[Finding]:
    """Findings for one YAML document that looks like a Kubernetes object."""
    api, kind = _get(doc, "apiVersion"), _get(doc, "kind")
    if api is None or kind is None:
        return []
    found: list[Finding] = []

    def problem(node, message):
        line, column = _where(node)
        found.append(Finding(line, column, message, "code/kubernetes"))

    kind_name = _scalar(kind)
    if not _scalar(api):
        problem(api, "apiVersion must be a string such as apps/v1")
    if not kind_name:
        problem(kind, "kind must be a string such as Deployment")
        return found
    if kind_name.endswith("List"):
        return found
    metadata = _get(doc, "metadata")
    if metadata is None:
        problem(kind, f"a {kind_name} needs metadata with a name")
    elif not isinstance(metadata, yaml.MappingNode):
        problem(metadata, "metadata must be a mapping")
    else:
        name = _get(metadata, "name")
        if name is None and _get(metadata, "generateName") is None:
            problem(metadata, "metadata needs a name (or generateName)")
        elif name is not None:
            value = _scalar(name)
            if value is None or (
                not DNS_SUBDOMAIN_RE.match(value) and not PLACEHOLDER_RE.search(value)
            ):
                problem(
                    name,
                    f"metadata.name {value!r} is not a valid name (a-z, 0-9, '-', '.')",
                )
        for field in ("labels", "annotations"):
            mapping = _get(metadata, field)
            if mapping is None:
                continue
            if not isinstance(mapping, yaml.MappingNode):
                problem(mapping, f"metadata.{field} must be a mapping")
                continue
            for _key, value in mapping.value:
                if (
                    not isinstance(value, yaml.ScalarNode)
                    or value.tag != "tag:yaml.org,2002:str"
                ):
                    problem(
                        value,
                        f"metadata.{field} values must be strings; quote this value",
                    )
    if kind_name in SELECTOR_KINDS and api.value.startswith("apps/"):
        if _path(doc, "spec", "selector") is None:
            problem(kind, f"a {kind_name} in {api.value} needs spec.selector")
    if kind_name == "Pod":
        found.extend(_check_pod_spec(_get(doc, "spec"), kind, kind_name))
    elif kind_name in POD_TEMPLATE_PATHS:
        template = _path(doc, *POD_TEMPLATE_PATHS[kind_name])
        if template is None:
            problem(
                kind, f"a {kind_name} needs {'.'.join(POD_TEMPLATE_PATHS[kind_name])}"
            )
        else:
            found.extend(_check_pod_spec(_get(template, "spec"), template, kind_name))
    return found


def _check_pod_spec(spec, parent, kind_name) -> list[Finding]:
    found: list[Finding] = []

    def problem(node, message):
        line, column = _where(node)
        found.append(Finding(line, column, message, "code/kubernetes"))

    if spec is None:
        problem(parent, "the pod template needs a spec with containers")
        return found
    policy = _scalar(_get(spec, "restartPolicy") or yaml.ScalarNode("", ""))
    if policy and policy not in RESTART_POLICIES:
        problem(
            _get(spec, "restartPolicy"),
            f"restartPolicy must be one of {sorted(RESTART_POLICIES)}",
        )
    if kind_name in ("Job", "CronJob") and policy == "Always":
        problem(
            _get(spec, "restartPolicy"),
            "a Job's restartPolicy must be Never or OnFailure",
        )
    for field in ("containers", "initContainers"):
        containers = _get(spec, field)
        if containers is None:
            if field == "containers":
                problem(spec, "the pod spec needs a containers list")
            continue
        if not isinstance(containers, yaml.SequenceNode):
            problem(
                containers, f"{field} must be a list (start each container with '- ')"
            )
            continue
        if field == "containers" and not containers.value:
            problem(containers, "containers must not be empty")
        for container in containers.value:
            if not isinstance(container, yaml.MappingNode):
                problem(container, "a container must be a mapping with name and image")
                continue
            name = _get(container, "name")
            if name is None:
                problem(container, "a container needs a name")
            elif not CONTAINER_NAME_RE.match(
                _scalar(name) or ""
            ) and not PLACEHOLDER_RE.search(_scalar(name) or ""):
                problem(name, f"container name {_scalar(name)!r} is not a valid name")
            if _get(container, "image") is None:
                problem(container, "a container needs an image")
            ports = _get(container, "ports")
            if ports is None or _scalar(ports) in ("", "~", "null"):
                continue
            if not isinstance(ports, yaml.SequenceNode):
                problem(ports, "ports must be a list (start each port with '- ')")
                continue
            for port in ports.value:
                number = _get(port, "containerPort")
                if number is None:
                    problem(port, "a port needs containerPort")
                elif not (_scalar(number) or "").isdigit():
                    problem(number, "containerPort must be a number")
    return found
