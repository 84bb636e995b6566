"""Extraction: raw feed records to clean, typed records (pure; no I/O, no RDF).

Each item is read on its own: a value that cannot be cleaned (a date that is
not a date, a link that is not http(s), a DOI that is not a DOI) is kept in
its ``*_raw`` field so that mapping can state it and the shapes can reject the
item with a precise reason, instead of the item silently losing the fact.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from kg.extract.bibliographic import article_from_entry
from kg.extract.citations import papers_besides, papers_in_html
from kg.extract.dates import parse_datetime
from kg.extract.dois import find_dois, normalize_doi
from kg.extract.footer import paper_from_footer, read_footer
from kg.extract.merge import merge_papers, paper_key
from kg.extract.names import split_bylines
from kg.extract.text import clean, html_to_text, inline_text
from kg.extract.urls import canonical_url
from kg.types import FeedRecord, ItemRecord, PaperRecord, RawEntry, RawFeed

_NO_FEED = RawFeed(source="", version="")


def extract_feed(raw: RawFeed) -> FeedRecord:
    """Clean a whole feed; every entry becomes an :class:`ItemRecord`."""
    warnings = list(raw.warnings)
    updated = parse_datetime(raw.updated)
    if raw.updated and updated is None:
        warnings.append(f"{raw.source}: feed date {raw.updated!r} is not a date; ignored")
    if not raw.entries:
        warnings.append(f"{raw.source}: the feed has no items")
    # Relative links resolve against where the feed is: its URL when it was
    # fetched, else the absolute self or site link it states.
    source_url = canonical_url(raw.source)
    base = source_url or canonical_url(raw.self_link) or canonical_url(raw.link)
    return FeedRecord(
        source=raw.source,
        version=raw.version,
        title=inline_text(raw.title),
        site=canonical_url(raw.link, base=base),
        self_link=canonical_url(raw.self_link, base=base),
        language=_language(raw.language),
        updated=updated,
        items=tuple(
            extract_item(entry, index=i, base=base, feed=raw) for i, entry in enumerate(raw.entries)
        ),
        warnings=tuple(warnings),
    )


def extract_item(
    entry: RawEntry, *, index: int = 0, base: str | None = None, feed: RawFeed | None = None
) -> ItemRecord:
    """Clean one item.  ``feed`` (the item's own feed) lends its channel
    metadata to items that are papers: a journal feed names its journal once."""
    link = canonical_url(entry.link, base=base)
    link_raw = None if link else clean(entry.link)
    warnings: list[str] = []
    if link_raw and ":" not in link_raw.split("/", 1)[0]:
        # A relative link with nothing to resolve it against (a local file
        # that names no address) is harmless, unlike javascript: or data:.
        warnings.append(f"relative link {link_raw!r} cannot be resolved; the story has no link")
        link_raw = None
    published = parse_datetime(entry.published)
    updated = parse_datetime(entry.updated)
    footer = read_footer(entry.content_html) or read_footer(entry.summary_html)
    found: list[PaperRecord] = []
    image_credit = None
    if footer is not None:
        paper = paper_from_footer(footer)
        found += [paper] if paper is not None else []
        image_credit = clean(footer.fields.get("image_credit"))
        cited = find_dois(footer.fields.get("citation") or "")
        if paper and paper.doi and cited and cited[0].lower() != paper.doi.lower():
            warnings.append(
                f"footer DOI {paper.doi!r} differs from the citation's DOI {cited[0]!r}; "
                "the DOI field wins"
            )
    article = article_from_entry(entry, feed or _NO_FEED)
    if article is not None:
        article = replace(article, origin="item", url=article.url or link)
    # Every paper the text names, once per paper: the footer's reading first,
    # then the other citation formats and bare DOI mentions of body and summary.
    blocks = footer is None  # the footer is such a block, already read
    # Mentions of the footer's DOI would merge into the footer's paper: not built.
    named = frozenset((found[0].doi.lower(),)) if found and found[0].doi else frozenset()
    found += papers_besides(entry.content_html, named, field_blocks=blocks)
    if entry.summary_html and entry.summary_html != entry.content_html:
        found += papers_besides(entry.summary_html, named, field_blocks=blocks)
    if entry.title and "10." in entry.title:  # a corrigendum's title names what it corrects
        found += papers_in_html(entry.title)
    own = paper_key(article) if article is not None else None
    papers = tuple(p for k, p in merge_papers(found).items() if k != own)
    return ItemRecord(
        index=index,
        title=inline_text(entry.title),
        link=link,
        link_raw=link_raw,
        guid=clean(entry.guid),
        published=published,
        published_raw=clean(entry.published) if published is None else None,
        updated=updated if updated != published else None,
        updated_raw=clean(entry.updated) if updated is None else None,
        # An item that is a paper names its authors, not its bylines.
        bylines=split_bylines(entry.creators) if article is None else (),
        categories=merge_categories(entry.categories),
        summary=html_to_text(entry.summary_html),
        image_credit=image_credit,
        papers=papers,
        warnings=tuple(warnings),
        article=article,
    )


def category_key(label: str) -> str:
    """Labels that differ only in case or spacing are one category."""
    return " ".join(label.split()).casefold()


@lru_cache(maxsize=8192)
def _category(label: str) -> tuple[str | None, str]:
    """A label's text and key.  A site tags thousands of items with a few hundred
    labels, so each is cleaned once, not once per item."""
    text = inline_text(label)
    return text, category_key(text) if text else ""


def merge_categories(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Trimmed, non-empty, first spelling kept for labels equal up to case/spacing.

    >>> merge_categories((" Neuro  Science", "", "neuro science", "ECT"))
    ('Neuro Science', 'ECT')
    """
    seen: dict[str, str] = {}
    for label in labels:
        text, key = _category(label)
        if text and key not in seen:
            seen[key] = text
    return tuple(seen.values())


def _language(text: str | None) -> str | None:
    """A BCP 47 tag or nothing: RDF language tags must be well-formed."""
    value = clean(text)
    if not value:
        return None
    value = value.replace("_", "-")
    parts = value.split("-")
    if all(p.isalnum() and p.isascii() and 1 <= len(p) <= 8 for p in parts) and parts[0].isalpha():
        return value
    return None


__all__ = ["category_key", "extract_feed", "extract_item", "merge_categories", "normalize_doi"]
