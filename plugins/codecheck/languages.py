"""In-process syntax checkers, one function per language: text -> findings.

Every checker only parses; none runs or imports the snippet.
"""

from __future__ import annotations

import ast
import configparser
import io
import json
import os
import re
import tempfile
import tomllib
from functools import cache

from .findings import Finding, ToolMissing, position


def check_python(text: str) -> list[Finding]:
    """Python syntax via compile() to an AST (never executed)."""
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        compile(text, "<snippet>", "exec", flags=flags, dont_inherit=True)
    except SyntaxError as exc:
        return [Finding(exc.lineno or 0, exc.offset or 0, exc.msg, "code/python")]
    except ValueError as exc:  # e.g. null bytes
        return [Finding(0, 0, str(exc), "code/python")]
    return []


def check_json(text: str) -> list[Finding]:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return [Finding(exc.lineno, exc.colno, exc.msg, "code/json")]
    return []


TOML_AT_RE = re.compile(
    r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$"
)


def check_toml(text: str) -> list[Finding]:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = TOML_AT_RE.match(str(exc))
        if match:
            return [
                Finding(
                    int(match["line"]), int(match["col"]), match["message"], "code/toml"
                )
            ]
        return [Finding(0, 0, str(exc), "code/toml")]
    return []


def _ini(text: str, systemd: bool) -> list[Finding]:
    check = "code/systemd" if systemd else "code/ini"
    lines = text.split("\n")
    if systemd:
        # systemd continues a line with a trailing backslash; configparser
        # wants indented continuation lines. Same line count either way.
        lines = [
            " " + line if index and lines[index - 1].rstrip().endswith("\\") else line
            for index, line in enumerate(lines)
        ]
    offset = 0
    first = next(
        (line for line in lines if line.strip() and line.lstrip()[0] not in "#;"), ""
    )
    if first and not first.lstrip().startswith("["):
        # A fragment without a [section]: give it one on the same first line.
        lines = ["[codecheck-fragment]", *lines]
        offset = 1
    parser = configparser.RawConfigParser(
        strict=not systemd,
        interpolation=None,
        delimiters=("=",) if systemd else ("=", ":"),
        comment_prefixes=("#", ";"),
        empty_lines_in_values=False,
    )
    parser.optionxform = str  # keys are case-sensitive in systemd units
    try:
        parser.read_string("\n".join(lines))
    except configparser.MissingSectionHeaderError as exc:
        # A ParsingError without `errors`: a broken first [section] header.
        line = str(exc.line).strip()
        message = f"cannot parse {line!r}: expected a [section] header"
        return [Finding(max(exc.lineno - offset, 0), 0, message, check)]
    except configparser.ParsingError as exc:
        findings = []
        for lineno, line in exc.errors:
            if line[:1] in "'\"":  # Python 3.11 stores the repr of the line
                line = ast.literal_eval(line)
            findings.append(
                Finding(lineno - offset, 0, f"cannot parse {line.strip()!r}", check)
            )
        return findings
    except configparser.Error as exc:
        lineno = getattr(exc, "lineno", 0) or 0
        message = str(exc).split("\n")[0]
        message = re.sub(
            r"^While reading from '<string>' \[line\s+\d+\]: ", "", message
        )
        return [Finding(max(lineno - offset, 0), 0, message, check)]
    return []


def check_ini(text: str) -> list[Finding]:
    """INI files: sections, `key = value`, no duplicate sections or keys."""
    return _ini(text, systemd=False)


def check_systemd(text: str) -> list[Finding]:
    """systemd units: INI with repeatable keys and backslash continuations."""
    return _ini(text, systemd=True)


def check_sql(text: str) -> list[Finding]:
    """PostgreSQL syntax with PostgreSQL's own parser (pglast)."""
    try:
        from pglast import parser
    except ImportError as exc:
        raise ToolMissing("pglast is not installed") from exc
    try:
        parser.parse_sql(text)
    except parser.ParseError as exc:
        message, index = exc.args[0], exc.args[1] if len(exc.args) > 1 else None
        if index is None:
            return [Finding(0, 0, message, "code/sql")]
        # pglast counts bytes of the UTF-8 text.
        chars = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        line, column = position(text, chars)
        return [Finding(line, column, message, "code/sql")]
    return []


DOCKERFILE_INSTRUCTIONS = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
    "WORKDIR",
}  # fmt: skip
EXEC_FORM = {"CMD", "ENTRYPOINT", "RUN", "SHELL", "VOLUME", "ADD", "COPY"}


def check_dockerfile(text: str) -> list[Finding]:
    """Instructions known, FROM first, exec forms valid JSON arrays of strings."""
    try:
        from dockerfile_parse import DockerfileParser
    except ImportError as exc:
        raise ToolMissing("dockerfile-parse is not installed") from exc
    findings: list[Finding] = []
    # In memory: a file per snippet would cost milliseconds on some disks.
    parser = DockerfileParser(fileobj=io.BytesIO())
    parser.content = text
    structure = parser.structure
    seen_from = False
    for item in structure:
        instruction, line = item["instruction"].upper(), item["startline"] + 1
        if instruction == "COMMENT":
            continue
        if instruction not in DOCKERFILE_INSTRUCTIONS:
            findings.append(
                Finding(
                    line,
                    1,
                    f"unknown instruction {item['instruction']!r}",
                    "code/dockerfile",
                )
            )
            continue
        if instruction == "FROM":
            seen_from = True
        elif instruction != "ARG" and not seen_from:
            findings.append(
                Finding(
                    line, 1, f"{instruction} before the first FROM", "code/dockerfile"
                )
            )
            seen_from = True  # say it once
        value = item["value"].strip()
        if instruction in EXEC_FORM and value.startswith("["):
            try:
                array = json.loads(value)
                ok = isinstance(array, list) and all(isinstance(a, str) for a in array)
            except ValueError:
                ok = False
            if not ok:
                message = f"{instruction} exec form is not a JSON array of strings"
                findings.append(
                    Finding(line, 1, f"{message}: {value}", "code/dockerfile")
                )
        elif not value and instruction not in ("ONBUILD",):
            findings.append(
                Finding(line, 1, f"{instruction} needs arguments", "code/dockerfile")
            )
    return findings


