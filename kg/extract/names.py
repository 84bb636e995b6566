"""People's names: bylines on stories and author lists in references.

Bylines are free text ("Jane Doe and John Roe"); reference authors follow the
citation styles journals print ("Qian, R., Huang, W., Ji, Y. et al.").  Both
keep Unicode as written ("Murgaš", "Stöhrmann") and keep order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.text import inline_text
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
    return _split_bylines(tuple(creators))


@lru_cache(maxsize=4096)
def _split_bylines(creators: tuple[str, ...]) -> tuple[Byline, ...]:
    """:func:`split_bylines`, once per distinct creator list: a site's items are
    written by a few people (or one brand), and the bylines are immutable."""
    names: list[str] = []
    for creator in creators:
        # Creators are feed text like titles: "<i>Eve</i>" or a NUL byte in a
        # dc:creator reached the byline's name and IRI before they were cleaned.
        text = _BY.sub("", inline_text(creator) or "")
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
    match = _AUTHOR.match(text)
    while match:
        given = " ".join(match.group("given").split()).replace(". -", ".-").replace("- ", "-")
        authors.append(PersonName(family=match.group("family").strip(), given=given.strip()))
        pos = match.end()
        et_al = _ET_AL.match(text, pos)
        if et_al:
            return tuple(authors), True, et_al.end()
        sep = _SEPARATOR.match(text, pos)
        if sep is None:
            break
        # The next author, read once: it both shows that the separator separates
        # authors and is the author the next round takes.
        match = _AUTHOR.match(text, sep.end())
        if match:
            pos = sep.end()
    return tuple(authors), False, pos


# --- Free-text author lists ------------------------------------------------------------
#
# Journal feeds write authors every way there is: "Jane Doe and John Roe",
# "Kaur, M., Shukla, A." (family, initials pairs), Vancouver "Brandão S, Saeedi
# H, Brandt A." (family then bare initials), "Gómez-Noguera, Samuel Enrique",
# CNKI's "Guocheng SHU;Ping LIU;" (upper case marks the family), all-caps
# "ERKI ÕUNAP".  A list is read as a whole first (its separators, whether
# every name is upper case, whether upper case marks families), then name by
# name.  A group author ("The Brazil Flora Group") is kept as
# ``PersonName(family=<whole name>, given="")``: it is an author in its own
# right, and splitting it into given and family names would invent a person.

_LIST_PREFIX = re.compile(r"^\s*(?:by|authors?(?:\s*\(s\))?|creators?)\s*[:\-–]?\s+", re.I)
_LIST_ET_AL = re.compile(
    r"(?:[,;]?\s*(?:\bet\s*\.?\s*al\b\.?|\band\s+others\b\.?|\bet\s+alii\b\.?|…|\.\.\.)\s*)$",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+(?:and|&|und|et|y|e)\s+|\s*&\s*", re.IGNORECASE)
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv 2nd 3rd filho neto júnior junior sobrinho".split())
_DEGREE_WORDS = frozenset(
    (
        "phd ph.d dphil d.phil md m.d msc m.sc bsc b.sc mph mba dsc d.sc mbbs frcp frcs facs "
        "dvm d.v.m rn frs fmedsci mres mphil llb lld dds dmd pharmd pharm.d edd ed.d psyd "
        "ma m.a ba b.a ms m.s bs b.s"
    ).split()
)
#: Degrees that can also be Vancouver initials ("Smith MA"): dropped only after a comma.
_AMBIGUOUS_DEGREES = frozenset({"md", "ma", "ms", "ba", "bs", "rn"})
_PARTICLE_WORDS = frozenset(
    "van von der den de del della della da di du le la lo dos das do ter ten zu zur op "
    "bin ibn al el st st. mac y".split()
)
_GROUP_WORDS = re.compile(
    r"\b(?:consortium|group|collaboration|collaborative|network|committee|initiative|project|"
    r"team|society|association|institute|university|council|alliance|foundation|centre|"
    r"center|programme|program|investigators|trialists|working|taskforce|task\s+force|"
    r"laboratory|organi[sz]ation|working\s+party|study)\b",
    re.IGNORECASE,
)
_VOWELS = frozenset("AEIOUÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜ")
_UPPER_RUN = re.compile(r"^[^\W\d_]+$")


def parse_author_list(text: str) -> tuple[tuple[PersonName, ...], bool]:
    """The people (and group authors) a free-text author list names, in order.

    Returns the names and whether the list was cut short ("et al.").

    >>> names, cut = parse_author_list("Brandão S, Saeedi H, Brandt A, et al.")
    >>> [(n.family, n.given) for n in names], cut
    ([('Brandão', 'S'), ('Saeedi', 'H'), ('Brandt', 'A')], True)
    >>> [n.family for n in parse_author_list("Kaur, M., Shukla, A. K. and Rishi, V.")[0]]
    ['Kaur', 'Shukla', 'Rishi']
    """
    # Cleaned like every literal (markup, entities, control characters): the
    # raw dc:creator of a journal feed comes here as the feed wrote it.
    body = inline_text(text) or ""
    body = _LIST_PREFIX.sub("", body)
    truncated = False
    while True:
        cut = _LIST_ET_AL.search(body)
        if not cut or not body:
            break
        truncated = True
        body = body[: cut.start()].rstrip(" ,;")
    tokens = _tokens(body)
    if not tokens:
        return (), truncated
    upper = _all_upper(body)
    caps_family = not upper and _marks_family_with_caps(tokens)
    names = [
        name
        for token in tokens
        if (name := _person(token, upper=upper, caps_family=caps_family)) is not None
    ]
    return tuple(names), truncated


def person_name(text: str) -> PersonName | None:
    """One person's name in any order ("Jane Doe", "Doe, Jane", "Doe J", "DOE, JANE").

    Honorifics and degrees are dropped; particles and "Jr."-like suffixes stay
    with the family name; a group author is all family.

    >>> person_name("Prof. Ludwig van Beethoven, PhD")
    PersonName(family='van Beethoven', given='Ludwig')
    >>> person_name("SMITH, JOHN")
    PersonName(family='Smith', given='John')
    """
    body = " ".join(text.split())
    return _person(body, upper=_all_upper(body), caps_family=False)


def _all_upper(text: str) -> bool:
    """Upper case is a style only when nothing is in lower case (and there are words)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and not any(c.islower() for c in letters)


