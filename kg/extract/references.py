"""The reference lines science-news sites print under a story, read into papers.

Each family of sites writes the paper behind a story in a format of its own:

* Neuroscience News: ``Original Research: Open access. “Title” by A. Author et al. Journal``;
* phys.org, Medical Xpress, Tech Xplore: ``More information: Given Family et al, Title,
  Journal (2025). DOI: 10...``;
* ScienceDaily: ``Journal Reference: 1. Given Family, Given Family. Title. Journal, 2025;
  15 (1): 411 DOI: 10...``.

None of them marks where the authors end and the title starts, or the title
and the journal, so a reference is cut where the format allows it: at "et
al.", at a full stop after a name rather than an initial, at the italic
journal or the bold title the HTML keeps, at the year.  A reader states only
what it could tell apart; the DOI is the caller's to attach, from the HTML
(:mod:`kg.extract.doi_links`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from kg.extract.journals import full_title
from kg.extract.names import parse_author_list, parse_reference_authors
from kg.extract.text import clean, inline_text
from kg.types import PaperRecord, PersonName

# --- names, dates, locators -------------------------------------------------

_ET_AL = re.compile(r"\s*,?\s*\bet\.?\s+al\b\.?\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*")
_PARTICLES = frozenset(
    "van von der den de del della da di du le la dos das ter ten zu bin al el".split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
#: A news reference names a few authors; a longer "list" is not one (and would be slow).
_MAX_AUTHORS_TEXT = 2000
_INITIAL = re.compile(r"^(?:[^\W\d_]{1,2}\.)+(?:-[^\W\d_]\.?)?$|^[^\W\d_]$")


def _reads_as_name(text: str) -> bool:
    """ "Given Family", "G. Family", "Given M. van der Family": not a title in title case."""
    tokens = text.strip(" .,;").split()
    if not 2 <= len(tokens) <= 6 or any(c.isdigit() for c in text):
        return False
    if tokens[-1].lower() in _SUFFIXES and len(tokens) > 2:
        tokens.pop()
    at = next((i for i in range(1, len(tokens) - 1) if tokens[i].lower() in _PARTICLES), -1)
    given, family = tokens[:at], tokens[at:]
    return (
        all(t[0].isupper() for t in given)
        and family[-1][0].isupper()
        and all(t[0].isupper() or t.lower() in _PARTICLES for t in family)
        and not _INITIAL.match(family[-1])
    )


def _authors(text: str) -> tuple[tuple[PersonName, ...], bool] | None:
    """A free-text author list and whether it ends in "et al.", or None if it is not one."""
    if len(text) > _MAX_AUTHORS_TEXT:
        return None
    text = " ".join(text.split()).strip(" ,;")
    truncated = False
    cut = _ET_AL.search(text)
    if cut:
        truncated, text = True, text[: cut.start()].strip(" ,;")
    if not text:
        return None
    inverted, etal, end = parse_reference_authors(text)
    if inverted and not text[end:].strip(" ,.;&"):
        return inverted, truncated or etal
    parts = [p for p in _NAME_SPLIT.split(text) if p]
    family_given = len(parts) == 2 and "," in text and all(" " not in p for p in parts)
    if not parts or not (family_given or all(_reads_as_name(p) for p in parts)):
        return None
    names, etal = parse_author_list(text)
    return (names, truncated or etal) if names else None


def _is_initial(word: str) -> bool:
    """ "K", "J.-P", "Ch": what stands before a full stop inside a name, not after one."""
    letters = word.replace(".", "").replace("-", "")
    return letters.isalpha() and (
        (letters.isupper() and len(letters) <= 3) or (len(letters) == 2 and letters[1] == "h")
    )


def _author_list_end(text: str) -> int:
    """Where an author list ending in a full stop ("Rui Qian, Yu J. Ji. Title") ends; 0 if none."""
    etal = re.search(r"\bet\.?\s+al\b\.?", text[:400], re.IGNORECASE)
    for stop in re.finditer(r"\.\s+", text[:400]):
        if etal and etal.start() < stop.start():
            break
        words = text[: stop.start()].split()
        if words and not _is_initial(words[-1]):
            return stop.end()
    return etal.end() if etal else 0


_MONTHS = {
    m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())
}
_DATE_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-\s/.]+([A-Za-z]{3,9})\.?[-\s/.,]+(\d{4})")
_DATE_MDY = re.compile(r"([A-Za-z]{3,9})\.?[-\s]+(\d{1,2})(?:st|nd|rd|th)?,?[-\s]+(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str | None) -> date | None:
    """ "9-Jan-2025", "January 9, 2025", "9 January 2025" or "2025-01-09"."""
    if not text:
        return None
    text = text.strip(" .")
    try:
        if m := _DATE_ISO.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _DATE_DMY.fullmatch(text)) and m[2][:3].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
        if (m := _DATE_MDY.fullmatch(text)) and m[1][:3].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2]))
    except ValueError:
        return None
    return None


#: What follows a journal name: volume, (issue), and an article number or pages.
_LOCATOR = (
    r"(?:\s*(?P<volume>\d+[A-Za-z]?)(?:\s*\((?P<issue>[^()]{1,12})\))?"
    r"(?:\s*[,:]\s*(?P<loc>[A-Za-z]{0,2}\d[\w.]*(?:\s*[-–]\s*[A-Za-z]{0,2}\d+)?))?)?"
)
_AFTER_JOURNAL = re.compile(rf"\s*[,.]?{_LOCATOR}\s*[,.]?\s*")
_JOURNAL_AND_LOCATOR = re.compile(rf"\s*(?P<journal>[^\W\d_][^,]*?){_LOCATOR}\s*[,.]?\s*")


def _locator(match: re.Match[str] | None) -> dict[str, object]:
    """Volume, issue, and an article number (one value) or pages (a range)."""
    if match is None:
        return {}
    facts: dict[str, object] = {"volume": match["volume"], "issue": match["issue"]}
    loc = match["loc"]
    if loc:
        bounds = re.split(r"\s*[-–]\s*", loc)
        if len(bounds) == 2:
            facts["pages"] = (bounds[0], bounds[1])
        else:
            facts["article_number"] = loc
    return facts


def clean_title(text: str | None) -> str | None:
    """A reference's title without the quotes, commas and full stop around it."""
    text = clean(text)
    if not text:
        return None
    text = text.strip(' ,;“”"')
    while text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text or None


