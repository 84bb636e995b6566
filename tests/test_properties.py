"""Properties over arbitrary input (hypothesis): nothing crashes, nothing is lost,
and what is written parses back to the same graph."""

from __future__ import annotations

from datetime import UTC, datetime

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import build, to_turtle
from kg.extract import extract_item
from kg.extract.dois import normalize_doi
from kg.extract.footer import parse_citation
from kg.extract.names import parse_reference_authors, split_bylines
from kg.types import FeedRecord, RawEntry

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
maybe = st.none() | text


@st.composite
def raw_entries(draw: st.DrawFn) -> RawEntry:
    body = draw(maybe)
    if draw(st.booleans()):
        body = (
            f"<p><strong>Article Title</strong>: {draw(text)}</p>"
            f"<p><strong>Article References</strong>: {draw(text)}</p>"
            f"<p><strong>DOI</strong>: {draw(text)}</p>"
            f"<p><strong>Keywords</strong>: {draw(text)}</p>"
        )
    return RawEntry(
        title=draw(maybe),
        link=draw(
            st.none() | st.sampled_from(["https://e.org/a", "javascript:x()", "/rel"]) | text
        ),
        guid=draw(maybe),
        published=draw(st.none() | st.sampled_from(["Sat, 14 Feb 2026 05:25:34 +0000"]) | text),
        updated=draw(maybe),
        creators=tuple(draw(st.lists(text, max_size=3))),
        categories=tuple(draw(st.lists(text, max_size=4))),
        summary_html=draw(maybe),
        content_html=body,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_entries(), min_size=1, max_size=4))
def test_any_items_give_a_conforming_graph_or_a_reported_rejection(entries):
    items = tuple(extract_item(e, index=i) for i, e in enumerate(entries))
    feed = FeedRecord(
        source="prop.xml",
        version="rss20",
        title="T",
        site="https://e.org/",
        self_link="https://e.org/feed",
        language="en",
        updated=datetime(2025, 1, 1, tzinfo=UTC),
        items=items,
    )
    result = build([feed])
    assert result.conforms
    (summary,) = result.feeds
    assert summary.kept + summary.rejected == len(entries)  # nothing lost
    for rejected in result.rejected:
        assert rejected.reasons
    turtle = to_turtle(result.triples)
    parsed = {q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)}
    assert parsed == set(result.triples)


@given(text)
def test_doi_normalisation_is_idempotent_and_valid(raw):
    doi = normalize_doi(raw)
    if doi is not None:
        assert normalize_doi(doi) == doi
        assert doi.startswith("10.") and "/" in doi and not any(c.isspace() for c in doi)


@given(text)
def test_citation_and_name_parsers_never_crash(raw):
    paper = parse_citation(raw)
    assert paper.citation == raw
    authors, _, end = parse_reference_authors(raw)
    assert 0 <= end <= len(raw)
    assert all(a.family for a in authors)
    assert all(b.name for b in split_bylines([raw]))
