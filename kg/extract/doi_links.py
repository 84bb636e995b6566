"""DOIs in HTML and links, where the markup and the URL syntax decide where a DOI ends.

A story's body names papers by DOI in running text (``doi: 10.…``), in link
text and in ``href`` values: resolver links (doi.org, hdl.handle.net) and
publisher links that carry the DOI in their path.  A DOI is read from the HTML
itself, where a tag or a quote ends it, never from tag-stripped text, where the
next word would be glued on.  A resolver link holds nothing but the DOI; a
publisher link appends a query, a view of the article ("/abstract", ".pdf") or,
on bioRxiv and medRxiv, a version, and those go.

:mod:`kg.extract.dois` normalises and checks what is found here.
"""

from __future__ import annotations

import html as _html
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote

from kg.extract.dois import normalize_doi

#: A DOI; a literal start lets the regex engine skip ahead fast (the character
#: before is checked apart, see _starts_token).
_DOI_AT = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*(?:/|%2[Ff])[^\s\"'<>]+")
_TOKEN_START = re.compile(r"[\s\"'<>(\[]")
_URL_END = re.compile(r"[?#&]")
_MATRIX = re.compile(r";\w+=.*$")  # ";jsessionid=..." is no part of a DOI; ";2-X" (SICI) is
_SUPPL = re.compile(r"/suppl_file/.*$", re.IGNORECASE)
#: What publisher URLs append after the DOI path: the view of the article.
_VIEW_TAIL = re.compile(
    r"(?:/(?:abstract|abs|full|fulltext|full-text|pdf|epdf|pdfdirect|ampdf|html|meta|summary|"
    r"references|figures|tables|citedby|suppinfo|suppl|supplemental|supplementary|metrics|epub|"
    r"xml|reader|download|info)|\.pdf)$",
    re.IGNORECASE,
)
#: bioRxiv/medRxiv URLs add a version and a view to the DOI ("...123456v2.full").
_PREPRINT = re.compile(
    r"^(10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,})(?:v\d+)?"
    r"(?:\.(?:full|abstract|short|full-text|supplementary-material|article-info|article-metrics)"
    r"\b.*)?$"
)
_PRINTABLE = re.compile(r"[!#-&(-~]+")  # printable ASCII but quotes


def scan_dois(body: str) -> list[tuple[int, str]]:
    """Every DOI the HTML names, with where: in text, link text, href or a publisher URL."""
    found: list[tuple[int, str]] = []
    for match in _dois_at(body):
        if not _starts_token(body, match.start()):
            continue
        window = body[max(0, match.start() - 300) : match.start()]
        delimiter = _TOKEN_START.search(window[::-1])
        prefix = window[len(window) - delimiter.start() :] if delimiter else window
        if "/" in prefix or "=" in prefix or prefix.lower().startswith("www."):
            doi = _doi_in_url(match.group(0), resolver=_is_resolver(prefix))
        else:
            doi = _doi_in_text(match.group(0))
        if doi:
            found.append((match.start(), doi))
    return found


def _dois_at(body: str) -> Iterator[re.Match[str]]:
    """``_DOI_AT.finditer(body)``, faster: str.find skips to each "10." at several
    times the speed of the regex engine's own prefix search."""
    at = body.find("10.")
    while at >= 0:
        match = _DOI_AT.match(body, at)
        if match is None:
            at = body.find("10.", at + 1)
        else:
            yield match
            at = body.find("10.", match.end())


def _starts_token(body: str, at: int) -> bool:
    """No DOI starts inside a longer token ("v2.10.1234/"), except after an encoded slash."""
    if at == 0:
        return True
    before = body[at - 1]
    return not (before.isalnum() or before in "._-") or body[max(0, at - 3) : at].upper() == "%2F"


def doi_from_url(url: str) -> str | None:
    """The DOI a link carries: a resolver link, or a publisher's link with a DOI path.

    The query, the fragment and the view a publisher appends after the DOI
    path go; a resolver link (doi.org) holds nothing but the DOI, so its path
    is kept whole.

    >>> doi_from_url("http://www.tandfonline.com/doi/abs/10.1080/02640414.2017.1397282?journalCode=rjsp20")
    '10.1080/02640414.2017.1397282'
    >>> doi_from_url("https://www.degruyter.com/document/doi/10.1515/jci-2020-0008/html?lang=en")
    '10.1515/jci-2020-0008'
    >>> doi_from_url("https://doi.org/10.1093/mind/LIX.236.433")
    '10.1093/mind/LIX.236.433'
    >>> doi_from_url("https://www.biorxiv.org/content/10.1101/2023.12.16.571984v2.full.pdf")
    '10.1101/2023.12.16.571984'
    >>> doi_from_url("https://example.org/v2.10.1234/readme") is None
    True
    """
    for match in _DOI_AT.finditer(url):
        if _starts_token(url, match.start()):
            return _doi_in_url(match.group(0), resolver=_is_resolver(url[: match.start()]))
    return None


def _is_resolver(prefix: str) -> bool:
    return prefix.lower().endswith(("doi.org/", "doi.org%2f", "hdl.handle.net/"))


@lru_cache(maxsize=4096)
def _doi_in_url(tail: str, *, resolver: bool) -> str | None:
    """The DOI at the start of ``tail``, the part of a URL from its ``10.`` on.

    Remembered: a story links a paper as ``href`` and again as the link's text,
    and its footer repeats it."""
    text = unquote(_URL_END.split(tail, 1)[0])
    text = _MATRIX.sub("", text)
    if not resolver:
        text = _SUPPL.sub("", text)
        previous = None
        while previous != text:
            previous = text
            text = _VIEW_TAIL.sub("", text.rstrip("/"))
        text = _PREPRINT.sub(r"\1", text)
    return normalize_doi(text.rstrip("/"))


@lru_cache(maxsize=4096)
def _doi_in_text(token: str) -> str | None:
    """A DOI written as text: it ends at the first space, quote or non-ASCII character."""
    text = _html.unescape(token) if "&" in token else token
    printable = _PRINTABLE.match(text)
    return normalize_doi(printable.group(0)) if printable else None


def dois_between(dois: list[tuple[int, str]], start: int, end: int) -> list[str]:
    """The DOIs of ``dois`` (as :func:`scan_dois` lists them, by position) starting in
    ``[start, end)``."""
    at = bisect_left(dois, (start, ""))
    inside: list[str] = []
    while at < len(dois) and dois[at][0] < end:
        inside.append(dois[at][1])
        at += 1
    return inside
