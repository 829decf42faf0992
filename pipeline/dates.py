"""The day a command runs "as of"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def parse_today(today, settings_file) -> dt.date:
    """`--today` as a date, else today in the site's time zone (ValueError if bad)."""
    if today:
        try:
            return dt.date.fromisoformat(today)
        except ValueError:
            raise ValueError(f"--today must be YYYY-MM-DD, not {today!r}") from None
    from pelican.settings import get_settings_from_file

    zone = get_settings_from_file(str(settings_file)).get("TIMEZONE", "UTC")
    return dt.datetime.now(ZoneInfo(zone)).date()
