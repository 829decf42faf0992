"""Production settings: absolute URLs on the public site."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SYSADVENT_SITEURL", "https://sysadvent.example.org")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
# Pelican's own content cache is off (pelicanconf: CACHE_CONTENT); the
# build's caches are keyed by content. Pelican still stamps every source
# twice a build, so the stamp stays its cheap default ("mtime", a stat), not
# a hash that reads every file again.
# A broken code block fails the production build.
CODECHECK_FAIL_ON_ERROR = True
# Broken internal links, images or anchors fail the production build.
LINKCHECK_INTERNAL_ON_BUILD = True
# Optional WebSub hub: feeds link to it and `invoke websub-ping` pings it.
FEEDS_WEBSUB_HUB = os.environ.get("SYSADVENT_WEBSUB_HUB") or None
