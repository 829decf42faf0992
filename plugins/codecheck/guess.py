"""What language is an untagged code block? A guess with a confidence.

Each language collects evidence from features of the text (a prompt, a
shebang, a `[Unit]` section, `ensure =>` …), weighted by how much they
single the language out. The confidence is the winner's share against the
runner-up, so a block that looks like two things is never hinted at. The
hint shown to authors, and the language an indented block is checked as,
need a confidence measured on the labelled set in
`tests/fixtures/codecheck/hints.txt` (see `tests/test_codecheck_hints.py`).
"""

from __future__ import annotations

import configparser
import json
import re
import textwrap
import tomllib
from collections import defaultdict
from dataclasses import dataclass

# Shown as a hint from this confidence on; measured: hints shown at this
# level are right >= 95 % of the time on the labelled set.
HINT_CONFIDENCE = 0.75
# An indented (untagged) block is checked as the guessed language from here.
CHECK_CONFIDENCE = 0.85
# A larger block is not guessed at (the guess parses JSON, TOML, YAML in this
# process; codecheck's own parsers run bounded in a worker, see limits.py).
GUESS_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Guess:
    lang: str  # a tag Pygments knows (or `text`)
    confidence: float  # 0 … 1

    @property
    def hint(self) -> bool:
        return self.confidence >= HINT_CONFIDENCE


# Words that start a shell command line in sysadmin writing.
COMMANDS = frozenset(
    """
    ab adduser alias ansible ansible-playbook apt apt-get apt-key aptitude awk aws
    az base64 bash brew bundle bzip2 cat cd certbot chgrp chmod chown chroot
    consul cp crontab curl cut date dd df diff dig dmesg dnf docker
    docker-compose du echo env etcdctl eval exec exit export fdisk find flock
    free fsck gcloud gem git go grep groupadd gunzip gzip head helm host
    hostname hostnamectl htop id ifconfig install ip ipset iptables jq
    journalctl kill killall kubectl less ln logger login ls lsblk lsof lvcreate
    lvextend make man mkdir mkfs mktemp mount mv mysql nc netstat nginx nmap
    nohup npm nslookup openssl passwd pg_dump pg_isready pgrep pip pip3 pkill
    printf ps psql pwd python python3 read readlink redis-cli resize2fs rm
    rmdir rpm rsync scp sed service set setenforce sftp sh sleep sort source
    ss ssh ssh-add ssh-copy-id ssh-keygen stat strace su sudo swapoff swapon
    sysctl systemctl tail tar tcpdump tee terraform test time timedatectl
    top touch tr traceroute ufw umount uname uniq unset unzip until uptime
    useradd usermod vagrant vault vi vim virsh wc wget which whoami xargs yum
    zfs zpool zypper
    """.split()
)
SHELL_KEYWORDS = frozenset(
    "if then else elif fi for while until do done case esac function select "
    "return local declare readonly shift trap".split()
)

PROMPT_USER_RE = re.compile(
    r"^(?:\([^)\s]+\)\s*)?(?:(?:\[[^\]\n]+\]|[\w.-]+@[\w.-]+(?::\S*)?)\s?[$#%]"
    r"|(?:[\w.-]*\w)?\$)\s\S"
)
PROMPT_PERCENT_RE = re.compile(r"^% [a-z]")
ROOT_LINE_RE = re.compile(r"^# (?P<word>[\w.-]+)(?P<rest>.*)$")
SHEBANG_RE = re.compile(r"^#!\s*\S*?(?:env\s+)?(?P<prog>[\w.]+)(?:\s|$)")
SHEBANGS = {
    "python": "python", "python3": "python", "python2": "python", "perl": "perl",
    "ruby": "ruby", "node": "javascript", "bash": "bash", "sh": "bash",
    "zsh": "bash", "ksh": "bash", "dash": "bash",
}  # fmt: skip

SYSTEMD_SECTIONS = (
    "Unit|Service|Install|Timer|Socket|Mount|Automount|Path|Slice|Scope|Swap|"
    "Network|Match|Link|NetDev|Resolve|Journal|Container"
)

