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
