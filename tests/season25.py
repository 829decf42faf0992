"""A full fixture season: 25 articles for December 2016 and three people with
bios and pictures, written into a content folder (next to the real 2017
articles) for the tests that must see every page type and every kind of
content: long and short articles, tables of contents, code blocks with long
lines, tables, quotes, lists, an image, co-authors, standfirsts that repeat
the opening and ones that do not.

The same call always writes the same bytes.
"""

from __future__ import annotations

import uuid
from pathlib import Path

YEAR = 2016
GUIDS = uuid.UUID("5c3a9b8e-3f0e-4a53-9a47-2016f1a2b3c4")

PEOPLE = {
    "rowan-quill": (
        "Rowan Quill",
        "rquill",
        "Runs the storage team at a mid-sized hosting company and writes about "
        "backups nobody has restored yet.",
        (30, 90, 160),
    ),
    "sam-okafor": (
        "Sam Okafor",
        "samokafor",
        "On-call since before pagers had screens; now builds paging policies "
        "that let people sleep.",
        (160, 60, 30),
    ),
    "lee-marsh": (
        "Lee Marsh",
        "",
        "Network engineer who prefers packet captures to dashboards.",
        (40, 120, 70),
    ),
}
# Existing registry keys used as authors and editors too.
OTHERS = ("eric-sigler", "kathryn-exline", "will-gallego", "damien-pacaud")
EDITORS = ("michelle-carroll", "corey-quinn", "baron-schwartz", "j-paul-reed")

TOPICS = (
    ("Backups you can restore", "backups"),
    ("Paging policies that let people sleep", "on-call"),
    ("Reading packet captures without fear", "networking"),
    ("A year of configuration management", "automation"),
    ("Certificates that renew themselves", "tls"),
    ("Log pipelines on a budget", "logging"),
    ("Capacity planning with a spreadsheet", "capacity"),
    ("Runbooks people actually read", "documentation"),
    ("Incident reviews without blame", "incidents"),
    ("DNS is always the answer", "dns"),
    ("Feature flags for operators", "deployment"),
    ("Secrets out of the repository", "security"),
    ("Service level objectives in practice", "sre"),
    ("Tracing a slow request end to end", "tracing"),
    ("Chaos experiments on a Tuesday", "chaos"),
    ("Kernel parameters worth knowing", "linux"),
    ("Databases and the art of the failover", "databases"),
    ("Queues that do not lose messages", "queues"),
    ("Caching without stale surprises", "caching"),
    ("Migrating cron jobs to timers", "systemd"),
    ("Containers for the skeptical", "containers"),
    ("Load balancers and the health check trap", "networking"),
    ("Cost reports an engineer can read", "cost"),
    ("Hiring for operations", "culture"),
    ("What we learned this season", "culture"),
)

OPENINGS = (
    "Every team says it has backups, and most teams are right until the day "
    "they need to restore one.",
    "A pager that goes off for everything teaches people to ignore it, which "
    "is worse than no pager at all.",
    "Packet captures look frightening until you learn the three filters that "
    "answer most questions.",
    "Configuration management starts as a script and ends as a platform, and "
    "the middle is where the lessons are.",
    "Expired certificates still take down large sites, years after automatic "
    "renewal became free.",
)

SENTENCES = (
    "We measured before we changed anything, and the numbers surprised us.",
    "The first attempt worked in staging and failed in production within an hour.",
    "Nobody owned the old system, so nobody noticed when it stopped doing its job.",
    "A checklist turned a two-hour procedure into a fifteen-minute one.",
    "The fix was small; finding where to make it took three days.",
    "Writing the runbook first showed us which steps we did not understand.",
    "Alerts now page a person only when a person can do something about it.",
    "The dashboards stayed, but we stopped looking at them during incidents.",
)

CODE = (
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\n\n"
        'backup_dir="/var/backups/$(date +%F)"\nmkdir -p "$backup_dir"\n'
        'pg_dump --format=custom --file="$backup_dir/app.dump" app\n'
        'rsync --archive --delete --partial --human-readable "$backup_dir/" '
        "backup-host.example.org:/srv/backups/app/ "
        "--exclude=tmp --exclude=cache --log-file=/var/log/backup-rsync.log\n",
    ),
    (
        "python",
        "import json\nimport urllib.request\n\n\n"
        "def status(url: str, timeout: float = 3.0) -> dict:\n"
        '    """Return the decoded JSON health status of a service."""\n'
        "    with urllib.request.urlopen(url, timeout=timeout) as response:\n"
        "        return json.load(response)\n",
    ),
    (
        "yaml",
        "groups:\n  - name: paging\n    rules:\n      - alert: DiskAlmostFull\n"
        "        expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.05\n"
        "        for: 15m\n        labels:\n          severity: page\n"
        "        annotations:\n"
        '          summary: "Less than 5% of the disk is free on {{ $labels.instance }}'
        ' and it will be full before anyone wakes up"\n',
    ),
    (
        "json",
        '{\n  "service": "checkout",\n  "slo": {"availability": 99.9, '
        '"latency_ms_p99": 300},\n  "owners": ["payments-oncall@example.org"]\n}\n',
    ),
    (
        "console",
        "$ dig +short example.org A\n93.184.216.34\n"
        "$ openssl s_client -connect example.org:443 -servername example.org "
        "</dev/null 2>/dev/null | openssl x509 -noout -enddate\n"
        "notAfter=Mar  1 23:59:59 2017 GMT\n",
    ),
)