LOG_LINE_RES = [
    re.compile(p)
    for p in (
        r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d ",  # syslog
        r"^\[?\d{4}[-/]\d\d[-/]\d\d[ T]\d\d:\d\d",  # ISO time
        r"^\[\w{3} \w{3} [ \d]\d \d\d:\d\d",  # Apache error log
        r"^\d{1,3}(?:\.\d{1,3}){3} - \S+ \[",  # access log
        r"^[IWEF]\d{4} \d\d:\d\d:\d\d",  # glog
        r"^level=\w+ ",  # logfmt
        r"^\w+: \[\s*\d+\.\d+\]",  # kernel: [123.4]
        r"^Traceback \(most recent call last\):",
        r"^\s+at [\w.$<>]+\(",  # Java stack frame
        r"^Exception in thread ",
        r"^\s+File \".*\", line \d+",
    )
]
TABLE_HEADER_RE = re.compile(r"^\s*[A-Z][A-Z%/_-]+(?:\s{2,}[A-Z][A-Z%/_ -]*){2,}\s*$")
HTTP_START_RE = re.compile(
    r"^(?:(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \S+ HTTP/\d|HTTP/\d(?:\.\d)? \d{3})"
)

NGINX_DIRECTIVES = frozenset(
    """
    listen server_name root index return rewrite try_files proxy_pass
    proxy_set_header proxy_read_timeout proxy_http_version proxy_buffering
    fastcgi_pass uwsgi_pass include ssl_certificate ssl_certificate_key
    ssl_protocols ssl_ciphers gzip gzip_types gzip_min_length expires
    access_log error_log add_header limit_req limit_req_zone log_format
    worker_processes worker_connections sendfile keepalive_timeout
    client_max_body_size allow deny stub_status default upstream server
    least_conn ip_hash alias autoindex charset resolver set
    """.split()
)
NGINX_BLOCK_RE = re.compile(
    r"^\s*(?:server|location|upstream|http|events|map|stream|if|limit_except)\b[^;]*\{\s*$"
)
APACHE_DIRECTIVES = frozenset(
    """
    ServerName ServerAlias DocumentRoot ErrorLog CustomLog RewriteEngine
    RewriteRule RewriteCond Require Options AllowOverride Listen ProxyPass
    ProxyPassReverse SSLEngine SSLCertificateFile SSLCertificateKeyFile
    Header LogLevel KeepAlive MaxKeepAliveRequests AuthType AuthName
    AuthUserFile Alias SetHandler AddOutputFilterByType ServerTokens
    ServerSignature StartServers MinSpareThreads MaxSpareThreads
    ThreadsPerChild MaxRequestWorkers WSGIDaemonProcess WSGIScriptAlias
    DirectoryIndex Redirect LoadModule Order Allow Deny AddType AddHandler
    """.split()
)
APACHE_SECTION_RE = re.compile(
    r"^\s*</?(?:VirtualHost|Directory|DirectoryMatch|Location|LocationMatch|"
    r"IfModule|Files|FilesMatch|Proxy|IfDefine)\b"
)
PUPPET_RESOURCE_RE = re.compile(r"^\s*[a-z][\w:]*\s*\{\s*(?:['\"$\[]|\w+::)")
PUPPET_ATTR_RE = re.compile(r"^\s*[a-z_]+\s*=>\s*\S")
PUPPET_CLASS_RE = re.compile(r"^\s*(?:class|define|node)\s+['\"]?[\w:.-]+['\"]?\s*[({]")
PUPPET_REF_RE = re.compile(r"\b[A-Z][a-z]+(?:::[A-Z][a-z]+)*\[['\"]")
MAKE_TARGET_RE = re.compile(r"^[\w.%/$()-]+(?:\s+[\w.%/$()-]+)*\s*::?(?:\s+[^=]*)?$")
MAKE_VAR_RE = re.compile(r"\$\((?:[A-Z_]+|shell |wildcard )|\$[@<^]")
HCL_BLOCK_RE = re.compile(
    r"^(?:resource|data|module|provider|variable|output|locals|terraform|job|"
    r"group|task)\b[^\n=]*\{\s*$"
)
SQL_START_RE = re.compile(
    r"^(?:select|insert|update|delete|create|alter|drop|with|grant|revoke|vacuum|"
    r"explain|begin|truncate|copy|set)\b",
    re.IGNORECASE,
)
SQL_WORDS_RE = re.compile(
    r"\b(?:FROM|WHERE|TABLE|INTO|VALUES|ORDER BY|GROUP BY|JOIN|INDEX|SET)\b",
    re.IGNORECASE,
)
POWERSHELL_RE = re.compile(
    r"\b(?:Get|Set|New|Remove|Restart|Start|Stop|Test|Install|Copy|Where|ForEach|"
    r"Select|Invoke|Import|Export|Add|Write)-[A-Z][A-Za-z]+"
)


