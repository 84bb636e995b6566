"""Papers named inside science-news stories: the reference blocks news sites print, and DOIs.

A story names the paper behind it in a block of its own, in the format of its
family of sites:

* EurekAlert! releases (and the sites that republish them): field blocks,
  ``Journal`` / ``DOI`` / ``Article Title`` / ``Article Publication Date`` /
  ``Subject of Research`` / ``Method of Research``, as heading and value or as
  ``Label: value`` lines;
* Neuroscience News, phys.org and its sister sites, ScienceDaily: a label
  ("Original Research", "More information", "Journal Reference") and reference
  lines after it, read by :mod:`kg.extract.references`;

and any DOI anywhere in a body (text, link, a publisher URL with a DOI path)
names a paper too, even when nothing else is known about it
(:mod:`kg.extract.doi_links`).

The body is cut into block-level lines that remember where they start, so the
papers come out in the order the story names them, and a reference gets the
DOI its own part of the body holds.  DOIs are read from the HTML itself, where
a tag or a quote ends them, never from tag-stripped text, where the next word
would be glued on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.extract.doi_links import doi_from_url, dois_between, scan_dois
from kg.extract.dois import normalize_doi
from kg.extract.merge import merge_group
from kg.extract.references import FORMATS, clean_title, paper_record, parse_date
from kg.extract.text import clean, inline_text
from kg.types import PaperRecord

__all__ = ["doi_from_url", "papers_besides", "papers_in_html"]

#: :func:`doi_from_url` is defined in :mod:`kg.extract.doi_links` and imported from
#: here; its examples run with this module's doctests.
__test__ = {"doi_from_url": doi_from_url}

# --- the body as lines -------------------------------------------------------

_BREAK = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|ol|ul|dl|dt|dd|h[1-6]|tr|td|th|table|section|article|aside|"
    r"header|footer|figure|figcaption|blockquote|pre|hr|main)\b"
    r"[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>",
    re.IGNORECASE,
)
#: The lookahead only spares the four names at the other tags' "<" (as a class it
#: takes the same first letters, "ſ" included, under IGNORECASE).
_HIDDEN = re.compile(r"<!--|<\s*(?=[stn])(script|style|template|noscript)\b", re.IGNORECASE)
#: Words that only a body with a labelled reference contains (DOIs bring "10.").
_HINTS = (
    "journal",
    "original research",
    "more information",
    "article title",
    "subject of research",
    "method of research",
    "article publication date",
)
_HINTS_ASCII = tuple(hint.encode("ascii") for hint in _HINTS)


def _visible(body: str) -> str:
    """The body without comments, scripts and styles (their DOIs are not the story's)."""
    parts: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # a closing tag absent once is absent further on too
    lowered = ""  # lower-cased only once something is hidden: most bodies hide nothing
    while (match := _HIDDEN.search(body, pos)) is not None:
        lowered = lowered or body.lower()
        name = (match.group(1) or "").lower()
        if not name:
            end = lowered.find("-->", match.end())
            end = len(body) if end < 0 else end + 3
        elif name in unclosed or (close := lowered.find(f"</{name}", match.end())) < 0:
            unclosed.add(name)
            parts.append(body[pos : match.end()])
            pos = match.end()
            continue
        else:
            end = lowered.find(">", close)
            end = len(body) if end < 0 else end + 1
        parts.append(body[pos : match.start()])
        parts.append(" ")
        pos = end
    if not parts:
        return body
    parts.append(body[pos:])
    return "".join(parts)


def _ascii_folded(text: str) -> bytes:
    """``text`` as UTF-8 with only ASCII letters lower-cased, to test for label words.

    ``str.lower()`` of a body with any non-ASCII character (a curly quote will
    do) costs more than everything else :func:`papers_in_html` does to a body
    without labels, and bytes are lower-cased several times faster.  For the
    words of ``_LABEL_WORDS`` and ``_HINTS`` the answer is the same as with
    ``str.lower()``: the only non-ASCII characters whose lower case holds an
    ASCII letter are "İ" (to "i" and a combining dot, which no word has after
    an "i") and the Kelvin sign (to "k", which no word has); the tests check
    both facts.
    """
    return text.encode("utf-8", "surrogatepass").lower()


@dataclass(frozen=True, slots=True)
class _Line:
    """A block of the body: where it starts and ends in the body, its text, its HTML."""

    start: int
    end: int
    text: str
    raw: str


def _lines(body: str) -> list[_Line]:
    cuts = [(m.start(), m.end()) for m in _BREAK.finditer(body)]
    if not cuts:  # plain text (or inline-only HTML): its newlines are the lines
        cuts = [(m.start(), m.end()) for m in re.finditer(r"\n", body)]
    lines: list[_Line] = []
    pos = 0
    for cut_start, cut_end in [*cuts, (len(body), len(body))]:
        raw = body[pos:cut_start]
        text = inline_text(raw)
        if text:
            lines.append(_Line(pos, cut_start, text, raw))
        pos = cut_end
    return lines


# --- labelled blocks --------------------------------------------------------

_REFERENCE_LABELS = r"(?P<label>original research|more information|journal references?)"
_LABEL_WORDS = ("original research", "more information", "journal reference")
_LABEL_WORDS_ASCII = tuple(word.encode("ascii") for word in _LABEL_WORDS)
#: A label on a line of its own (the references follow on the next lines) ...
_LABEL_LINE = re.compile(rf"^{_REFERENCE_LABELS}\s*:?$", re.IGNORECASE)
#: ... or with its colon and the reference after it, anywhere in a line (text
#: feeds run the whole story into one paragraph).
_LABEL_INLINE = re.compile(
    rf"(?:^|(?<=[.!?)\]])\s*){_REFERENCE_LABELS}\s*:\s*(?P<rest>.*)$", re.IGNORECASE
)
_STOP_LABEL = re.compile(
    r"^(?:journal information|provided by|citation|cite this page|explore further|abstract|"
    r"source|contact|image|original research|more information|journal references?)\b",
    re.IGNORECASE,
)
_DOI_LINE = re.compile(r"^(?:DOI\b|doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+")
_MAX_FOLLOW = 8


@dataclass(frozen=True, slots=True)
class _Span:
    """One reference's text and HTML, and the part of the body it covers."""

    start: int
    end: int
    text: str
    raw: str
    #: The span shares its part of the body with other text: only a DOI its own
    #: text states is surely its DOI (else the first DOI of the part, if any).
    shared: bool = False
    #: Several references share the part: only the DOI its text states is its.
    text_only: bool = False


def _spans_after(lines: list[_Line], i: int, rest: str, fits: re.Pattern[str]) -> list[_Span]:
    """The references a label introduces: the rest of its line and the lines after it."""
    line = lines[i]
    spans = [_Span(line.start, line.end, rest, line.raw, shared=True)] if rest else []
    for nxt in lines[i + 1 : i + 1 + _MAX_FOLLOW]:
        if _STOP_LABEL.match(nxt.text):
            break
        if not nxt.text.strip(":.;, "):  # the colon after a heading: "<h3>Label</h3>:"
            continue
        if spans and _DOI_LINE.match(nxt.text):  # "DOI: ..." on its own line after a reference
            last = spans[-1]
            text, raw = f"{last.text} {nxt.text}", last.raw + nxt.raw
            spans[-1] = _Span(last.start, nxt.end, text, raw, last.shared)
            continue
        if not fits.search(nxt.text):
            break
        spans.append(_Span(nxt.start, nxt.end, nxt.text, nxt.raw))
    return spans


def _numbered(span: _Span) -> list[_Span]:
    """ "1. A... DOI: x 2. B..." is two references: split at the next number in sequence."""
    first = _NUMBERED.match(span.text)
    if not first:
        return [span]
    parts: list[str] = []
    number, pos = int(first.group(1)), first.end()
    while True:
        nxt = re.search(rf"\s{number + 1}[.)]\s+(?=[^\W\d_])", span.text[pos:])
        end = pos + nxt.start() if nxt else len(span.text)
        parts.append(span.text[pos:end].strip())
        if not nxt:
            break
        number, pos = number + 1, pos + nxt.end()
    several = len(parts) > 1
    return [replace(span, text=part, text_only=span.text_only or several) for part in parts]


def _span_doi(span: _Span, dois: list[tuple[int, str]]) -> str | None:
    inside = dois_between(dois, span.start, span.end)
    if not inside or not (span.shared or span.text_only):
        return inside[0] if inside else None
    stated = {doi.lower() for _, doi in scan_dois(span.text)}
    own = next((doi for doi in inside if doi.lower() in stated), None)
    return own if own or span.text_only else inside[0]


def _labelled(lines: list[_Line], dois: list[tuple[int, str]]) -> list[tuple[int, PaperRecord]]:
    found: list[tuple[int, PaperRecord]] = []
    for i, line in enumerate(lines):
        lowered = line.text.lower()
        if not any(label in lowered for label in _LABEL_WORDS):  # cheap before the regexes
            continue
        match = _LABEL_LINE.match(line.text) or _LABEL_INLINE.search(line.text)
        if match is None:
            continue
        label = match["label"].lower().rstrip("s")
        fits, parse = FORMATS[label]
        rest = (match.groupdict().get("rest") or "").strip()
        spans = _spans_after(lines, i, rest, fits)
        if label == "journal reference":
            spans = [part for span in spans for part in _numbered(span)]
        for span in spans:
            paper = parse(span.text, span.raw)
            if paper is not None:
                found.append((span.start, replace(paper, doi=_span_doi(span, dois))))
    return found


# --- EurekAlert! field blocks -----------------------------------------------

_FIELDS: dict[str, str | None] = {
    "journal": "journal",
    "doi": "doi",
    "article title": "title",
    "article publication date": "published",
    "subject of research": "subject",
    "method of research": "method",
    # Labels of the same blocks that name no fact of the paper: they keep the block open.
    "coi statement": None,
    "funder": None,
    "news publication date": None,
    "web references": None,
    "article references": None,
    "image credits": None,
    "image credit": None,
    "keywords": None,
}
_FIELD = re.compile(
    r"^(?P<label>"
    + "|".join(sorted(map(re.escape, _FIELDS), key=len, reverse=True))
    + r")(?:\s*:\s*(?P<value>.*)|\s*:?)$",
    re.IGNORECASE,
)
_MAX_GAP = 3  # unlabelled lines (a multi-line value of another label) a block may hold


def _field_blocks(lines: list[_Line], dois: list[tuple[int, str]]) -> list[tuple[int, PaperRecord]]:
    """EurekAlert-style blocks: ``Journal``, ``DOI``, ``Article Title``... as heading + value
    lines or ``Label: value`` lines.  A block needs two of journal, DOI, title and date:
    one "Journal" heading or "Subject of Research:" line in prose is no block."""
    blocks: list[dict[str, _Line]] = []
    current: dict[str, _Line] = {}
    pending: str | None = None  # a heading waiting for its value ("" = one we skip)
    gap = 0
    for line in lines:
        match = _FIELD.match(line.text)
        if match:
            name = _FIELDS[match["label"].lower()] or ""
            value = (match["value"] or "").strip()
            if name and name in current:  # the label again: a second block starts
                blocks.append(current)
                current = {}
            current.setdefault("", line)  # where the block starts
            gap, pending = 0, None
            if not value:
                pending = name
            elif name:
                current[name] = _Line(line.start, line.end, value, line.raw)
        elif current and pending is not None:
            if pending:
                current[pending] = line
            gap, pending = 0, None
        elif current:
            gap += 1
            if gap > _MAX_GAP:
                blocks.append(current)
                current, pending, gap = {}, None, 0
    blocks.append(current)
    return [found for block in blocks if (found := _fields_paper(block, dois))]


def _fields_paper(
    block: dict[str, _Line], dois: list[tuple[int, str]]
) -> tuple[int, PaperRecord] | None:
    if len(block.keys() & {"journal", "doi", "title", "published"}) < 2:
        return None
    doi = doi_raw = None
    if "doi" in block:
        line = block["doi"]
        inside = dois_between(dois, line.start, line.end)
        doi = inside[0] if inside else normalize_doi(line.text)
        # "10.1038-broken" is kept to be reported; "Pending" or "N/A" names no DOI at all.
        doi_raw = clean(line.text) if doi is None and "10." in line.text else None
    published = parse_date(block["published"].text) if "published" in block else None
    return block[""].start, paper_record(
        doi=doi,
        doi_raw=doi_raw,
        title=clean_title(block["title"].text) if "title" in block else None,
        journal=block["journal"].text if "journal" in block else None,
        published=published,
        year=published.year if published else None,
        subject=clean(block["subject"].text) if "subject" in block else None,
    )


# --- all together -----------------------------------------------------------


def papers_in_html(html: str | None, *, field_blocks: bool = True) -> tuple[PaperRecord, ...]:
    """Every paper a story body names, in order of first mention, one per DOI.

    A formatted reference gives ``origin="reference"`` and what it states; a
    DOI the body only mentions gives ``origin="mention"`` and the DOI alone.
    ``field_blocks=False`` skips the EurekAlert-style field blocks, for a body
    whose labelled footer :mod:`kg.extract.footer` has already read.

    >>> [(p.doi, p.origin) for p in papers_in_html(
    ...     '<p>See <a href="https://doi.org/10.1002/lno.70172">this</a>.</p>')]
    [('10.1002/lno.70172', 'mention')]
    """
    return papers_besides(html, frozenset(), field_blocks=field_blocks)


def papers_besides(
    html: str | None, named: frozenset[str], *, field_blocks: bool = True
) -> tuple[PaperRecord, ...]:
    """:func:`papers_in_html` but for the bare mentions of the DOIs in ``named``
    (lower case).  Beside a reference to the same DOI read elsewhere (the
    story's footer), merging drops such a mention anyway; building its record
    costs more than finding it."""
    if not html:
        return ()
    folded = _ascii_folded(html)
    has_doi = b"10." in folded
    labelled = any(word in folded for word in _LABEL_WORDS_ASCII)
    has_label = labelled or (field_blocks and any(hint in folded for hint in _HINTS_ASCII))
    if not (has_doi or has_label):
        return ()
    body = _visible(html) if "<" in html else html
    dois = scan_dois(body) if has_doi else []
    # A DOI named again adds nothing: _merge keeps the first mention of each DOI
    # (or none, beside a reference), so only that one becomes a record.
    mentioned = set(named)
    found: list[tuple[int, PaperRecord]] = []
    for at, doi in dois:
        if doi.lower() not in mentioned:
            mentioned.add(doi.lower())
            found.append((at, PaperRecord(doi=doi, origin="mention")))
    # Cutting the body into lines is most of the cost: only when a format's
    # label is there to read.
    if has_label:
        lines = _lines(body)
        if field_blocks:
            found += _field_blocks(lines, dois)
        if labelled:
            found += _labelled(lines, dois)
    return _merge(found)


def _merge(found: list[tuple[int, PaperRecord]]) -> tuple[PaperRecord, ...]:
    """One record per DOI, in order of first mention, merged by the build's rules.

    A reference without DOI is one paper with another reference of the same
    title that has one (an EurekAlert! block and a phys.org line of one story).
    """
    ordered = sorted(found, key=lambda item: item[0])
    titled = {p.title.casefold(): p.doi_key for _, p in ordered if p.title and p.doi_key}
    groups: dict[str, list[PaperRecord]] = {}
    for at, paper in ordered:
        title = paper.title.casefold() if paper.title else None
        key = paper.doi_key or (titled.get(title) or f"title:{title}" if title else f"at:{at}")
        groups.setdefault(key, []).append(paper)
    return tuple(merge_group(group) for group in groups.values())
