"""People's names: bylines on stories and author lists in references.

Bylines are free text ("Jane Doe and John Roe"); reference authors follow the
citation styles journals print ("Qian, R., Huang, W., Ji, Y. et al.").  Both
keep Unicode as written ("Murgaš", "Stöhrmann") and keep order.
"""

from __future__ import annotations

import re

from kg.types import Byline, BylineKind, PersonName

_HONORIFIC = re.compile(r"^(?:(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame)\.?\s+)+", re.IGNORECASE)
_BY = re.compile(r"^by\s+", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b)\s*", re.IGNORECASE)
_INITIAL_TOKEN = re.compile(r"^(?:[^\W\d_][^\W\d_]?\.|[^\W\d_])$")
_ORG_WORDS = re.compile(
    r"\b(?:news|staff|team|desk|editors?|editorial|press|media|office|inc|ltd|llc|gmbh|"
    r"university|institute|society|association|magazine|journal|wire|agency|"
    r"newsroom|admin|administrator|contributors?|reporters?)\b",
    re.IGNORECASE,
)


def split_bylines(creators: tuple[str, ...] | list[str]) -> tuple[Byline, ...]:
    """Every person or organisation named in the item's creator fields, in order.

    >>> [b.name for b in split_bylines(["Jane Doe and John Roe", "Ann Lee"])]
    ['Jane Doe', 'John Roe', 'Ann Lee']
    >>> split_bylines(["SCIENMAG"])[0].kind.value
    'Organization'
    """
    names: list[str] = []
    for creator in creators:
        text = _BY.sub("", " ".join(creator.split()))
        parts = [p for p in _BYLINE_SPLIT.split(text) if p]
        # "Doe, J." is one inverted name, not two bylines.
        if len(parts) == 2 and "," in text and _is_initials(parts[1]):
            parts = [f"{parts[1]} {parts[0]}"]
        for part in parts:
            name = _HONORIFIC.sub("", part).strip(" .")
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return tuple(Byline(name=n, kind=byline_kind(n)) for n in names)


def _is_initials(text: str) -> bool:
    """ "J.", "J. P.", "J.-P." or "JP": what follows the comma in "Doe, J."."""
    tokens = [t for t in re.split(r"[\s\-]+|(?<=\.)", text) if t]
    return (bool(tokens) and all(_INITIAL_TOKEN.match(t) and t[0].isupper() for t in tokens)) or (
        text.isupper() and text.isalpha() and len(text) <= 3
    )


def byline_kind(name: str) -> BylineKind:
    """A byline is an organisation when it reads like one (a one-word all-caps
    brand such as "SCIENMAG", or a newsroom word such as "Staff" or "Press")."""
    words = name.split()
    if _ORG_WORDS.search(name):
        return BylineKind.ORGANIZATION
    if len(words) == 1 and name.isupper() and len(name) > 3:
        return BylineKind.ORGANIZATION
    if len(words) == 1 and "." in name:  # a domain name: "example.com"
        return BylineKind.ORGANIZATION
    return BylineKind.PERSON


_PARTICLES = (
    r"(?:(?:van|von|der|den|de|del|della|da|di|du|le|la|dos|das|ter|ten|zu|bin|al|el|mac|st\.?)"
    r"\s+)*"
)
_WORD = r"[^\W\d_][\w'’\-]*"
_FAMILY = rf"{_PARTICLES}{_WORD}(?:\s{_WORD})?"
_INITIALS = r"(?:[^\W\d_][^\W\d_]?\.(?:\s*-\s*|\s*)?)+"
_AUTHOR = re.compile(rf"\s*(?P<family>{_FAMILY}),\s*(?P<given>{_INITIALS})")
_SEPARATOR = re.compile(r"\s*(?:,\s*(?:&|and)?|&|\band\b)\s*")
_ET_AL = re.compile(r"\s*,?\s*et\s+al\b\.?", re.IGNORECASE)


def parse_reference_authors(text: str) -> tuple[tuple[PersonName, ...], bool, int]:
    """Authors at the start of a citation ("Family, I., Family, I. et al.").

    Returns the authors in order, whether the list was cut with "et al.", and
    where the author list ends in ``text`` (the title follows).

    >>> authors, cut, end = parse_reference_authors("Murgaš, M., Milz, C. et al. In vivo")
    >>> [a.family for a in authors], cut, "Murgaš, M., Milz, C. et al. In vivo"[end:]
    (['Murgaš', 'Milz'], True, ' In vivo')
    """
    authors: list[PersonName] = []
    pos = 0
    while True:
        match = _AUTHOR.match(text, pos)
        if not match:
            break
        given = " ".join(match.group("given").split()).replace(". -", ".-").replace("- ", "-")
        authors.append(PersonName(family=match.group("family").strip(), given=given.strip()))
        pos = match.end()
        et_al = _ET_AL.match(text, pos)
        if et_al:
            return tuple(authors), True, et_al.end()
        sep = _SEPARATOR.match(text, pos)
        if not sep or not _AUTHOR.match(text, sep.end()):
            break
        pos = sep.end()
    return tuple(authors), False, pos
