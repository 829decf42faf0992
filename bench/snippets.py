"""Code blocks for the synthetic corpus: valid samples in every language
the codecheck plugin checks.

Each generator takes a `random.Random` and returns `(language tag, code)`.
Only identifiers, numbers and quoted strings vary, so every block stays
valid for its language (tests/test_bench_corpus.py checks the ones the
standard library can parse).
"""

from __future__ import annotations

import json
import random

SERVICES = (
    "api",
    "billing",
    "cache",
    "checkout",
    "gateway",
    "inventory",
    "mailer",
    "metrics",
    "queue",
    "search",
    "web",
    "worker",
)
NAMESPACES = ("default", "staging", "production", "platform", "observability")
ENVIRONMENTS = ("dev", "staging", "production")
DATABASES = ("app", "orders", "telemetry", "accounts")
TABLES = ("requests", "events", "deploys", "incidents", "jobs")


def _common(rng: random.Random) -> dict:
    return {
        "svc": rng.choice(SERVICES),
        "ns": rng.choice(NAMESPACES),
        "env": rng.choice(ENVIRONMENTS),
        "db": rng.choice(DATABASES),
        "table": rng.choice(TABLES),
        "port": rng.randrange(3000, 9999),
        "n": rng.randrange(2, 9),
        "mem": rng.choice((128, 256, 512, 1024)),
        "version": f"{rng.randrange(1, 4)}.{rng.randrange(0, 20)}.{rng.randrange(0, 9)}",
        "days": rng.randrange(2, 30),
    }


def bash(rng):
    v = _common(rng)
    if rng.random() < 0.5:
        code = f"""\
#!/usr/bin/env bash
set -euo pipefail

# Restart {v["svc"]} one host at a time and wait until it answers again.
for host in {v["svc"]}1 {v["svc"]}2 {v["svc"]}3; do
  ssh "deploy@${{host}}.example.com" "sudo systemctl restart {v["svc"]}"
  until curl -fsS "https://${{host}}.example.com:{v["port"]}/healthz" >/dev/null; do
    sleep 2
  done
  echo "${{host}} is healthy"
done
"""
    else:
        code = f"""\
#!/usr/bin/env bash
set -euo pipefail

backup_dir="/var/backups/{v["db"]}"
mkdir -p "$backup_dir"
pg_dump --format=custom "{v["db"]}" > "$backup_dir/{v["db"]}-$(date +%F).dump"
find "$backup_dir" -name '*.dump' -mtime +{v["days"]} -delete
cat <<EOF
Backup of {v["db"]} written to $backup_dir
EOF
"""
    return "bash", code


def console(rng):
    v = _common(rng)
    code = f"""\
$ kubectl get pods -n {v["ns"]} -l app={v["svc"]}
NAME                          READY   STATUS    RESTARTS   AGE
{v["svc"]}-7d9c8b6f4-x2x9z        1/1     Running   0          {v["days"]}d
$ kubectl logs deploy/{v["svc"]} -n {v["ns"]} --tail=20 \\
    --timestamps
2017-12-01T10:00:00Z listening on :{v["port"]}
"""
    return "console", code


def python(rng):
    v = _common(rng)
    code = f'''\
import json
import urllib.request

TIMEOUT = {v["n"]}


def fetch_status(url: str) -> dict:
    """Return the decoded JSON status of a service."""
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return json.load(response)


def unhealthy(statuses: list[dict]) -> list[str]:
    return [s["name"] for s in statuses if not s.get("healthy", False)]


if __name__ == "__main__":
    status = fetch_status("https://{v["svc"]}.example.com/status")
    print(unhealthy([status]))
'''
    return "python", code


def yaml_manifest(rng):
    v = _common(rng)
    code = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {v["svc"]}
  namespace: {v["ns"]}
  labels:
    app: {v["svc"]}
