"""Feed dates to timezone-aware UTC datetimes.

Feeds write RFC 822 (RSS) or ISO 8601 / W3CDTF (Atom, Dublin Core); a date
without a zone is taken as UTC, which is what every feed reader assumes.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_datetime(text: str | None) -> datetime | None:
    """Parse an RSS or Atom date; None when it cannot be read.

    >>> parse_datetime("Sat, 14 Feb 2026 05:25:34 +0000").isoformat()
    '2026-02-14T05:25:34+00:00'
    >>> parse_datetime("2025-10-18T07:48:56+02:00").isoformat()
    '2025-10-18T05:48:56+00:00'
    >>> parse_datetime("yesterday") is None
    True
    """
    if not text:
        return None
    text = " ".join(text.split())
    parsed = _rfc822(text) or _iso8601(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _rfc822(text: str) -> datetime | None:
    if not text[:1].isalpha() and not text[:2].strip().isdigit():
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso8601(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if "T" not in text and " " in text else text
    if candidate.endswith(("z", "Z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if value.year < 1000:
        return None
    return value


def is_date_only(text: str) -> bool:
    return bool(_ISO_DATE_ONLY.match(text.strip()))
