"""Turn terminal sessions into checkable source, line for line.

A session block mixes prompts, commands, comments and output. Each function
returns the command text with every other line left empty (so a line number
in the result is the line number in the block), per line how many columns
the removed prompt took (to report the right column), and per line its role.
`copy_text` gives what a reader would type: the commands, without prompts,
output or comments (the site's Copy button copies that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# `$ cmd`, `# cmd` (root), `% cmd`, `user@host:~$ cmd`, `[root@host ~]# cmd`,
# `(venv) $ cmd`, `bash-5.1$ cmd`.
SHELL_PROMPT_RE = re.compile(
    r"^(?:\([^)\s]+\)\s*)?"  # (venv)
    r"(?:(?:\[[^\]\n]+\]|[\w.-]+@[\w.-]+(?::\S*)?)\s?[$#%]"  # [u@h ~]# or u@h:~$
    r"|(?:[\w.-]*\w)?[$#]"  # $, #, bash-5.1$
    r"|%)(?: |$)"
)
# The bare `# ` prompt: a root shell, or a comment in a session of `$ ` lines.
BARE_ROOT_RE = re.compile(r"^#(?: |$)")
USER_PROMPT_RE = re.compile(
    r"^(?:\([^)\s]+\)\s*)?(?:(?:\[[^\]\n]+\]|[\w.-]+@[\w.-]+(?::\S*)?)\s?[$%]"
    r"|(?:[\w.-]*\w)?\$|%)(?: |$)"
)
# Commands after which the session continues as root (`# ` is then a prompt).
BECOME_ROOT_RE = re.compile(
    r"^\s*(?:sudo\s+(?:-[is]\b|su\b|bash\b|-u\s+root\s+-[is]\b)|su\b(?:\s+-|\s+root)?\s*$)"
)
LEAVE_ROOT_RE = re.compile(r"^\s*(?:exit|logout)\s*$")
PS2_RE = re.compile(r"^> ?")
HEREDOC_RE = re.compile(r"(?<!<)<<(-?)\s*([\"']?)([A-Za-z_][\w.-]*)\2")
PYCON_RE = re.compile(r"^(>>>|\.\.\.)(?: |$)")
# `=#`, `=>`, `-#` (continuation), `'#`, `(#`, `*#` … with an optional database name.
PSQL_PROMPT_RE = re.compile(r"^[\w.-]*(?:=\*|=!|[=\-'\"(*$])[#>](?: |$)")

COMMAND, CONTINUATION, COMMENT, OUTPUT = "command", "continuation", "comment", "output"


@dataclass
class Script:
    """Source extracted from a session: `text` keeps the block's lines."""

    text: str
    offsets: list[int]  # columns removed at the start of each line
    commands: int  # how many prompt lines were found
    roles: list[str] = field(default_factory=list)  # COMMAND, OUTPUT … per line

    def typed(self) -> str:
        """What a reader types: command and continuation lines, prompts removed."""
        lines = self.text.split("\n")
        kept = [
            line
            for line, role in zip(lines, self.roles, strict=False)
            if role in (COMMAND, CONTINUATION)
        ]
        return "\n".join(kept)


def _is_comment(lines: list[str], index: int, root: bool) -> bool:
    """Is a bare `# …` line a comment rather than a root prompt?

    In a session of `$ `/`% ` prompts, `# text` is a comment unless the
    session became root (`sudo -i`, `su -`) or the line is followed by output
    (a root command and what it printed, as in `# ss -tpno` then `ESTAB …`).
    """
    if root:
        return False
    for following in lines[index + 1 :]:
        if not following.strip():
            continue
        return bool(SHELL_PROMPT_RE.match(following))
    return True