#: An italic (journal) or bold (title) phrase; bounded, so that unclosed tags
#: cannot make the search quadratic.
_EMPHASIS = re.compile(
    r"<(i|em|cite|strong|b)\b[^>]{0,300}>(.{0,600}?)</\1\s*>", re.IGNORECASE | re.DOTALL
)


def _emphasis(raw: str, text: str) -> tuple[list[str], list[str]]:
    """Italic and bold phrases of a line's HTML that its text contains (journal, title)."""
    italic: list[str] = []
    bold: list[str] = []
    if "<" not in raw:
        return italic, bold
    for match in _EMPHASIS.finditer(raw):
        phrase = clean(inline_text(match.group(2)))
        if phrase and phrase in text:
            (italic if match.group(1).lower() in ("i", "em", "cite") else bold).append(phrase)
    return italic, bold


def paper_record(**facts: object) -> PaperRecord:
    """A paper of the facts that are not None; a journal gets its full title looked up."""
    journal = facts.get("journal")
    if isinstance(journal, str):
        journal = clean(journal.strip(" ,.;"))
        facts["journal"] = journal
        facts["journal_title"] = full_title(journal) if journal else None
    return PaperRecord(**{k: v for k, v in facts.items() if v is not None})  # type: ignore[arg-type]


# --- the formats ------------------------------------------------------------

#: Where the bibliographic part of a reference ends: its DOI or link follows.
_MARK_END = re.compile(
    r"\s*(?:\bDOI\s*:|\bDOI\s+(?=10\.)|https?://|www\.|\bOn\s+(?:arXiv|bioRxiv|medRxiv|SSRN)\b)",
    re.IGNORECASE,
)
_YEAR_PAREN = re.compile(r"\(\s*((?:1[89]|20)\d{2})\s*\)")
_YEAR_SD = re.compile(r",\s*((?:1[89]|20)\d{2})\s*(?:;|$)")
_ETAL_COMMA = re.compile(r"^(?P<names>.{2,300}?)\s*,?\s+et\.?\s+al\b\.?\s*,\s*", re.IGNORECASE)
_FIRST_CHUNK = re.compile(r"^(?P<names>[^,]{3,160}),\s*")


def _physorg(text: str, raw: str) -> PaperRecord | None:
    """``Given Family et al, Title, Journal (2025). DOI: ...`` (commas inside titles kept)."""
    end = _MARK_END.search(text)
    head = text[: end.start()] if end else text
    years = list(_YEAR_PAREN.finditer(head))
    if not years:
        return None
    before = head[: years[-1].start()].strip(" ,")
    italic = _emphasis(raw, text)[0]
    authors, truncated, rest = _physorg_authors(before)
    title, journal, locator = _title_and_journal(rest, italic)
    if title is None and authors and not truncated:
        # "Dark Matter Halos Revisited, Nature": a title in title case, not an author
        authors, title, journal, locator = (), *_title_and_journal(before, italic)
    if title is None or journal is None:  # "More information: Contact the press office (2024)"
        return None
    return paper_record(
        title=title,
        authors=authors,
        truncated=truncated,
        journal=journal,
        year=int(years[-1].group(1)),
        citation=text,
        **_locator(locator),
    )


def _physorg_authors(text: str) -> tuple[tuple[PersonName, ...], bool, str]:
    """The leading ``Given Family et al,`` or ``Given Family and Given Family,``, and the rest."""
    etal = _ETAL_COMMA.match(text)
    lead = etal or _FIRST_CHUNK.match(text)
    if lead and text[lead.end() :].strip():
        names = _authors(lead["names"] + (" et al." if etal else ""))
        if names:
            return names[0], names[1], text[lead.end() :]
    return (), False, text


