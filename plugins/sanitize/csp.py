"""The Content-Security-Policy the site works under, and a `_headers` file
for static hosts that read one (Netlify, Cloudflare Pages).

The policy is the second line of defence behind the sanitizer: even if some
markup slipped through, no inline script, no script from another host and
no plugin content would run. The theme has no inline script or style (the
JSON-LD block is data, never executed); Pagefind's search needs
'wasm-unsafe-eval' to start its WebAssembly, nothing more.
"""

from __future__ import annotations

from .html import iframe_hosts


def content_security_policy(settings=None) -> str:
    """The policy for every page of the site; embeds only from the iframe
    hosts the content rules and the sanitizer allow (https)."""
    frames = " ".join(f"https://{host}" for host in iframe_hosts(settings))
    directives = [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self'",
        f"frame-src {frames}" if frames else "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


def security_headers(settings=None) -> dict[str, str]:
    """Every response header the site suggests, by name."""
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


def headers_file(settings=None) -> str:
    """The `_headers` file: the headers above for every path of the site."""
    lines = ["/*"]
    lines += [
        f"  {name}: {value}" for name, value in security_headers(settings).items()
    ]
    return "\n".join(lines) + "\n"


def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    """The (path pattern, headers) rules of a `_headers` file, in order
    (indented `Name: value` lines belong to the pattern above them)."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1][name.strip()] = value.strip()
    return rules