def shell_session(block: str) -> Script:
    """The commands of a console session; output and comment lines become empty."""
    lines = block.split("\n")
    out = [""] * len(lines)
    offsets = [0] * len(lines)
    roles = [OUTPUT] * len(lines)
    commands = 0
    user_prompts = any(USER_PROMPT_RE.match(line) for line in lines)
    root = False  # after `sudo -i`, a bare `# ` is a prompt again
    continued = False  # previous command line ended with a backslash
    heredoc: tuple[str, bool, bool | None] | None = None  # word, <<-, typed
    in_command = False  # PS2 lines (`> `) may follow
    for index, line in enumerate(lines):
        if heredoc is not None:
            word, dash, typed = heredoc
            if typed is None:  # copied from a terminal, the body has `> ` prompts
                typed = bool(PS2_RE.match(line))
                heredoc = (word, dash, typed)
            ps2 = PS2_RE.match(line) if typed else None
            offsets[index] = ps2.end() if ps2 else 0
            out[index] = line[offsets[index] :]
            roles[index] = CONTINUATION
            if (out[index].lstrip("\t") if dash else out[index]) == word:
                heredoc = None
            continue
        if continued:
            out[index] = line
            roles[index] = CONTINUATION
        elif (prompt := SHELL_PROMPT_RE.match(line)) is not None:
            if (
                user_prompts
                and BARE_ROOT_RE.match(line)
                and _is_comment(lines, index, root)
            ):
                roles[index] = COMMENT
                in_command = continued = False
                continue
            commands += 1
            offsets[index] = prompt.end()
            out[index] = line[prompt.end() :]
            roles[index] = COMMAND
            in_command = True
            if BECOME_ROOT_RE.match(out[index]):
                root = True
            elif root and LEAVE_ROOT_RE.match(out[index]):
                root = False
        elif in_command and (ps2 := PS2_RE.match(line)) is not None:
            offsets[index] = ps2.end()
            out[index] = line[ps2.end() :]
            roles[index] = CONTINUATION
        else:
            in_command = False
            continue
        continued = out[index].endswith("\\")
        found = HEREDOC_RE.search(out[index])
        if found:
            heredoc = (found.group(3), found.group(1) == "-", None)
    return Script("\n".join(out), offsets, commands, roles)


def python_session(block: str) -> Script:
    """The source typed at `>>> ` and `... ` prompts; output becomes empty."""
    lines = block.split("\n")
    out = [""] * len(lines)
    offsets = [0] * len(lines)
    roles = [OUTPUT] * len(lines)
    commands = 0
    for index, line in enumerate(lines):
        prompt = PYCON_RE.match(line)
        if prompt:
            first = prompt.group(1) == ">>>"
            commands += first
            offsets[index] = prompt.end()
            out[index] = line[prompt.end() :]
            roles[index] = COMMAND if first else CONTINUATION
    return Script("\n".join(out), offsets, commands, roles)


def psql_session(block: str, meta_commands: bool = False) -> Script:
    """The SQL typed at psql prompts; backslash commands and output become empty.

    Lines without a prompt continue an unfinished statement (authors often
    drop the `-#` continuation prompt); after a `;` they are output. With
    `meta_commands`, psql's own commands (`\\x`, `\\d`) are kept (a reader
    types them too; PostgreSQL's parser would not read them).
    """
    lines = block.split("\n")
    if not any(PSQL_PROMPT_RE.match(line) for line in lines):
        # Plain SQL, possibly with psql meta-commands.
        keep = [meta_commands or not line.lstrip().startswith("\\") for line in lines]
        out = [line if kept else "" for line, kept in zip(lines, keep, strict=True)]
        roles = [COMMAND if kept else OUTPUT for kept in keep]
        return Script("\n".join(out), [0] * len(lines), 0, roles)
    out = [""] * len(lines)
    offsets = [0] * len(lines)
    roles = [OUTPUT] * len(lines)
    commands = 0
    open_statement = False
    for index, line in enumerate(lines):
        prompt = PSQL_PROMPT_RE.match(line)
        if prompt:
            commands += 1
            offsets[index] = prompt.end()
            text = line[prompt.end() :]
            role = COMMAND if not open_statement else CONTINUATION
        elif open_statement and line.strip():
            text = line
            role = CONTINUATION
        else:
            open_statement = False
            continue
        if text.lstrip().startswith("\\"):
            if meta_commands:
                out[index], roles[index] = text, COMMAND
            continue  # a psql meta-command such as \d or \x
        out[index], roles[index] = text, role
        code = text.split("--", 1)[0].strip()
        if code:
            open_statement = not code.endswith(";")
    return Script("\n".join(out), offsets, commands, roles)


def copy_text(kind: str, block: str) -> str | None:
    """What the Copy button copies from a session block; None: the whole block.

    `kind` is the checker kind of the block's tag (`console`, `pycon`,
    `sql`). Only blocks with prompts are sessions.
    """
    if kind == "console":
        script = shell_session(block)
    elif kind == "pycon":
        script = python_session(block)
    elif kind == "sql":
        script = psql_session(block, meta_commands=True)
    else:
        return None
    if not script.commands:
        return None
    return script.typed()