def _nonblank(text: str) -> list[str]:
    return [line.rstrip() for line in text.split("\n") if line.strip()]


def _first_word(line: str) -> str:
    word = line.strip().split(" ", 1)[0]
    return word.removeprefix("sudo") or word


def _shell_like(line: str) -> bool:
    """Does a line read like a shell command or shell syntax?"""
    stripped = line.strip()
    word = stripped.split(" ", 1)[0].rstrip(";")
    if word in COMMANDS or word in SHELL_KEYWORDS:
        return True
    if re.match(
        r"^(?:export |local )?(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*)=", stripped
    ):
        return True  # VAR=value (systemd's CamelCase keys are not)
    if re.match(r"^(?:\./|/|~/)[\w./-]+", stripped):  # ./script, /usr/bin/x
        return True
    if stripped in ("fi", "done", "esac", ";;") or stripped.endswith(
        (" \\", "; then", "; do", ";;")
    ):
        return True
    return bool(re.match(r"^\[\[? .* \]\]?", stripped)) or stripped.startswith("$(")


class _Evidence:
    def __init__(self):
        self.score: dict[str, float] = defaultdict(float)

    def add(self, lang: str, weight: float) -> None:
        self.score[lang] += weight


def _prompts(lines: list[str], ev: _Evidence) -> None:
    user = sum(bool(PROMPT_USER_RE.match(line)) for line in lines)
    percent = sum(bool(PROMPT_PERCENT_RE.match(line)) for line in lines)
    if user or percent:
        ev.add("console", 6 + 2 * min(user + percent, 3))
        return
    # Only `# …` lines: root prompts when a command is followed by output.
    for index, line in enumerate(lines):
        match = ROOT_LINE_RE.match(line)
        if not match or match.group("word") not in COMMANDS:
            continue
        after = lines[index + 1 : index + 3]
        if after and not any(
            _shell_like(a) or a.startswith("#") or a.startswith("  ") for a in after
        ):
            ev.add("console", 7)
            return


def _shell(lines: list[str], ev: _Evidence) -> None:
    code = [line for line in lines if not line.lstrip().startswith("#")]
    if not code:
        return
    shellish = sum(_shell_like(line) for line in code)
    share = shellish / len(code)
    if share >= 0.6:
        ev.add("bash", 2 + 4 * share + min(shellish, 4) * 0.5)
    if re.search(r"\$\{?\w+\}?|\$\(", "\n".join(code)) and share >= 0.4:
        ev.add("bash", 1)


def _logs(lines: list[str], ev: _Evidence) -> None:
    logged = sum(any(r.match(line) for r in LOG_LINE_RES) for line in lines)
    if logged and logged >= len(lines) / 2:
        ev.add("text", 8 + min(logged, 4))
    elif logged >= 2:
        ev.add("text", 3)
    if lines and TABLE_HEADER_RE.match(lines[0]) and len(lines) >= 2:
        ev.add("text", 6)


def _data(text: str, lines: list[str], ev: _Evidence) -> None:
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            json.loads(stripped)
            ev.add("json", 14)
            return
        except (ValueError, RecursionError):
            pass
    sections = [
        line for line in lines if re.match(r"^\s*\[\[?[\w.\" :/-]+\]\]?\s*$", line)
    ]
    if sections and not any(
        re.match(rf"^\[(?:{SYSTEMD_SECTIONS})\]$", s.strip()) for s in sections
    ):
        try:
            tomllib.loads(text)
            ev.add("toml", 9)
        except (tomllib.TOMLDecodeError, RecursionError):
            parser = configparser.RawConfigParser(strict=False, allow_no_value=True)
            try:
                parser.read_string(text)
                ev.add("ini", 9)
            except configparser.Error:
                pass