def _tokens(body: str) -> list[str]:
    """The list cut into one text per name (inverted "Family, Given" rejoined)."""
    if ";" in body:
        parts = (p.strip(" ,") for chunk in body.split(";") for p in _AND.split(chunk))
        return [p for p in parts if p]
    raw = [p.strip() for chunk in body.split(",") for p in _AND.split(chunk)]
    raw = [p for p in raw if p]
    merged: list[str] = []
    for part in raw:
        bare = part.casefold().rstrip(".")
        if merged and bare in _SUFFIXES:
            merged[-1] = f"{merged[-1]} {part}"
        elif (
            merged
            and _is_degree(part)
            and (bare not in _AMBIGUOUS_DEGREES or len(merged[-1].split()) > 1)
        ):
            continue
        else:
            merged.append(part)
    if _pairs_up(merged):
        return [f"{merged[i]}, {merged[i + 1]}" for i in range(0, len(merged), 2)]
    if len(merged) > 1 and body.endswith(".") and body.count(".") == 1:
        merged[-1] = merged[-1].rstrip(".")  # "Brandão S, Brandt A." ends a sentence
    return merged


def _pairs_up(parts: list[str]) -> bool:
    """Whether comma-separated parts alternate family, given ("Kaur, M., Rishi, V.")."""
    if len(parts) < 2 or len(parts) % 2:
        return False
    families, givens = parts[0::2], parts[1::2]
    if all(_is_initials(g) or _is_bare_initials(g) for g in givens):
        return all(not _is_initials(f) for f in families)
    # "Gómez-Noguera, Samuel Enrique": one family-looking word, then given names.
    return all(_is_family_only(f) for f in families) and all(
        len(g.split()) <= 3 and not _is_family_only_upper_initials(g) for g in givens
    )


def _is_family_only(text: str) -> bool:
    words = text.split()
    core = [w for w in words if w.casefold() not in _PARTICLE_WORDS | _SUFFIXES]
    return len(core) == 1 and not _is_initials(text) and not _GROUP_WORDS.search(text)


def _is_family_only_upper_initials(text: str) -> bool:
    """ "Brandão S" is a whole Vancouver name, not the given part of one."""
    words = text.split()
    return len(words) >= 2 and _is_bare_initials(words[-1]) and not words[0].isupper()


def _is_bare_initials(text: str) -> bool:
    """Vancouver initials: "S", "JP", "ABC" (no dots; three letters only if no vowel)."""
    word = text
    if not word or not word.isalpha() or not word.isupper() or len(word) > 3:
        return False
    return len(word) <= 2 or not any(c in _VOWELS for c in word)


def _is_degree(text: str) -> bool:
    return text.casefold().rstrip(".").replace(" ", "") in _DEGREE_WORDS


def _marks_family_with_caps(tokens: list[str]) -> bool:
    """CNKI-style "Guocheng SHU": in most names an upper-case word that cannot be
    initials stands next to mixed-case ones, so upper case marks the family
    throughout (and "Cheng LI" is Cheng of the Li family, not Cheng L. I.)."""
    marked = 0
    for token in tokens:
        words = token.replace(",", " ").split()
        caps = any(_is_caps_family(w) for w in words)
        if caps and any(any(c.islower() for c in w) for w in words):
            marked += 1
    return marked > 0 and 2 * marked >= len(tokens)


