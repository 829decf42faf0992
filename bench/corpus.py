"""A deterministic synthetic SysAdvent corpus for the benchmarks.

`generate(folder, articles=475, seed=2008)` writes a Pelican content folder:
N articles over seasons of 25 days from 2008 (`<year>/<DD>-<slug>.md`, the
project's header format), about 1,500 words each with several valid code
blocks across languages, internal links in Pelican's `{filename}` syntax
(some to a heading anchor), external links to example.com/.org/.net only,
tags, a people registry (`people.toml`) of about N/3 people, and an About
page. The same seed and size always give byte-identical files.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import snippets

FIRST_YEAR = 2008
DAYS_PER_SEASON = 25
# Prose words the body aims at; paragraphs overshoot it by ~150 words.
WORDS_PER_ARTICLE = 1400
BLOCKS_PER_ARTICLE = (4, 7)

FIRST_NAMES = (
    "Ada Alan Alice Amir Ana Arjun Beatriz Ben Carla Chen Chloe Dana Daniel "
    "David Elena Emeka Emily Eric Fatima Felix Grace Hana Hugo Ines Ivan Jamal "
    "Jana Javier John Julia Karim Kate Kenji Lara Leo Lina Lucas Maya Mei "
    "Michelle Miguel Nadia Nina Noah Olga Omar Pablo Priya Rafael Rosa Sam "
    "Sara Sofia Tariq Tom Uma Victor Wei Yuki Zoe"
).split()
LAST_NAMES = (
    "Adams Ahmed Alvarez Baker Bauer Brown Carroll Chen Costa Cruz Dubois "
    "Evans Fischer Garcia Gomez Gupta Hansen Hernandez Ito Jansen Johnson Kim "
    "Kowalski Kumar Larsen Lee Lopez Martin Meyer Miller Moreau Murphy Nakamura "
    "Nguyen Novak Okafor Olsen Park Patel Perez Petrov Quinn Rossi Santos "
    "Schmidt Silva Singh Smith Suzuki Tanaka Taylor Thomas Walker Wang Weber "
    "Wilson Wong Yamamoto Young Zhang"
).split()

TOPICS = (
    "Kubernetes",
    "PostgreSQL",
    "Terraform",
    "Ansible",
    "Prometheus",
    "nginx",
    "systemd",
    "Docker",
    "on-call",
    "incident reviews",
    "backups",
    "DNS",
    "TLS certificates",
    "log pipelines",
    "capacity planning",
    "feature flags",
    "load balancers",
    "service meshes",
    "chaos experiments",
    "config management",
    "secrets",
    "CI pipelines",
    "runbooks",
    "SLOs",
    "tracing",
)
TITLE_PATTERNS = (
    "{adj} {topic} for small teams",
    "What {topic} taught us about {other}",
    "A year of {topic} in production",
    "{adj} {topic}: lessons from the pager",
    "From {other} to {topic}",
    "Taming {topic} with {other}",
    "Ten things about {topic} nobody tells you",
    "{topic} without tears",
    "The {adj} guide to {topic}",
    "Debugging {topic} at three in the morning",
)
ADJECTIVES = (
    "Boring",
    "Practical",
    "Reliable",
    "Gentle",
    "Honest",
    "Pragmatic",
    "Quiet",
    "Sustainable",
    "Observable",
    "Humane",
)
HEADINGS = (
    "Why this matters",
    "The setup",
    "What went wrong",
    "Measuring first",
    "A first attempt",
    "Rolling out the change",
    "Automating the boring parts",
    "Testing in production",
    "Failure modes",
    "What we monitor",
    "Cleaning up",
    "Lessons learned",
    "Costs and trade-offs",
    "Security notes",
    "Going further",
    "Talking to people",
)
TAGS = (
    "kubernetes postgresql terraform ansible prometheus nginx systemd docker "
    "oncall incidents backups dns tls logging capacity monitoring alerting "
    "security automation ci cd culture networking storage linux python bash "
    "yaml cloud aws gcp azure databases performance tracing observability "
    "sre devops testing chaos configuration secrets scaling migration "
    "containers virtualization hiring documentation postmortems cost "
    "compliance reliability queues caching cdn email git"
).split()
WORDS = (
    "the a an and or but of to in on for with without across between after "
    "before during while when because so then also only still again every each "
    "team service server cluster node pod container image deploy release "
    "rollback pipeline job queue worker database replica primary index query "
    "cache request response latency throughput error budget alert page pager "
    "incident outage review runbook dashboard metric log trace span sample "
    "config file secret key certificate domain record network packet route "
    "firewall port socket process thread memory disk volume backup restore "
    "snapshot schedule cron timer script tool command shell host fleet region "
    "zone provider account cost capacity load balancer proxy upstream "
    "we you they it this that these those our your their "
    "run runs ran check checks checked watch watches build builds built "
    "ship ships shipped break breaks broke fix fixes fixed measure measures "
    "learn learns learned keep keeps kept move moves moved wait waits waited "
    "start starts started stop stops stopped scale scales scaled automate "
    "simple small careful slow fast quiet noisy stale fresh healthy broken "
    "reliable boring clear useful painful safe risky cheap expensive "
    "usually often rarely never always quickly slowly carefully finally"
).split()


@dataclass
class Person:
    key: str
    name: str = ""
    handle: str = ""


@dataclass
class Article:
    index: int
    year: int
    day: int
    title: str
    slug: str
    headings: list[str] = field(default_factory=list)

    @property
    def relpath(self) -> str:
        return f"{self.year}/{self.day:02d}-{self.slug}.md"


def slugify(text: str) -> str:
    """Lowercase words joined by '-' (what Pelican and Markdown's toc produce)."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


def make_people(rng: random.Random, count: int) -> list[Person]:
    """`count` distinct people; a few have only a name or only a handle."""
    people, keys = [], set()
    combos = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(combos)
    for first, last in combos[:count]:
        key = slugify(f"{first} {last}")
        if key in keys:
            continue
        keys.add(key)
        roll = rng.random()
        name = "" if roll < 0.08 else f"{first} {last}"
        handle = "" if 0.08 <= roll < 0.2 else f"{first.lower()}{last.lower()[:3]}"
        people.append(Person(key, name, handle))
    return people


def people_toml(people: list[Person]) -> str:
    """The registry in the project's format (content/people.toml)."""
    out = ["# Synthetic people registry for the benchmark corpus.\n"]
    for person in sorted(people, key=lambda p: p.key):
        out.append(f"\n[{person.key}]\n")
        if person.name:
            out.append(f'name = "{person.name}"\n')
        if person.handle:
            out.append(f'handle = "{person.handle}"\n')
    return "".join(out)


def plan_articles(rng: random.Random, count: int) -> list[Article]:
    """Titles, slugs, dates and headings of every article (unique titles)."""
    articles, titles = [], set()
    for index in range(count):
        while True:
            topic, other = rng.sample(TOPICS, 2)
            title = rng.choice(TITLE_PATTERNS).format(
                adj=rng.choice(ADJECTIVES), topic=topic, other=other
            )
            title = title[0].upper() + title[1:]
            if title not in titles:
                break
            # Same title in another season: real calendars do that too, but
            # the slugs must differ within a season for readable URLs.
            title = f"{title} ({FIRST_YEAR + index // DAYS_PER_SEASON})"
            if title not in titles:
                break
        titles.add(title)
        articles.append(
            Article(
                index=index,
                year=FIRST_YEAR + index // DAYS_PER_SEASON,
                day=index % DAYS_PER_SEASON + 1,
                title=title,
                slug=slugify(title),
                headings=rng.sample(HEADINGS, rng.randrange(5, 8)),
            )
        )
    return articles


def sentence(rng: random.Random, length: int | None = None) -> str:
    words = rng.choices(WORDS, k=length or rng.randrange(8, 20))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


class BodyWriter:
    """Writes one article's Markdown body and counts its prose words."""

    def __init__(self, rng, article, articles, tags):
        self.rng = rng
        self.article = article
        self.articles = articles
        self.tags = tags
        self.words = 0

    def internal_link(self) -> str:
        target = self.rng.choice(self.articles)
        while target is self.article and len(self.articles) > 1:
            target = self.rng.choice(self.articles)
        anchor = ""
        if self.rng.random() < 0.3:
            anchor = "#" + slugify(self.rng.choice(target.headings))
        return f"[{target.title}]({{filename}}/{target.relpath}{anchor})"

    def external_link(self) -> str:
        host = self.rng.choice(("example.com", "example.org", "example.net"))
        path = "/".join(self.rng.choices(WORDS[40:], k=2))
        return f"[{self.rng.choice(WORDS[40:])} notes](https://{host}/{path})"

    def paragraph(self, links: int = 0) -> str:
        parts = [sentence(self.rng) for _ in range(self.rng.randrange(4, 8))]
        self.words += sum(len(p.split()) for p in parts)
        for _ in range(links):
            link = (
                self.internal_link()
                if self.rng.random() < 0.5
                else self.external_link()
            )
            at = self.rng.randrange(len(parts))
            parts[at] = parts[at][:-1] + f", as in {link}."
        if self.rng.random() < 0.3:
            at = self.rng.randrange(len(parts))
            word = self.rng.choice(WORDS[40:])
            parts[at] = parts[at][:-1] + f" with `{word}` and **{word}**."
        return " ".join(parts)

    def bullet_list(self) -> str:
        items = [sentence(self.rng, self.rng.randrange(5, 10)) for _ in range(4)]
        self.words += sum(len(i.split()) for i in items)
        return "\n".join(f"- {item}" for item in items)

    def write(self) -> str:
        rng = self.rng
        count = rng.randrange(*BLOCKS_PER_ARTICLE)
        blocks = [g(rng) for g in rng.sample(snippets.GENERATORS, count)]
        sections = self.article.headings
        out = [self.paragraph(links=1), self.paragraph(links=1)]
        for number, heading in enumerate(sections):
            out.append(f"## {heading}")
            out.append(self.paragraph(links=rng.randrange(0, 3)))
            if blocks and (number % 2 == 0 or len(blocks) > len(sections) - number):
                language, code = blocks.pop()
                out.append(f"```{language}\n{code}```")
            if number == len(sections) // 2:
                out.append(self.bullet_list())
            while self.words < WORDS_PER_ARTICLE * (number + 1) / len(sections):
                out.append(self.paragraph(links=rng.randrange(0, 2)))
        for language, code in blocks:
            out.append(f"```{language}\n{code}```")
        return "\n\n".join(out) + "\n"


def article_text(rng, article, articles, people, editors) -> str:
    """The whole Markdown file of one article: header, blank line, body."""
    authors = [people[article.index % len(people)].key]
    if rng.random() < 0.15:
        second = rng.choice(people).key
        if second not in authors:
            authors.append(second)
    editor = rng.choice(editors).key
    tags = rng.sample(TAGS, rng.randrange(2, 5))
    summary = sentence(rng, rng.randrange(12, 24))
    header = (
        f"Title: {article.title}\n"
        f"Date: {article.year}-12-{article.day:02d}T00:00:00-05:00\n"
        f"Day: {article.day}\n"
        f"Authors: {', '.join(authors)}\n"
        f"Editors: {editor}\n"
        f"Tags: {', '.join(tags)}\n"
        f"Summary: {summary}\n"
        f"Slug: {article.slug}\n"
    )
    return header + "\n" + BodyWriter(rng, article, articles, tags).write()


ABOUT = """\
Title: About
Slug: about

A synthetic SysAdvent used to measure build speed. Past seasons are in the
[archive](../archive/), and everyone who wrote or edited an article has a
page under [people](../people/).
"""


def generate(folder, articles: int = 475, seed: int = 2008) -> list[Path]:
    """Write the corpus into `folder` (created); return the article paths."""
    folder = Path(folder)
    rng = random.Random(seed)
    people = make_people(rng, max(3, articles // 3))
    # Editors are a small, steady group, as on the real calendar.
    editors = people[: max(2, articles // 40)]
    authors_pool = people[len(editors) :] or people
    rng.shuffle(authors_pool)
    plan = plan_articles(rng, articles)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.toml").write_text(people_toml(people), encoding="utf-8")
    (folder / "pages").mkdir(exist_ok=True)
    (folder / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    paths = []
    for article in plan:
        path = folder / article.relpath
        path.parent.mkdir(exist_ok=True)
        text = article_text(rng, article, plan, authors_pool, editors)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def last_year(articles: int) -> int:
    """The season of the last article of a corpus of this size."""
    return FIRST_YEAR + (articles - 1) // DAYS_PER_SEASON


FENCE_RE = re.compile(r"^```(\w+)\n.*?^```$", re.MULTILINE | re.DOTALL)
INTERNAL_RE = re.compile(r"\]\(\{filename\}")
EXTERNAL_RE = re.compile(r"\]\(https://")


def describe(folder) -> dict:
    """What a generated corpus holds: counts for the benchmark report."""
    folder = Path(folder)
    articles = sorted(folder.glob("[0-9]*/*.md"))
    words = blocks = internal = external = 0
    languages: dict[str, int] = {}
    size = 0
    for path in articles:
        text = path.read_text(encoding="utf-8")
        size += len(text.encode("utf-8"))
        body = text.split("\n\n", 1)[1]
        for match in FENCE_RE.finditer(body):
            languages[match.group(1)] = languages.get(match.group(1), 0) + 1
            blocks += 1
        words += len(FENCE_RE.sub("", body).split())
        internal += len(INTERNAL_RE.findall(body))
        external += len(EXTERNAL_RE.findall(body))
    people = (folder / "people.toml").read_text(encoding="utf-8").count("\n[")
    return {
        "articles": len(articles),
        "seasons": len({p.parent.name for p in articles}),
        "people": people,
        "words_per_article": round(words / max(len(articles), 1)),
        "code_blocks": blocks,
        "languages": dict(sorted(languages.items())),
        "internal_links": internal,
        "external_links": external,
        "megabytes": round(size / 1e6, 1),
    }
