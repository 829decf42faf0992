"""The GitHub workflows pass actionlint and say what the pipeline promises;
the pre-commit configuration is valid; today's URL is found for the check
after a deploy."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from conftest import ROOT
from test_new import invoke

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name):
    # YAML 1.1 reads the key `on` as True.
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))
    return data


def tool(name):
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else shutil.which(name)


def test_workflows_pass_actionlint():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    result = subprocess.run(
        [tool("actionlint"), *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_run_read_only_without_secrets():
    lines = (WORKFLOWS / "pull-request.yml").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    data = load("pull-request.yml")
    assert list(data["on"]) == ["pull_request"]
    assert "pull_request_target" not in text
    assert "secrets." not in text
    assert data["permissions"] == {"contents": "read"}
    steps = data["jobs"]["check"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert 'invoke check --changed-since "origin/$BASE_REF"' in runs
    assert "invoke preview" in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps)


def test_publish_runs_at_midnight_new_york_on_days_1_to_25():
    data = load("publish.yml")
    (cron,) = [entry["cron"] for entry in data["on"]["schedule"]]
    assert cron == "0 5 1-25 12 *"
    minute, hour, days, month, _ = cron.split()
    first, last = map(int, days.split("-"))
    for day in (first, last):
        utc = dt.datetime(2024, int(month), day, int(hour), int(minute), tzinfo=dt.UTC)
        local = utc.astimezone(ZoneInfo("America/New_York"))
        assert (local.day, local.hour, local.minute) == (day, 0, 0)
    assert data["on"]["push"] == {"branches": ["main"]}


def test_publish_builds_checks_deploys_then_verifies():
    data = load("publish.yml")
    jobs = data["jobs"]
    build_runs = " ".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "invoke publish --target _site" in build_runs
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert jobs["verify"]["needs"] == "deploy"
    verify = " ".join(s.get("run", "") for s in jobs["verify"]["steps"])
    assert "invoke today-url" in verify and "curl --fail" in verify
    assert "exit 1" in verify


def test_publish_restores_the_build_caches_before_it_builds():
    steps = load("publish.yml")["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    cache = next(i for i, u in enumerate(uses) if u.startswith("actions/cache@"))
    build = next(i for i, s in enumerate(steps) if "invoke publish" in s.get("run", ""))
    assert cache < build
    assert steps[cache]["with"]["path"] == "cache"  # CACHE_PATH of pelicanconf


def test_pre_commit_config_is_valid():
    result = subprocess.run(
        [tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_today_url_names_the_article_of_the_day(site):
    args = ["today-url", "--content", str(site.content), "--site-url", "https://x.test"]
    result = invoke(*args, "--today", "2017-12-15")
    assert result.stdout.strip() == (
        "https://x.test/2017/12/day-15-a-devops-christmas-carol.html"
    )
    assert invoke(*args, "--today", "2017-12-16").stdout.strip() == ""