def _is_caps_family(word: str, *, strict: bool = True) -> bool:
    """An upper-case family name; ``strict``: also one that cannot be initials."""
    return (
        word.isupper()
        and word.isalpha()
        and len(word) > 1
        and not (strict and _is_bare_initials(word))
        and word.casefold() not in _SUFFIXES
    )


def _person(text: str, *, upper: bool, caps_family: bool) -> PersonName | None:
    body = _strip_titles(text.strip(" ,;"))
    if not any(c.isalpha() for c in body) or _is_degree(body):
        return None
    if _GROUP_WORDS.search(body) or body.casefold().startswith("the "):
        return PersonName(family=body.rstrip(" ."), given="")
    name = _inverted(body) if "," in body else _ordered(body, upper=upper, caps_family=caps_family)
    if name is None:
        return None
    if upper:
        # Initials after the family ("WANG JY", "DOE, JA") stay initials.
        initials = _is_bare_initials(name.given) and body.startswith(name.family)
        given = name.given if initials else _title_name(name.given)
        name = PersonName(family=_title_name(name.family), given=given)
    return name


def _strip_titles(text: str) -> str:
    """Honorifics in front, degrees behind: they name a role, not the person."""
    text = _HONORIFIC.sub("", text)
    while True:
        head, sep, last = text.rpartition(",") if "," in text else text.rpartition(" ")
        if not sep or not head.strip():
            return text.strip()
        bare = last.strip().casefold().rstrip(".")
        if _is_degree(last.strip()) and (sep == "," or bare not in _AMBIGUOUS_DEGREES):
            text = head.strip()
        else:
            return text.strip()


def _inverted(text: str) -> PersonName | None:
    """ "Family, Given" (also "Family Jr., Given" and "Family, Given, Jr.")."""
    family, _, given = text.partition(",")
    given = given.strip(" ,")
    suffix = ""
    if "," in given:
        head, _, tail = given.rpartition(",")
        if tail.strip().casefold() in _SUFFIXES:
            given, suffix = head.strip(), tail.strip()
    words = given.split()
    if words and words[-1].casefold() in _SUFFIXES and len(words) > 1:
        suffix = f"{words[-1]} {suffix}".strip()
        given = " ".join(words[:-1])
    family = " ".join(f"{family.strip()} {suffix}".split())
    if not family:
        return _ordered(given, upper=False, caps_family=False) if given else None
    return PersonName(family=family, given=given)


def _ordered(text: str, *, upper: bool, caps_family: bool) -> PersonName | None:
    """A name without a comma: "Given Family", Vancouver "Family GI", or CNKI caps."""
    words = text.split()
    if not words:
        return None
    if len(words) == 1:
        return PersonName(family=words[0], given="")
    caps = [i for i, w in enumerate(words) if _is_caps_family(w, strict=False)]
    if caps_family and caps:
        if caps[0] == 0:  # "ZHANG Yinpeng": family first
            return PersonName(family=words[0], given=" ".join(words[1:]))
        return PersonName(family=" ".join(words[caps[0] :]), given=" ".join(words[: caps[0]]))
    suffix: list[str] = []
    while len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        suffix.insert(0, words.pop())
    if (
        _is_vancouver(words, upper=upper)
        or (  # "Smith JA", "Smith J.A."
            _is_initials(words[-1]) and not any(_is_initials(w) for w in words[:-1])
        )
    ):
        return PersonName(family=" ".join(words[:-1] + suffix), given=words[-1])
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _PARTICLE_WORDS:
        start -= 1
    return PersonName(family=" ".join(words[start:] + suffix), given=" ".join(words[:start]))


def _is_vancouver(words: list[str], *, upper: bool) -> bool:
    """ "Brandão S", "Smith JA": bare initials after the family.  In an all-caps
    list "SMITH J" still is, but "YU LI" is a given name and a family name."""
    if not _is_bare_initials(words[-1]):
        return False
    if not upper:
        return True
    return len(words[-1]) == 1 or not _is_bare_initials(words[0])


def _title_name(text: str) -> str:
    """ "O'CONNELL" -> "O'Connell", "MCDONALD" -> "McDonald", "VAN DER BERG" ->
    "van der Berg"; initials stay upper case."""
    words = text.split()
    out = []
    for i, word in enumerate(words):
        if i < len(words) - 1 and word.casefold() in _PARTICLE_WORDS:
            out.append(word.casefold())
            continue
        out.append(re.sub(r"[^\W\d_]+", _title_piece, word))
    return " ".join(out)


def _title_piece(match: re.Match[str]) -> str:
    piece = match.group(0)
    if len(piece) <= 1:
        return piece.upper()
    if piece.upper().startswith("MC") and len(piece) > 2:
        return "Mc" + piece[2].upper() + piece[3:].lower()
    return piece[0].upper() + piece[1:].lower()