def _title_and_journal(
    rest: str, italic: list[str]
) -> tuple[str | None, str | None, re.Match[str] | None]:
    """Split ``Title, Journal 12, 345`` at the journal: its italics, else the last comma."""
    for phrase in reversed(italic):
        at = rest.rfind(phrase)
        after = _AFTER_JOURNAL.fullmatch(rest, at + len(phrase)) if at >= 0 else None
        if after:
            return clean_title(rest[:at]), phrase, after
    commas = [m.start() for m in re.finditer(",", rest)]
    for at in [*reversed(commas), -1]:
        tail = _JOURNAL_AND_LOCATOR.fullmatch(rest, at + 1)
        if tail:
            return clean_title(rest[:at]) if at >= 0 else None, tail["journal"], tail
    return None, None, None


def _sciencedaily(text: str, raw: str) -> PaperRecord | None:
    """``Given Family, Given Family. Title. Journal, 2025; 15 (1): 411 DOI: ...``."""
    end = _MARK_END.search(text)
    head = (text[: end.start()] if end else text).strip()
    years = list(_YEAR_SD.finditer(head))
    if not years:
        return None
    year = years[-1]
    before = head[: year.start()]
    stop = _author_list_end(before)
    names = _authors(before[:stop].strip(" .")) if stop else None
    if names is None:
        stop = 0
    italic, bold = _emphasis(raw, text)
    middle = before[stop:].strip()
    title = journal = None
    known = [p for p in italic if middle.endswith(p)]
    if known:
        journal = known[-1]
        title = clean_title(middle[: -len(journal)])
    elif bold and middle.startswith(bold[0]):
        title = clean_title(bold[0])
        journal = middle[len(bold[0]) :].strip(" .") or None
    else:
        title, journal = _split_sentence_journal(middle)
    authors, truncated = names or ((), False)
    return paper_record(
        title=title,
        authors=authors,
        truncated=truncated,
        journal=journal,
        year=int(year.group(1)),
        citation=text,
        **_locator(_AFTER_JOURNAL.fullmatch(head, year.end())),
    )


def _split_sentence_journal(text: str) -> tuple[str | None, str | None]:
    """``Title. Journal``: at the first full stop after which a known journal follows, else
    at the last one (journal names with full stops are abbreviations the lists know)."""
    stops = [m for m in re.finditer(r"(?<=[.?!])\s+", text)]
    if not stops:
        return None, None
    chosen = next((m for m in stops if full_title(text[m.end() :].strip(" ."))), stops[-1])
    return clean_title(text[: chosen.start()]), text[chosen.end() :].strip(" .") or None


_NN_TITLE = re.compile(r"[“\"](?P<title>.+?)[”\"]\s*,?\s*by\s+(?P<rest>.+)$", re.DOTALL)
_PUBLISHED = re.compile(
    r"\bPublished(?:\s+online)?(?:\s+on)?\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})"
)


def _neurosciencenews(text: str, raw: str) -> PaperRecord | None:
    """``Open access. “Title” by A. Author et al. Journal`` (and ``... in Journal. Published
    online January 9 2017 doi:...`` in older stories)."""
    match = _NN_TITLE.search(text)
    if match is None:
        return None
    rest = match["rest"]
    published = _PUBLISHED.search(rest)
    ends = [m.start() for m in (_MARK_END.search(rest), published) if m]
    main = rest[: min(ends, default=len(rest))].strip()
    italic = _emphasis(raw, text)[0]
    journal: str | None = None
    names_text = main
    for phrase in reversed(italic):
        at = main.rfind(phrase)
        if at > 0 and not main[at + len(phrase) :].strip(" .,"):
            journal, names_text = phrase, main[:at]
            break
    else:
        # The author list ends at "et al.", at " in Journal" or at the first full stop
        # after a name, whichever comes first ("by A and B. Frontiers in Neuroscience").
        ends = [_author_list_end(main)]
        inside = re.search(r"\s+in\s+(?=[A-Z])", main)
        ends += [inside.end()] if inside else []
        stop = min((e for e in ends if e), default=0)
        if stop:
            names_text, journal = main[:stop], main[stop:]
    names_text = re.sub(r"\s+in\s*$", "", names_text.strip(" ,."))
    if journal is not None:
        journal = re.sub(r"^in\s+", "", journal.strip(" .,")) or None
    authors, truncated = _authors(names_text) or ((), False)
    day = parse_date(published["date"]) if published else None
    return paper_record(
        title=clean_title(match["title"]),
        authors=authors,
        truncated=truncated,
        journal=journal,
        published=day,
        year=day.year if day else None,
        citation=text[match.start() :],
    )


#: Per label, what a line of its references looks like (a line that does not
#: fit ends them) and the reader of one reference.
FORMATS: dict[str, tuple[re.Pattern[str], Callable[[str, str], PaperRecord | None]]] = {
    "original research": (re.compile(r"[“\"].+[”\"]\s*,?\s*by\s"), _neurosciencenews),
    "more information": (_YEAR_PAREN, _physorg),
    "journal reference": (re.compile(r",\s*(?:1[89]|20)\d{2}\s*(?:;|\s+DOI\b)"), _sciencedaily),
}