# Contexts a snippet may need, each opened on the first line and closed on the
# last so line numbers stay those of the snippet.
NGINX_CONTEXTS = (
    "",
    "http { ",
    "http { server { ",
    "http { server { location / { ",
    "events { ",
)
NGINX_ERROR_RE = re.compile(r" in \S+:\d+$")


@cache
def _scratch() -> tempfile.TemporaryDirectory:
    """A private folder, one per process, for tools that only read files.

    A folder made and removed per snippet (or a file rewritten in place) costs
    milliseconds on ext4; a new file in an existing folder does not. The
    folder is removed when the process ends.
    """
    return tempfile.TemporaryDirectory(prefix="codecheck-")


def _parse_nginx(crossplane, config: str) -> dict:
    """crossplane's parse of a configuration text (it reads only files)."""
    folder = _scratch().name
    os.makedirs(folder, exist_ok=True)  # in case a cleaner removed it
    handle, name = tempfile.mkstemp(dir=folder, prefix="nginx-", suffix=".conf")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(config)
        return crossplane.parse(name, single=True, catch_errors=True, comments=False)
    finally:
        os.unlink(name)


def check_nginx(text: str) -> list[Finding]:
    """nginx syntax with crossplane, the snippet wrapped in the context it needs."""
    try:
        import crossplane
    except ImportError as exc:
        raise ToolMissing("crossplane is not installed") from exc
    best: list[Finding] | None = None
    for context in NGINX_CONTEXTS:
        closing = " }" * context.count("{")
        payload = _parse_nginx(crossplane, context + text.rstrip("\n") + closing + "\n")
        findings = [
            Finding(
                error["line"] or 0,
                0,
                NGINX_ERROR_RE.sub("", error["error"]),
                "code/nginx",
            )
            for error in payload["errors"]
        ]
        if not findings:
            return []
        misplaced = any("not allowed here" in f.message for f in findings)
        if best is None or not misplaced:
            best = findings
        if not misplaced:
            break
    return best or []


def check_hcl(text: str) -> list[Finding]:
    """HCL / Terraform syntax with python-hcl2."""
    try:
        import hcl2
        from lark.exceptions import LarkError, UnexpectedInput
    except ImportError as exc:
        raise ToolMissing("python-hcl2 is not installed") from exc
    try:
        hcl2.loads(text if text.endswith("\n") else text + "\n")
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        if token is not None:
            message = (
                f"syntax error: unexpected {str(token).strip() or 'end of line'!r}"
            )
        else:
            message = re.sub(
                r" at line \d+, column \d+\.?$", "", str(exc).split("\n")[0]
            )
        return [Finding(exc.line or 0, exc.column or 0, message, "code/hcl")]
    except (LarkError, ValueError) as exc:
        return [Finding(0, 0, str(exc).split("\n")[0], "code/hcl")]
    return []


def check_xml(text: str) -> list[Finding]:
    """Well-formed XML (lxml, no network, no entity expansion)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    source = text.strip().encode("utf-8")
    try:
        etree.fromstring(source, parser)
    except etree.XMLSyntaxError as exc:
        if "Extra content at the end" in str(exc) and not text.lstrip().startswith(
            "<?xml"
        ):
            # A fragment with several top-level elements: give it a root.
            wrapped = b"<codecheck-root>" + source + b"</codecheck-root>"
            try:
                etree.fromstring(
                    wrapped, etree.XMLParser(resolve_entities=False, no_network=True)
                )
                return []
            except etree.XMLSyntaxError as inner:
                exc = inner
        lead = len(text) - len(text.lstrip())
        line = (exc.lineno or 1) + text.count("\n", 0, lead)
        message = re.sub(r", line \d+, column \d+$", "", exc.msg)
        return [Finding(line, exc.offset or 0, message, "code/xml")]
    return []


HTML_SERIOUS = {"ERR_TAG_NAME_MISMATCH", "ERR_NAME_REQUIRED", "ERR_LT_IN_ATTRIBUTE"}


def check_html(text: str) -> list[Finding]:
    """Mismatched and stray end tags in HTML (lxml's HTML parser)."""
    from lxml import etree

    parser = etree.HTMLParser(recover=True, no_network=True)
    etree.fromstring(text.encode("utf-8") or b"<p></p>", parser)
    return [
        Finding(error.line, error.column, error.message, "code/html")
        for error in parser.error_log
        if error.type_name in HTML_SERIOUS
    ]


def check_jinja(text: str) -> list[Finding]:
    """Jinja template syntax (parsed, never rendered)."""
    import jinja2

    try:
        jinja2.Environment(autoescape=False).parse(text)
    except jinja2.TemplateSyntaxError as exc:
        return [Finding(exc.lineno or 0, 0, exc.message or str(exc), "code/jinja")]
    return []


CHECKERS = {
    "python": check_python,
    "json": check_json,
    "toml": check_toml,
    "ini": check_ini,
    "systemd": check_systemd,
    "sql": check_sql,
    "dockerfile": check_dockerfile,
    "nginx": check_nginx,
    "hcl": check_hcl,
    "xml": check_xml,
    "html": check_html,
    "jinja": check_jinja,
}
