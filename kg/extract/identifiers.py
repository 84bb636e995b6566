"""The identifiers of an item that is a paper: its DOI, arXiv id, PubMed id and ISSNs.

The item's own DOI is, in order of trust: prism:doi, then dc:identifier
(``doi:…``, ``info:doi/…``, bare), then arxiv:doi, then a DOI URL or
DOI-carrying path in the link, guid or rdf:about.  Only when none of them
states one does :mod:`kg.extract.bibliographic` fall back on the description
and on arXiv's DataCite DOI.

The item's own link, guid and rdf:about name the item, so a DOI in their path
or query is the item's; the DOIs a story's body links to are citations, read
by :mod:`kg.extract.doi_links`.  An ISSN counts only when its check digit
holds.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from kg.extract.dois import normalize_doi

_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|oai:arxiv\.org:|^arxiv:\s*)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_PMID_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d+)")
_PMID_ID = re.compile(r"^\s*(?:pmid|pubmed|info:pmid/)\s*[:/]?\s*(\d+)\s*$", re.IGNORECASE)
_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
_PATH_DOI = re.compile(r"(?:^|/)(10\.\d{4,9}/.+)$")
_PATH_TAIL = re.compile(r"/(?:full|abstract|abs|pdf|epdf|html|fulltext|meta|references)/?$")
_ISSN = re.compile(r"^(\d{7}[\dX])$")


def metadata_doi(meta: dict[str, tuple[str, ...]]) -> str | None:
    """The DOI the metadata states, in the order of trust the module docstring gives."""
    for value in meta.get("prism:doi", ()):
        if doi := normalize_doi(value):
            return doi
    for key in ("dc:identifier", "dc:doi"):
        for value in meta.get(key, ()):
            if (value.lower().startswith(("doi", "info:doi", "10.", "http"))) and (
                doi := normalize_doi(value)
            ):
                return doi
    for value in meta.get("arxiv:doi", ()):
        if doi := normalize_doi(value.split()[0]):
            return doi
    return None


def link_doi(urls: list[str], meta: dict[str, tuple[str, ...]]) -> str | None:
    """A DOI that a link, guid or rdf:about is (``https://doi.org/…``, a bare DOI)
    or carries in its path (``/doi/abs/10.…``, ``/content/journal/ijsem/10.…``)."""
    for url in (*urls, *meta.get("prism:url", ())):
        text = url.strip()
        if text.lower().startswith(("10.", "doi:", "info:doi")):
            if doi := normalize_doi(text):
                return doi
            continue
        if "10." not in text:
            continue
        try:
            parts = urlsplit(text)
            host = parts.hostname
        except ValueError:  # "http://[::1" and other broken links
            continue
        if parts.scheme not in ("http", "https"):
            continue
        path = unquote(parts.path)
        if host in _DOI_HOSTS and (doi := normalize_doi(path.lstrip("/"))):
            return doi
        match = _PATH_DOI.search(_PATH_TAIL.sub("", path))
        if match and (doi := normalize_doi(match.group(1))):
            return doi
        for name, value in parse_qsl(parts.query):
            if name.lower() in ("doi", "id") and (doi := normalize_doi(value)):
                return doi
    return None


def arxiv_id_of(urls: list[str], meta: dict[str, tuple[str, ...]]) -> str | None:
    """The arXiv identifier (without version) a link, guid, rdf:about or dc:identifier names."""
    for text in (*urls, *meta.get("dc:identifier", ())):
        # Every form names "arxiv"; in ASCII text (nearly every link) no other
        # spelling can match, so most links skip the case-insensitive scan.
        if text.isascii() and "arxiv" not in text.lower():
            continue
        match = _ARXIV.search(text)
        if match:
            return match.group("id")
    return None


def pmid_of(urls: list[str], meta: dict[str, tuple[str, ...]]) -> str | None:
    """The PubMed id a dc:identifier (``pmid:…``, ``info:pmid/…``) or a PubMed link names."""
    for text in (*meta.get("dc:identifier", ()), *urls):
        match = _PMID_ID.match(text) or (
            _PMID_URL.search(text) if "ncbi.nlm.nih.gov/" in text else None
        )
        if match:
            return match.group(1)
    return None


def issns_of(
    meta: dict[str, tuple[str, ...]], channel: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """Print and electronic ISSNs of item and channel, valid ones only, each once."""
    found: list[str] = []
    for source in (meta, channel):
        for key in ("prism:issn", "prism:eissn", "prism:ispartof"):
            for value in source.get(key, ()):
                issn = normalize_issn(value)
                if issn and issn not in found:
                    found.append(issn)
    return tuple(found)


def normalize_issn(text: str) -> str | None:
    """ "1234-567X" when ``text`` is an ISSN whose check digit holds, else None.

    >>> normalize_issn("0008347X"), normalize_issn("urn:issn:0363-6445")
    ('0008-347X', '0363-6445')
    >>> normalize_issn("0000-0000") is None, normalize_issn("0008-3470") is None
    (True, True)
    """
    bare = re.sub(r"[\s\-]", "", re.sub(r"^urn:issn:", "", text.strip(), flags=re.I)).upper()
    if not _ISSN.match(bare) or bare == "00000000":
        return None
    total = sum(int(d) * (8 - i) for i, d in enumerate(bare[:7]))
    check = (11 - total % 11) % 11
    return f"{bare[:4]}-{bare[4:]}" if bare[7] == ("X" if check == 10 else str(check)) else None