def _yaml(text: str, lines: list[str], ev: _Evidence) -> None:
    mapping = [
        line for line in lines if re.match(r"^\s*(?:- )?[\w.\"'-]+:(?:\s|$)", line)
    ]
    listing = [line for line in lines if re.match(r"^\s*- \S", line)]
    if re.search(r"(?m)^apiVersion:", text) and re.search(r"(?m)^kind:", text):
        ev.add("yaml", 14)
    if len(mapping) + len(listing) < max(2, len(lines) * 0.6):
        return
    import yaml

    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return
    if not isinstance(data, (dict, list)):
        return
    aligned = [line for line in mapping if re.match(r"^\s*[\w.-]+:\s{3,}\S", line)]
    if len(aligned) >= len(mapping) / 2:
        ev.add("text", 5)  # `kubectl describe`-style output, values in a column
        return
    indents = {len(line) - len(line.lstrip()) for line in lines}
    nested = len(indents) > 1 or lines[0] == "---"
    ev.add("yaml", 7 if nested else 4)


def _configs(lines: list[str], ev: _Evidence) -> None:
    systemd = [
        line for line in lines if re.match(rf"^\[(?:{SYSTEMD_SECTIONS})\]$", line)
    ]
    if systemd:
        ev.add("systemd", 14)
    nginx = 0
    for line in lines:
        match = re.match(r"^\s*([a-z_]+)\s[^{};]*;\s*(?:#.*)?$", line)
        if match and match.group(1) in NGINX_DIRECTIVES:
            nginx += 1
    blocks = sum(bool(NGINX_BLOCK_RE.match(line)) for line in lines)
    if nginx >= 2 or (nginx and blocks):
        ev.add("nginx", 6 + 2 * min(nginx + blocks, 4))
    apache = sum(
        bool(APACHE_SECTION_RE.match(line))
        or line.strip().split(" ", 1)[0] in APACHE_DIRECTIVES
        for line in lines
    )
    if apache >= 2:
        ev.add("apacheconf", 6 + 2 * min(apache, 4))
    if any(line.startswith("dn: ") for line in lines):
        ldif = sum(
            bool(re.match(r"^(?:objectClass|changetype|dn|add|replace|delete): ", line))
            for line in lines
        )
        ev.add("ldif", 10 + min(ldif, 4))
    dockerfile = [
        line
        for line in lines
        if re.match(
            r"^(?:FROM|RUN|COPY|ADD|CMD|ENTRYPOINT|WORKDIR|ENV|EXPOSE|USER|LABEL|ARG|"
            r"VOLUME|HEALTHCHECK)\s",
            line,
        )
    ]
    code = [line for line in lines if not line.startswith("#")]
    if (
        code
        and re.match(r"^(?:FROM|ARG)\s", code[0])
        and any(line.startswith("FROM ") for line in code)
        and len(dockerfile) >= 2
    ):
        ev.add("dockerfile", 14)
    hcl = sum(bool(HCL_BLOCK_RE.match(line)) for line in lines)
    if hcl:
        ev.add("terraform", 8 + 2 * min(hcl, 3))


