"""Feed dates to timezone-aware UTC datetimes.

Feeds write RFC 822 (RSS) or ISO 8601 / W3CDTF (Atom, Dublin Core); a date
without a zone is taken as UTC, which is what every feed reader assumes.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

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


#: The RFC 822 date nearly every RSS feed writes, "Sat, 14 Feb 2026 05:25:34 +0000".
_RFC822_USUAL = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d?) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) "
    r"(\d\d):(\d\d):(\d\d) ([+-]\d{4})",
    re.ASCII,  # int() reads other digits too, but the general parser decides those
)
_MONTH_NUMBERS = {
    m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)
}


def _rfc822_usual(match: re.Match[str]) -> datetime:
    """What email.utils.parsedate_to_datetime makes of a date ``_RFC822_USUAL``
    matched, without its general tokenising: every item has a date or two.

    :raises ValueError: the fields are out of range, as the general parser says too.
    """
    day, month, year, hour, minute, second, zone = match.groups()
    fields = (int(year), _MONTH_NUMBERS[month], int(day), int(hour), int(minute), int(second))
    return datetime(*fields, tzinfo=_zone(zone))


@lru_cache(maxsize=256)
def _zone(zone: str) -> timezone | None:
    """The zone "+hhmm" names, as email.utils computes it (a feed uses one or two)."""
    offset = int(zone)
    if offset == 0 and zone[0] == "-":  # "-0000": UTC, but no zone is claimed
        return None
    hours, minutes = divmod(abs(offset), 100)
    return timezone(timedelta(seconds=(-1 if offset < 0 else 1) * (hours * 3600 + minutes * 60)))


def _rfc822(text: str) -> datetime | None:
    if not text[:1].isalpha() and not text[:2].strip().isdigit():
        return None
    if (usual := _RFC822_USUAL.fullmatch(text)) is not None:
        try:
            return _rfc822_usual(usual)
        except ValueError:
            pass  # the general parser has the last word
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
