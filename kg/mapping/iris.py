"""Every IRI rule in one place: the same input gives the same IRIs, everywhere.

Things that have an IRI of their own keep it (a story's canonical link, a
feed's self link, a paper's DOI at doi.org).  Everything else is minted under
the build's base IRI from a normalised key, never from a counter, a clock or a
path of this machine, and never as a blank node.  Keys are percent-encoded, not
slugified, so two different keys can never share an IRI.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from kg.extract import category_key
from kg.extract.journals import journal_key
from kg.extract.urls import host_of
from kg.types import FeedRecord, ItemRecord, PaperRecord
from kg.vocab import DOI_IRI_BASE

_DOI_SAFE = "/:;()-._~!$&'*+,=@"


def key_segment(key: str) -> str:
    """An injective, readable IRI path segment for a normalised key.

    >>> key_segment("neuroimaging in psychiatry")
    'neuroimaging_in_psychiatry'
    >>> key_segment("a_b c/d")
    'a%5Fb_c%2Fd'
    """
    escaped = key.replace("%", "%25").replace("_", "%5F").replace(" ", "_")
    return quote(escaped, safe="_-.~%")


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def doi_iri(doi: str) -> str:
    """``https://doi.org/`` + the lower-case DOI, illegal IRI characters encoded.

    >>> doi_iri("10.1038/S41398-025-03626-7")
    'https://doi.org/10.1038/s41398-025-03626-7'
    >>> doi_iri("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0")
    'https://doi.org/10.1002/(sici)1097-4571(199806)49:8%3C693::aid-asi4%3E3.0.co;2-0'
    """
    return DOI_IRI_BASE + quote(doi.lower(), safe=_DOI_SAFE)


def feed_iri(feed: FeedRecord, base: str) -> str:
    """The feed's self link; else its URL; else minted from its site and title."""
    if feed.self_link:
        return feed.self_link
    if feed.source.lower().startswith(("http://", "https://")):
        from kg.extract.urls import canonical_url

        url = canonical_url(feed.source)
        if url:
            return url
    return f"{base}feed/{digest(feed.site or '', feed.title or '')}"


def site_key(feed: FeedRecord, feed_id: str, base: str) -> str:
    """Bylines and tags are scoped to a site: the host of its home page, else of
    the feed's own IRI; a feed with neither (a local file with no links) is a
    site of its own, so unrelated feeds never share tags by accident."""
    if not feed_id.startswith(base):
        return host_of(feed.site) or host_of(feed_id) or digest(feed_id)
    return host_of(feed.site) or digest(feed_id)


def story_iri(item: ItemRecord, feed_id: str, base: str, *, shared_link: bool = False) -> str:
    """The canonical link; minted from feed + guid (or content) when there is
    none, or when the feed gives the same link to items that are not the same
    (link-blog entries pointing at one article)."""
    if item.link and not shared_link:
        return item.link
    if item.guid:
        return f"{base}story/{digest(feed_id, item.guid)}"
    published = item.published.isoformat() if item.published else item.published_raw or ""
    return f"{base}story/{digest(feed_id, item.title or '', published, item.summary or '')}"


def paper_iri(paper: PaperRecord, base: str) -> str:
    """Its DOI at doi.org; else its landing page (a journal feed's item
    without DOI); else minted from its title or citation."""
    if paper.doi:
        return doi_iri(paper.doi)
    if paper.url:
        return paper.url
    key = (paper.title or paper.citation or paper.doi_raw or "").casefold()
    return f"{base}paper/{digest(' '.join(key.split()))}"


def authorship_iri(paper_id: str, position: int) -> str:
    return f"{paper_id}#author-{position}"


def reference_person_iri(paper_id: str, position: int) -> str:
    """Authors named by initials are scoped to their paper: "Qian, R." in two
    papers may be two people, so nothing merges them by name."""
    return f"{paper_id}#person-{position}"


def byline_iri(site: str, name: str, base: str) -> str:
    return f"{base}site/{key_segment(site)}/byline/{key_segment(category_key(name))}"


def scheme_iri(site: str, base: str) -> str:
    return f"{base}site/{key_segment(site)}/tags"


def tag_iri(site: str, label: str, base: str) -> str:
    return f"{base}site/{key_segment(site)}/tag/{key_segment(category_key(label))}"


def journal_iri(name: str, base: str, issn: str | None = None) -> str:
    if issn:
        return f"{base}journal/issn/{quote(issn.upper())}"
    return f"{base}journal/{key_segment(journal_key(name))}"


def pubmed_iri(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid)}/"


def arxiv_iri(arxiv_id: str) -> str:
    """The abstract page of the latest version (the id carries no version)."""
    return f"https://arxiv.org/abs/{quote(arxiv_id, safe='/.')}"