def _programs(text: str, lines: list[str], ev: _Evidence) -> None:
    """Evidence for programming languages (signatures are in `_decisive`)."""
    first = lines[0]
    if re.search(r"(?m)^@@ -\d+(?:,\d+)? \+\d+", text):
        ev.add("diff", 12)
    if HTTP_START_RE.match(first):
        ev.add("http", 10)

    python = 0
    for line in lines:
        s = line.strip()
        if re.match(r"^(?:async )?def \w+\(.*\):$", s) or re.match(
            r"^class \w+(?:\(.*\))?:$", s
        ):
            python += 2
        elif re.match(
            r"^(?:import [\w.]+(?: as \w+)?(?:, [\w.]+)*|from [\w.]+ import .+)$", s
        ):
            python += 2
        elif re.match(r"^(?:if|elif|for|while|with|try|except|else|finally)\b.*:$", s):
            python += 1
        elif re.match(r"^@\w[\w.]*(?:\(.*\))?$", s) or "__name__" in s or "self." in s:
            python += 1
        elif re.match(r"^(?:return|raise|print\(|async with|await )", s):
            python += 0.5
        elif re.match(r"^[A-Z_]+ = ", s) or re.search(r"\bf\"[^\"]*\{", s):
            python += 0.5
    if python >= 2:
        ev.add("python", 4 + min(python, 6))

    ruby = 0
    for line in lines:
        s = line.strip()
        if s == "end":
            ruby += 1.5
        elif re.search(r"\bdo(?: \|[\w, ]+\|)?$", s) or re.search(
            r"\{ \|[\w, ]+\| ", s
        ):
            ruby += 2
        elif re.match(
            r"^(?:require|gem|source|puts|attr_\w+|include|module)\s+['\":A-Z]", s
        ):
            ruby += 2
        elif re.match(r"^def \w+[?!]?(?:\(.*\))?$", s) or s.startswith("rescue"):
            ruby += 2
        elif "#{" in s or re.search(r"\.each\b|%w\[", s):
            ruby += 1
    if ruby >= 2:
        ev.add("ruby", 4 + min(ruby, 6))

    perl = 0
    for line in lines:
        s = line.strip()
        if re.match(
            r"^(?:use (?:strict|warnings|[A-Z][\w:]*)|package [\w:]+);", s
        ) or re.match(r"^use [A-Z][\w:]+", s):
            perl += 2
        if re.search(r"\bmy\s*[$@%(]", s) or re.search(
            r"\$\w+->[{\[]|@ARGV|<STDIN>|\$_\b", s
        ):
            perl += 2
        if re.search(r"=~\s*[msy]?[/{]|\bqw\(|\bsub \w+ *\{|__DATA__|\bperl -[pi]", s):
            perl += 2
        if re.search(r"\bdie\b|\bchomp\b|\bbless\b|^1;$|\bprintf? \"[^\"]*\\n\";", s):
            perl += 1
    if perl >= 2:
        ev.add("perl", 4 + min(perl, 6))

    resources = sum(bool(PUPPET_RESOURCE_RE.match(line)) for line in lines)
    attrs = sum(bool(PUPPET_ATTR_RE.match(line)) for line in lines)
    puppet_classes = sum(bool(PUPPET_CLASS_RE.match(line)) for line in lines)
    refs = len(PUPPET_REF_RE.findall(text))
    if (resources and attrs) or puppet_classes:
        ev.add("puppet", 6 + min(resources + attrs + puppet_classes + refs, 6))

    tabs = sum(line.startswith("\t") for line in lines)
    targets = sum(
        bool(MAKE_TARGET_RE.match(line)) and not line.startswith(("\t", " "))
        for line in lines
    )
    makevars = len(MAKE_VAR_RE.findall(text))
    if targets and (tabs or makevars or ".PHONY" in text):
        ev.add("make", 8 + min(tabs + makevars, 6))

    go = 0
    for line in lines:
        s = line.strip()
        if re.match(r"^package \w+$", s) or re.match(r"^func\b", s):
            go += 3
        if re.search(r"\w+ := |\berr != nil\b|\bdefer \w|\bgo func\(|<-\w|\bchan\b", s):
            go += 2
        if re.search(r"\bfmt\.\w+\(|`\w+:\"[^\"]*\"`|^import \($|^select \{$", s):
            go += 2
    if go >= 3:
        ev.add("go", 4 + min(go, 8))

    c = 0
    for line in lines:
        s = line.strip()
        if re.match(
            r"^#\s*(?:include\s*[<\"]|define\s+\w+|ifndef\s|ifdef\s|endif\b)", s
        ):
            c += 2
        if re.match(
            r"^(?:static |const |unsigned |struct |typedef |extern )*(?:int|char|void|long|"
            r"double|float|size_t|struct \w+|\w+_t)\s*\**\s*\w+\s*(?:\(|=|;|\[)",
            s,
        ):
            c += 2
        if re.search(r"\b(?:printf|fprintf|malloc|free|memset|perror|sizeof)\s*\(", s):
            c += 1
    if c >= 3:
        ev.add("c", 4 + min(c, 8))

    js = 0
    for line in lines:
        s = line.strip()
        if re.match(r"^(?:const|let|var) [\w{}, ]+ = ", s) or re.search(
            r"\bfunction\s*\w*\s*\(", s
        ):
            js += 2
        if re.search(
            r"\)\s*=>|\brequire\(['\"]|console\.log\(|\bexports\.|module\.exports", s
        ):
            js += 2
        if re.match(r"^import .* from ['\"]", s) or re.search(r"\.then\(|\bawait\b", s):
            js += 1
    if js >= 3:
        ev.add("javascript", 4 + min(js, 8))

    cmdlets = len(POWERSHELL_RE.findall(text))
    if cmdlets:
        ev.add("powershell", 6 + 2 * min(cmdlets, 4))

    sql_lines = [line for line in lines if not line.strip().startswith("--")]
    if sql_lines and SQL_START_RE.match(sql_lines[0].strip()):
        words = len(SQL_WORDS_RE.findall(text))
        if words or text.rstrip().endswith(";"):
            ev.add("sql", 8 + min(words, 4))

    if first.startswith("<") and text.rstrip().endswith(">"):
        html_tags = re.findall(
            r"<(div|p|span|a|table|tr|td|th|form|input|button|ul|li|body|head|br|img|h\d)\b",
            text,
            re.IGNORECASE,
        )
        if html_tags:
            ev.add("html", 6 + min(len(html_tags), 6))
        elif "apacheconf" not in ev.score:
            ev.add("xml", 8)


