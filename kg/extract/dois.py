"""DOIs: finding them in text, normalising them, checking their syntax.

A DOI is ``10.<registrant>/<suffix>``; it is case-insensitive, so identity
uses the lower-case form while the record keeps the case as written.  See
https://www.doi.org/the-identifier/resources/handbook/2_numbering
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

#: Syntax check applied to a normalised DOI (also the SHACL pattern).
DOI_PATTERN = r"^10\.[0-9]{4,9}(\.[0-9]+)*/[^\s]+$"
_DOI_RE = re.compile(DOI_PATTERN)
_PREFIX = re.compile(
    r"^(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|info:doi/|doi\s*:\s*|doi\s+)",
    re.IGNORECASE,
)
#: A DOI inside running text or HTML: stops at whitespace, quotes and tags.  It
#: must not follow a word character (``\b``), which :func:`_find_dois` checks
#: itself: a pattern that starts with a literal is searched for much faster.
_IN_TEXT = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/[^\s\"'<>]+")
_TRAILING = ".,;:!?'\"”’*"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}


@lru_cache(maxsize=4096)
def normalize_doi(raw: str | None) -> str | None:
    """The DOI in ``raw`` without prefix or trailing punctuation, or None if invalid.

    >>> normalize_doi("https://doi.org/10.1038/s41398-025-03626-7.")
    '10.1038/s41398-025-03626-7'
    >>> normalize_doi("doi: 10.3390/ijms26010001")
    '10.3390/ijms26010001'
    >>> normalize_doi("banana") is None
    True
    """
    if not raw:
        return None
    text = raw.strip()
    if "%" in text and text.lower().startswith(("http", "info:")):
        text = unquote(text)
    previous = None if not text.startswith("10.") else text  # no prefix to remove
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text).strip()
    text = strip_trailing(text)
    return text if _DOI_RE.match(text) else None


def strip_trailing(text: str) -> str:
    """Drop punctuation that ends a sentence, and closing brackets with no opener."""
    while text:
        last = text[-1]
        if last in _TRAILING or (last in _PAIRS and text.count(_PAIRS[last]) < text.count(last)):
            text = text[:-1]
        else:
            break
    return text


def find_dois(text: str) -> list[str]:
    """Every distinct DOI mentioned in ``text``, in order of first mention."""
    return list(_find_dois(text))


@lru_cache(maxsize=256)
def _find_dois(text: str) -> tuple[str, ...]:
    """:func:`find_dois`, remembered for a while: a footer's citation is searched
    when the citation is parsed and again when the DOI field is checked against it."""
    seen: dict[str, str] = {}
    pos = 0
    while (match := _IN_TEXT.search(text, pos)) is not None:
        at = match.start()
        if at and (text[at - 1].isalnum() or text[at - 1] == "_"):  # no \b: try further on
            pos = at + 1
            continue
        pos = match.end()
        doi = normalize_doi(match.group(0))
        if doi and doi.lower() not in seen:
            seen[doi.lower()] = doi
    return tuple(seen.values())


def is_doi(text: str) -> bool:
    return bool(_DOI_RE.match(text))