SECTION_TITLES = (
    "Where we started",
    "Measuring before changing",
    "The first attempt",
    "What broke, and why",
    "The version that stuck",
    "Costs and trade-offs",
    "What we would do again",
)


def _picture(path: Path, colour) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((64, 40, 192, 168), fill=(240, 220, 200))
    draw.rectangle((48, 176, 208, 256), fill=(240, 220, 200))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")


def _people(content: Path) -> None:
    lines = ["", "# The fixture season's people (tests/season25.py)."]
    for key, (name, handle, bio, colour) in PEOPLE.items():
        picture = f"people/{key}.png"
        _picture(content / picture, colour)
        lines += [
            "",
            f"[{key}]",
            f'name = "{name}"',
            *([f'handle = "{handle}"'] if handle else []),
            f'bio = "{bio}"',
            f'picture = "{picture}"',
            f'links = ["https://example.org/{key}/"]',
        ]
    registry = content / "people.toml"
    registry.write_text(
        registry.read_text(encoding="utf-8") + "\n".join(lines) + "\n",
        encoding="utf-8",
    )


def _body(day: int, slugs: dict[int, str]) -> str:
    opening = OPENINGS[day % len(OPENINGS)]
    parts = [opening + " " + SENTENCES[day % len(SENTENCES)], ""]
    sections = 1 + day % 6  # 1 to 6 sections: some articles get a contents list
    for number in range(sections):
        title = SECTION_TITLES[(day + number) % len(SECTION_TITLES)]
        if number == 1 and day % 3 == 0:
            title += ": a much longer heading that has to wrap in the table of contents"
        parts += [f"## {title}", ""]
        parts += [
            " ".join(SENTENCES[(day + number + k) % len(SENTENCES)] for k in range(3)),
            "",
        ]
        language, code = CODE[(day + number) % len(CODE)]
        parts += [f"```{language}", code.rstrip("\n"), "```", ""]
        if number == 0 and day > 1:
            parts += [
                f"Yesterday's article, [{TOPICS[day - 2][0]}]({{filename}}"
                f"{slugs[day - 1]}.md), set this up; the "
                "[upstream documentation](https://example.org/docs/) has the rest.",
                "",
            ]
        if number == 1:
            parts += ["### A closer look", "", SENTENCES[number], ""]
            parts += ["- Measure first.", "- Change one thing.", "- Write it down.", ""]
        if number == 2 and day % 2 == 0:
            parts += [
                "| step | before | after |",
                "|---|---:|---:|",
                "| restore test | 2 h | 15 min |",
                "| pages per week | 40 | 6 |",
                "",
            ]
        if number == 2 and day % 2 == 1:
            parts += [f"> {SENTENCES[(day + 5) % len(SENTENCES)]}", ""]
    if day == 3:
        parts += [
            "![A restore test finishing in fifteen minutes]"
            "({attach}images/restore-test.png)",
            "",
        ]
    parts += ["1. Try it on one host.", "2. Then on ten.", "3. Then everywhere.", ""]
    parts += ["Happy SysAdvent!", ""]
    return "\n".join(parts)


def write_season25(content: Path, year: int = YEAR) -> list[Path]:
    """Write the 25 articles of `year` and the fixture people into the
    content folder `content`; return the article paths."""
    content = Path(content)
    _people(content)
    folder = content / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    _picture(folder / "images" / "restore-test.png", (20, 80, 40))
    people = (*PEOPLE, *OTHERS)
    slugs = {
        day: f"{day:02d}-{TOPICS[day - 1][0].lower().replace(' ', '-')}"
        for day in range(1, 26)
    }
    paths = []
    for day in range(1, 26):
        title, tag = TOPICS[day - 1]
        authors = [people[day % len(people)]]
        if day % 7 == 0:
            authors.append(people[(day + 1) % len(people)])
        body = _body(day, slugs)
        opening = body.split("\n", 1)[0]
        # Odd days copy the opening into the summary (no standfirst shown).
        summary = (
            opening
            if day % 2
            else f"How one team approached {tag} in {year}, and what it would change."
        )
        header = (
            f"Title: {title}\n"
            f"Date: {year}-12-{day:02d}T00:00:00-05:00\n"
            f"Day: {day}\n"
            f"Authors: {', '.join(authors)}\n"
            f"Editors: {EDITORS[day % len(EDITORS)]}\n"
            f"Tags: {tag}, season{year}\n"
            f"Summary: {summary}\n"
            f"Guid: {uuid.uuid5(GUIDS, str(day))}\n"
        )
        path = folder / f"{slugs[day]}.md"
        path.write_text(header + "\n" + body, encoding="utf-8")
        paths.append(path)
    return paths