DECISIVE = 0.95  # the confidence of a signature no other language shares


def _decisive(text: str, lines: list[str]) -> str | None:
    """A language told by a signature no other language has, or None."""
    first = lines[0]
    shebang = SHEBANG_RE.match(first)
    if shebang:
        prog = shebang.group("prog")
        found = SHEBANGS.get(prog) or SHEBANGS.get(re.sub(r"[\d.]+$", "", prog))
        if found:
            return found
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            json.loads(stripped)
            return "json"
        except (ValueError, RecursionError):
            pass
    if first.startswith("<?xml"):
        return "xml"
    if re.match(r"(?i)^<!doctype html|^<html\b", first):
        return "html"
    if any(line.startswith(">>> ") for line in lines):
        return "pycon"
    if any(re.match(r"^(?:[\w.-]*=|[\w.-]+-)[#>] ", line) for line in lines):
        return "psql"
    if any(PROMPT_USER_RE.match(line) for line in lines):
        return "console"
    if re.search(r"(?m)^--- \S", text) and re.search(r"(?m)^\+\+\+ \S", text):
        return "diff"
    code = [line for line in lines if not line.startswith(("#", ";"))]
    if not code:
        return None
    if re.match(rf"^\[(?:{SYSTEMD_SECTIONS})\]$", code[0]):
        return "systemd"
    if code[0].startswith("dn: "):
        return "ldif"
    if re.search(r"(?m)^apiVersion:", text) and re.search(r"(?m)^kind:", text):
        return "yaml"
    return None


def guess(text: str) -> Guess | None:
    """The most likely language of a code block and how sure that is."""
    if len(text) > GUESS_MAX_BYTES:
        return None
    # An indented block in a list item may keep a space or two of indentation.
    text = textwrap.dedent(text)
    lines = _nonblank(text)
    if not lines:
        return None
    decisive = _decisive(text, lines)
    if decisive:
        return Guess(decisive, DECISIVE)
    ev = _Evidence()
    _configs(lines, ev)  # before _programs: Apache sections are not XML
    _programs(text, lines, ev)
    _prompts(lines, ev)
    _logs(lines, ev)
    _data(text, lines, ev)
    _yaml(text, lines, ev)
    _shell(lines, ev)
    if not ev.score:
        return None
    ranked = sorted(ev.score.items(), key=lambda item: -item[1])
    lang, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    # The winner's share against the runner-up, damped for thin evidence.
    return Guess(lang, round(best / (best + runner_up + 2.0), 3))


def hint(text: str) -> str | None:
    """The language to suggest for an untagged block, only when reliable."""
    found = guess(text)
    return found.lang if found is not None and found.hint else None
