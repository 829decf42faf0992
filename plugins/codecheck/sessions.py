"""Turn terminal sessions into checkable source, line for line.

A session block mixes prompts, commands and output. Each function returns
the command text with every other line left empty (so a line number in the
result is the line number in the block) and, per line, how many columns the
removed prompt took (to report the right column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `$ cmd`, `# cmd` (root), `% cmd`, `user@host:~$ cmd`, `[root@host ~]# cmd`,
# `(venv) $ cmd`, `bash-5.1$ cmd`.
SHELL_PROMPT_RE = re.compile(
    r"^(?:\([^)\s]+\)\s*)?"  # (venv)
    r"(?:(?:\[[^\]\n]+\]|[\w.-]+@[\w.-]+(?::\S*)?)\s?[$#%]"  # [u@h ~]# or u@h:~$
    r"|(?:[\w.-]*\w)?[$#]"  # $, #, bash-5.1$
    r"|%)(?: |$)"
)
PS2_RE = re.compile(r"^> ?")
HEREDOC_RE = re.compile(r"(?<!<)<<(-?)\s*([\"']?)([A-Za-z_][\w.-]*)\2")
PYCON_RE = re.compile(r"^(>>>|\.\.\.)(?: |$)")
# `=#`, `=>`, `-#` (continuation), `'#`, `(#`, `*#` … with an optional database name.
PSQL_PROMPT_RE = re.compile(r"^[\w.-]*(?:=\*|=!|[=\-'\"(*$])[#>](?: |$)")


@dataclass
class Script:
    """Source extracted from a session: `text` keeps the block's lines."""

    text: str
    offsets: list[int]  # columns removed at the start of each line
    commands: int  # how many prompt lines were found


def shell_session(block: str) -> Script:
    """The commands of a console session; output lines become empty."""
    lines = block.split("\n")
    out = [""] * len(lines)
    offsets = [0] * len(lines)
    commands = 0
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
            if (out[index].lstrip("\t") if dash else out[index]) == word:
                heredoc = None
            continue
        if continued:
            out[index] = line
        elif (prompt := SHELL_PROMPT_RE.match(line)) is not None:
            commands += 1
            offsets[index] = prompt.end()
            out[index] = line[prompt.end() :]
            in_command = True
        elif in_command and (ps2 := PS2_RE.match(line)) is not None:
            offsets[index] = ps2.end()
            out[index] = line[ps2.end() :]
        else:
            in_command = False
            continue
        continued = out[index].endswith("\\")
        found = HEREDOC_RE.search(out[index])
        if found:
            heredoc = (found.group(3), found.group(1) == "-", None)
    return Script("\n".join(out), offsets, commands)


def python_session(block: str) -> Script:
    """The source typed at `>>> ` and `... ` prompts; output becomes empty."""
    lines = block.split("\n")
    out = [""] * len(lines)
    offsets = [0] * len(lines)
    commands = 0
    for index, line in enumerate(lines):
        prompt = PYCON_RE.match(line)
        if prompt:
            commands += prompt.group(1) == ">>>"
            offsets[index] = prompt.end()
            out[index] = line[prompt.end() :]
    return Script("\n".join(out), offsets, commands)


def psql_session(block: str) -> Script:
    """The SQL typed at psql prompts; backslash commands and output become empty.

    Lines without a prompt continue an unfinished statement (authors often
    drop the `-#` continuation prompt); after a `;` they are output.
    """
    lines = block.split("\n")
    if not any(PSQL_PROMPT_RE.match(line) for line in lines):
        # Plain SQL, possibly with psql meta-commands.
        out = ["" if line.lstrip().startswith("\\") else line for line in lines]
        return Script("\n".join(out), [0] * len(lines), 0)
    out = [""] * len(lines)
    offsets = [0] * len(lines)
    commands = 0
    open_statement = False
    for index, line in enumerate(lines):
        prompt = PSQL_PROMPT_RE.match(line)
        if prompt:
            commands += 1
            offsets[index] = prompt.end()
            text = line[prompt.end() :]
        elif open_statement and line.strip():
            text = line
        else:
            open_statement = False
            continue
        if text.lstrip().startswith("\\"):
            continue  # a psql meta-command such as \d or \x
        out[index] = text
        code = text.split("--", 1)[0].strip()
        if code:
            open_statement = not code.endswith(";")
    return Script("\n".join(out), offsets, commands)
