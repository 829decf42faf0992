"""Production settings: absolute URLs on the public site."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SYSADVENT_SITEURL", "https://sysadvent.example.org")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
# Content hashes, not mtimes: CI checkouts have fresh mtimes.
CHECK_MODIFIED_METHOD = "sha256"
# A broken code block fails the production build.
CODECHECK_FAIL_ON_ERROR = True
# Broken internal links, images or anchors fail the production build.
LINKCHECK_INTERNAL_ON_BUILD = True
# Optional WebSub hub: feeds link to it and `invoke websub-ping` pings it.
FEEDS_WEBSUB_HUB = os.environ.get("SYSADVENT_WEBSUB_HUB") or None
