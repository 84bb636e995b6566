"""Plain records passed between pipeline stages.

``RawFeed``/``RawEntry`` leave the feed reader (strings as the feed wrote
them); ``FeedRecord``/``ItemRecord``/``PaperRecord`` leave extraction (clean,
typed values).  No third-party object crosses a stage boundary, so each stage
can be tested and replaced on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One feed item as the reader found it; nothing cleaned yet."""

    title: str | None = None
    link: str | None = None
    guid: str | None = None
    published: str | None = None  #: date text as written (RFC 822 or ISO 8601)
    updated: str | None = None
    creators: tuple[str, ...] = ()  #: every dc:creator / author, as written
    categories: tuple[str, ...] = ()
    summary_html: str | None = None
    content_html: str | None = None
    #: Every link the item gives (RSS <link>, each Atom <link href>), in order.
    links: tuple[str, ...] = ()
    #: Bibliographic metadata elements, every occurrence in document order, as
    #: ("prefix:localName", text) with a fixed prefix per vocabulary, whatever
    #: prefix the feed used: "prism:", "dc:", "dcterms:", "arxiv:"; plus
    #: ("foaf:maker", "Family, Given") per foaf:maker/foaf:Person and
    #: ("rdf:about", uri) for an RSS 1.0 item.  An element that points with
    #: rdf:resource instead of holding text gives that IRI as its text.
    meta: tuple[tuple[str, str], ...] = ()

    def meta_values(self, key: str) -> tuple[str, ...]:
        """Every non-empty value of one metadata element, in document order."""
        return tuple(v for k, v in self.meta if k == key and v)


@dataclass(frozen=True, slots=True)
class RawFeed:
    """One feed document as the reader found it."""

    source: str  #: path, URL or "-" as the user gave it
    version: str  #: feed format as detected, e.g. "rss20", "atom10"
    title: str | None = None
    link: str | None = None  #: the site's home page
    self_link: str | None = None  #: where the feed says it lives
    language: str | None = None
    updated: str | None = None
    entries: tuple[RawEntry, ...] = ()
    warnings: tuple[str, ...] = ()  #: recoverable problems, one line each
    #: The channel's bibliographic metadata, as in :attr:`RawEntry.meta`
    #: (a journal feed names its journal and ISSN once, for every item).
    meta: tuple[tuple[str, str], ...] = ()

    def meta_values(self, key: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.meta if k == key and v)


@dataclass(frozen=True, slots=True)
class PersonName:
    """An author named in a reference: family name and initials, Unicode kept."""

    family: str
    given: str  #: initials as written ("R.", "J.-P."), or a full given name

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}".strip()


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """The scholarly article a story reports on, as its footer states it."""

    doi: str | None = None  #: normalised DOI (case as written) or None
    doi_raw: str | None = None  #: what the source said, when it is not a valid DOI
    title: str | None = None
    authors: tuple[PersonName, ...] = ()
    truncated: bool = False  #: the author list ended with "et al."
    journal: str | None = None  #: journal name as written
    journal_title: str | None = None  #: its full title, when the abbreviation lists know it
    volume: str | None = None
    issue: str | None = None
    article_number: str | None = None
    pages: tuple[str, str | None] | None = None  #: (start, end)
    year: int | None = None
    published: date | None = None
    keywords: tuple[str, ...] = ()
    citation: str | None = None  #: the raw citation string
    subject: str | None = None  #: "Subject of Research" text
    issns: tuple[str, ...] = ()  #: the journal's ISSNs ("1234-567X"), print and electronic
    pmid: str | None = None  #: PubMed identifier, digits only
    arxiv_id: str | None = None  #: arXiv identifier without version ("1707.08567")
    url: str | None = None  #: the landing page, when a feed item is the paper
    #: Where the facts come from, for merging: "item" (a journal, preprint or
    #: database feed whose item is the paper) outranks "reference" (a news
    #: story's footer or citation) and "mention" (a bare DOI in a text).
    origin: str = "reference"
    #: Set by merging: the other sources' printed references and "Subject of
    #: Research" texts, so that what each source said survives.
    more_citations: tuple[str, ...] = ()
    more_subjects: tuple[str, ...] = ()

    @property
    def doi_key(self) -> str | None:
        """DOIs are case-insensitive: identity uses the lower-case form."""
        return self.doi.lower() if self.doi else None


class BylineKind(Enum):
    PERSON = "Person"
    ORGANIZATION = "Organization"


@dataclass(frozen=True, slots=True)
class Byline:
    name: str
    kind: BylineKind = BylineKind.PERSON


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One story, cleaned: what mapping needs and nothing feed-format-specific."""

    index: int  #: position in its feed (for messages about items without link)
    title: str | None
    link: str | None  #: canonical http(s) link, None when there is no usable one
    link_raw: str | None  #: the link as written, kept when it is unusable
    guid: str | None
    published: datetime | None
    published_raw: str | None  #: date text that could not be parsed
    updated: datetime | None
    updated_raw: str | None
    bylines: tuple[Byline, ...]
    categories: tuple[str, ...]
    summary: str | None
    image_credit: str | None = None
    papers: tuple[PaperRecord, ...] = ()  #: papers the item cites or reports on
    warnings: tuple[str, ...] = ()
    #: Set when the item *is* a paper (journal, preprint, PubMed feeds): it is
    #: then mapped as that schema:ScholarlyArticle, not as a story.
    article: PaperRecord | None = None

    @property
    def label(self) -> str:
        """How messages name this item: its link, else its guid, else its place."""
        return self.link or self.link_raw or self.guid or f"item #{self.index + 1}"


@dataclass(frozen=True, slots=True)
class FeedRecord:
    source: str
    version: str
    title: str | None
    site: str | None  #: site home page (http(s))
    self_link: str | None
    language: str | None
    updated: datetime | None
    items: tuple[ItemRecord, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result, located: which item, which node, which property, why."""

    severity: str  #: "Violation", "Warning" or "Info"
    focus: str
    path: str | None
    value: str | None
    message: str
    component: str
    shape: str | None
    item: str | None = None  #: the story IRI the focus node belongs to
    feed: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...] = field(default_factory=tuple)