spec:
  replicas: {v["n"]}
  selector:
    matchLabels:
      app: {v["svc"]}
  template:
    metadata:
      labels:
        app: {v["svc"]}
    spec:
      containers:
        - name: {v["svc"]}
          image: registry.example.com/{v["svc"]}:{v["version"]}
          ports:
            - containerPort: {v["port"]}
          resources:
            limits:
              memory: "{v["mem"]}Mi"
              cpu: "500m"
---
apiVersion: v1
kind: Service
metadata:
  name: {v["svc"]}
  namespace: {v["ns"]}
spec:
  selector:
    app: {v["svc"]}
  ports:
    - port: 80
      targetPort: {v["port"]}
"""
    return "yaml", code


def yaml_playbook(rng):
    v = _common(rng)
    code = f"""\
- name: Deploy {v["svc"]}
  hosts: {v["svc"]}_servers
  become: true
  vars:
    {v["svc"]}_port: {v["port"]}
  tasks:
    - name: Install the package
      ansible.builtin.apt:
        name: {v["svc"]}
        state: present
    - name: Start the service
      ansible.builtin.service:
        name: {v["svc"]}
        state: started
        enabled: true
"""
    return "yaml", code


def json_block(rng):
    v = _common(rng)
    data = {
        "service": v["svc"],
        "environment": v["env"],
        "port": v["port"],
        "replicas": v["n"],
        "healthcheck": {"path": "/healthz", "interval_seconds": 10},
        "tags": [v["env"], v["svc"]],
    }
    return "json", json.dumps(data, indent=2) + "\n"


def toml_block(rng):
    v = _common(rng)
    code = f"""\
[server]
name = "{v["svc"]}"
port = {v["port"]}
workers = {v["n"]}

[database]
url = "postgres://{v["svc"]}@db.example.com/{v["db"]}"
pool_size = {v["n"] * 2}

[logging]
level = "info"
targets = ["stdout", "syslog"]
"""
    return "toml", code


def ini_block(rng):
    v = _common(rng)
    code = f"""\
[Unit]
Description={v["svc"]} service
After=network-online.target

[Service]
ExecStart=/usr/local/bin/{v["svc"]} --port {v["port"]}
Restart=on-failure
User={v["svc"]}
MemoryMax={v["mem"]}M

[Install]
WantedBy=multi-user.target
"""
    return "ini", code


def sql_block(rng):
    v = _common(rng)
    code = f"""\
SELECT host, count(*) AS errors
FROM {v["table"]}
WHERE created_at > now() - interval '{v["days"]} days'
  AND status >= 500
GROUP BY host
ORDER BY errors DESC
LIMIT {v["n"] * 5};
"""
    return "sql", code


def psql_block(rng):
    v = _common(rng)
    code = f"""\
{v["db"]}=# SELECT pid, state FROM pg_stat_activity WHERE state <> 'idle';
 pid  | state
------+--------
 {v["port"]} | active
(1 row)

"""
    return "psql", code


def dockerfile(rng):
    v = _common(rng)
    code = f"""\
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE {v["port"]}
USER nobody
CMD ["python", "-m", "{v["svc"]}"]
"""
    return "dockerfile", code


def nginx(rng):
    v = _common(rng)
    code = f"""\
upstream {v["svc"]}_backend {{
    server 10.0.0.11:{v["port"]};
    server 10.0.0.12:{v["port"]};
}}

server {{
    listen 80;
    server_name {v["svc"]}.example.com;

    location / {{
        proxy_pass http://{v["svc"]}_backend;
        proxy_set_header Host $host;
    }}
}}
"""
    return "nginx", code


def hcl(rng):
    v = _common(rng)
    code = f"""\
resource "aws_instance" "{v["svc"]}" {{
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  count         = {v["n"]}

  tags = {{
    Name        = "{v["svc"]}"
    Environment = "{v["env"]}"
  }}
}}
"""
    return "hcl", code


GENERATORS = (
    bash,
    console,
    python,
    yaml_manifest,
    yaml_playbook,
    json_block,
    toml_block,
    ini_block,
    sql_block,
    psql_block,
    dockerfile,
    nginx,
    hcl,
)
