"""JSON Feed 1.0/1.1: every corpus document read with its facts written out,
broken ones refused with a one-line reason, and JSON feeds built through the CLI."""

from __future__ import annotations

import doctest
import http.server
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, ClassVar

import pytest
from rdflib import Graph, URIRef

import kg.feeds.jsonfeed
from kg.cli import main
from kg.errors import FeedError
from kg.extract import extract_feed, extract_item
from kg.extract.text import html_to_lines
from kg.feeds import read_feed
from kg.feeds.jsonfeed import is_json
from kg.types import RawFeed
from kg.vocab import RDF, SDO

from .conftest import DATA, SEED

DIR = DATA / "jsonfeed"


def read(name: str) -> RawFeed:
    return read_feed(str(DIR / name))


def messages(feed: RawFeed) -> list[str]:
    """The warnings without their ``source: `` prefix (which each must have)."""
    prefix = f"{feed.source}: "
    assert all(w.startswith(prefix) and "\n" not in w for w in feed.warnings), feed.warnings
    return [w[len(prefix) :] for w in feed.warnings]


# -- every document, its facts written out ------------------------------------

FEEDS: dict[str, dict[str, Any]] = {
    "3960-journal_v1.1.json": dict(
        version="json11",
        title="fboës - Der Blog | Startseite",
        link="https://journal.3960.org/",
        self_link="https://journal.3960.org/feed.json",
        language="de-DE",
        entries=20,
        warnings=[],
        creators={"Frank Boës"},
    ),
    "authors-test_v1.1.json": dict(
        version="json11",
        title="Author test feed",
        link=None,
        self_link=None,
        language=None,
        entries=4,
        warnings=[],
        creators={
            "Root Author 1",
            "Root Author 2",
            "Legacy Item Author",
            "Item Author 1",
            "Item Author 2",
        },
    ),
    "daringfireball_v1.json": dict(
        version="json10",
        title="Daring Fireball",
        link="https://daringfireball.net/",
        self_link="https://daringfireball.net/feeds/json",
        language=None,
        entries=48,
        warnings=[],
        creators={"John Gruber", "Daring Fireball Department of Commerce"},
    ),
    "extension-test_v1.1.json": dict(
        version="json11",
        title="JSON Extension test feed",
        link=None,
        self_link=None,
        language=None,
        entries=3,
        warnings=[],
        creators=set(),
    ),
    "feedparser_example.json": dict(  # its own "__TEST__": title, 2 entries, not bozo
        version="json10",
        title="My Example Feed",
        link="https://example.org/",
        self_link="https://example.org/feed.json",
        language=None,
        entries=2,
        warnings=[],
        creators={"me", "you"},
    ),
    "gofeed_full_v1.1.json": dict(
        version="json11",
        title="title",
        link="https://sample-json-feed.com",
        self_link="https://sample-json-feed.com/feed.json",
        language="en",
        entries=1,
        warnings=[
            "feed: version '1.1' is not the version URL "
            "'https://jsonfeed.org/version/1.1'; read as it"
        ],
        creators={"author_name"},
    ),
    "humanwhocodes_v1.json": dict(
        version="json10",
        title="Human Who Codes",
        link="https://humanwhocodes.com",
        self_link="https://humanwhocodes.com/feeds/all.json",
        language=None,
        entries=10,
        warnings=[
            "item 'https://humanwhocodes.com/snippets/2026/02/using-your-own-supabase-signing-keys/'"
            " and 9 more: content_html is HTML escaped twice (&lt;p&gt;); unescaped once"
        ],
        creators={"Nicholas C. Zakas"},
    ),
    "influxdata-blog_v1.1.json": dict(
        version="json11",
        title="Blog &#8211; InfluxData",  # a character reference: "–" downstream
        link="https://www.influxdata.com/blog/",
        self_link="https://www.influxdata.com",
        language="en-US",
        entries=3,
        warnings=[],
        creators={"Chris Churilo", "Fake Author 1", "Fake Author 3", "Fake Author 4"},
    ),
    "jsonfeed-unknown-version.json": dict(
        version="json",
        title=None,
        link=None,
        self_link=None,
        language=None,
        entries=0,
        warnings=[
            "feed: version 'https://jsonfeed.org/version/1234' is not JSON Feed 1 or 1.1; "
            "read as JSON Feed 1.1, fields it does not define are ignored"
        ],
        creators=set(),
    ),
    "jsonfeed-wrong-types.json": dict(
        version="json11",
        title=None,
        link=None,
        self_link=None,
        language=None,
        entries=8,
        warnings=[  # tested on their own below
            "feed: title is an array, not a string; ignored",
            "feed: home_page_url is an object, not a string; ignored",
            "feed: feed_url is an object, not a string; ignored",
            "feed: language is an object, not a string; ignored",
            "feed: authors is an object, not an array; ignored",
            "item '2': url is a number, not a string; ignored",
            "item '2': content_html is a boolean (true), not a string; ignored",
            "item '2': content_text is an array, not a string; ignored",
            "item '2': summary is a boolean (true), not a string; ignored",
            "item '2': authors is a string, not an array; ignored",
            "item '2': title is a number, not a string; ignored",
            "item '2': date_modified is an object, not a string; ignored",
            "item '3.1415': author is a string, not an object; ignored",
            "item 'author name' and 1 more: authors[0].name is an array, not a string; ignored",
            "item 'second author is good': authors[0] is a string, not an object; ignored",
        ],
        creators={"Jane"},
    ),
    "lemon24_full_v1.1.json": dict(
        version="json11",
        title="My Example Feed",
        link="https://example.org/",
        self_link="https://example.org/feed.json",
        language="en",
        entries=2,
        warnings=[],
        creators={"Jane"},  # item 2's only author has a URL and no name
    ),
    "lemon24_minimal_v1.1.json": dict(
        version="json11",
        title=None,
        link=None,
        self_link=None,
        language=None,
        entries=1,
        warnings=[],
        creators=set(),
    ),
    "luke-dorny_escaped-uris_v1.1.json": dict(
        version="json11",
        title="Luke Dorny's v6",
        link="https://lukedorny.com",
        self_link="https://lukedorny.com/feed",
        language="en-US",
        entries=30,
        warnings=[],
        creators={"Author: Luke, most likely."},
    ),
    "pxlnv_http-version-url_v1.json": dict(  # http://jsonfeed.org/version/1: no warning
        version="json10",
        title="Pixel Envy",
        link="https://pxlnv.com",
        self_link="https://pxlnv.com/feed/json/",
        language=None,
        entries=20,
        warnings=[],
        creators={"Nick Heer"},
    ),
    "rose_escaped-slashes_v1.json": dict(
        version="json10",
        title="Rosemary Orchard",
        link="https://www.rosemaryorchard.com/blog",
        self_link="https://www.rosemaryorchard.com/blog",
        language=None,
        entries=84,
        warnings=[
            "item 'workflow-add-task-sub-tasks-to-omnifocus' and 83 more: "
            "tags is a string, not an array; read as comma-separated tags"
        ],
        creators={"Rosemary Orchard"},
    ),
}

ERRORS = {
    "rss-in-json_scripting-news.json": 'JSON, but not a JSON Feed: it is "RSS in JSON" '
    "(an rss.channel object); read the site's RSS or JSON Feed URL instead",
    "truncated-jsonfeed_allthis-partial.json": "truncated JSON: the document stops at "
    "line 1, column 12171, inside a string",
}

# (file, item index): every field of the item that is not None or empty.
ENTRIES: dict[tuple[str, int], dict[str, Any]] = {
    ("3960-journal_v1.1.json", 0): dict(
        title="Lecker, lecker",
        link="https://journal.3960.org/posts/2020-02-21-lecker-lecker/",
        guid="user/posts/2020-02-21-lecker-lecker/index.md",
        published="2020-02-21T18:08:06+01:00",
        updated="2020-02-21T18:08:06+01:00",
        creators=("Frank Boës",),  # "authors" and the legacy "author": once
        categories=("Lustiges",),
        summary_html="Da ist es zwar nicht ganz billig, dafür schmeckt's aber auch nicht.",
        links=("https://journal.3960.org/posts/2020-02-21-lecker-lecker/",),
    ),
    ("3960-journal_v1.1.json", 19): dict(
        title="Simplex, Duplex",
        guid="user/posts/2019-02-14-simplex-duplex/index.md",
        categories=("Lustiges", "Programmierung", "Webdevelop"),
    ),
    ("daringfireball_v1.json", 0): dict(
        title="The Talk Show: ‘I Do Like Throwing a Baby’",
        link="https://daringfireball.net/linked/2017/06/26/the-talk-show-195",
        guid="https://daringfireball.net/linked/2017/06/26/the-talk-show-195",
        published="2017-06-27T00:54:17Z",
        updated="2017-06-27T00:54:20Z",
        creators=("John Gruber",),
        links=(  # url first, then the linked article
            "https://daringfireball.net/linked/2017/06/26/the-talk-show-195",
            "https://daringfireball.net/thetalkshow/2017/06/26/ep-195",
        ),
    ),
    ("daringfireball_v1.json", 47): dict(
        title="★ Update on The Talk Show Live From WWDC 2017",
        link="https://daringfireball.net/2017/06/update_on_the_talk_show_live_from_wwdc_2017",
        links=("https://daringfireball.net/2017/06/update_on_the_talk_show_live_from_wwdc_2017",),
        published="2017-06-02T05:41:06Z",
    ),
    ("extension-test_v1.1.json", 0): dict(
        guid="2",
        published="2021-03-05T13:04:04+02:00",
        summary_html="<p>Second item.</p>",  # content stands in for the missing summary
        content_html="<p>Second item.</p>",
        links=(),  # attachments are media, not pages
    ),
    ("feedparser_example.json", 0): dict(
        title="post 2",
        link="https://example.org/second-item",
        guid="2",
        creators=("me",),  # the feed's author
        categories=("test", "JSON"),
        summary_html="This is a second item.",
        content_html="This is a second item.",
        links=("https://example.org/second-item",),
    ),
    ("feedparser_example.json", 1): dict(
        link="https://example.org/initial-post",
        guid="1",
        creators=("you",),
        summary_html="<p>Hello, world!</p>\n\n<script>alert();</script>",
        content_html="<p>Hello, world!</p>\n\n<script>alert();</script>",
        links=("https://example.org/initial-post",),
    ),
    ("gofeed_full_v1.1.json", 0): dict(
        title="title",
        link="https://sample-json-feed.com/id",
        guid="id",
        published="2019-10-12T07:20:50.52Z",
        updated="2019-10-12T07:20:50.52Z",
        creators=("author_name",),
        categories=("tag1", "tag2"),
        summary_html="summary",
        content_html="<p>content_html</p>",  # content_html wins over content_text
        links=("https://sample-json-feed.com/id", "https://sample-json-feed.com/external"),
    ),
    ("humanwhocodes_v1.json", 9): dict(
        title="Introducing Mentoss: The fetch mocker",
        guid="https://humanwhocodes.com/blog/2025/01/introducing-mentoss-fetch-mocker/",
        published="2025-01-27T00:00:00.000Z",
        creators=("Nicholas C. Zakas",),
        categories=("JavaScript", "Open Source", "Fetch"),
    ),
    ("influxdata-blog_v1.1.json", 0): dict(
        title="InfluxDB vs. Graphite for Time Series Data &amp; Metrics Benchmark",
        link="https://www.influxdata.com/blog/influxdb-outperforms-graphite-in-time-series-data-metrics-benchmark",
        published="Fri, 31 May 2019 12:17:58 -0700",
        updated="Fri, 31 May 2019 12:17:58 -0700",
        creators=("Chris Churilo", "Fake Author 1"),  # "authors" wins over "author"
        categories=("InfluxDB", "Community", "Elasticsearch", "Time Series Database"),
    ),
    ("influxdata-blog_v1.1.json", 2): dict(
        title="Fake item",
        link="https://example.com",
        creators=("Fake Author 3", "Fake Author 4"),  # the feed's "authors"
        links=("https://example.com",),
    ),
    ("lemon24_full_v1.1.json", 0): dict(
        title="Title",
        link="https://example.org/second-item",
        guid="2",
        published="2020-01-02T14:00:00-07:00",
        updated="2020-01-04T01:00:00+0100",
        creators=(),  # named by URL only; the feed's authors do not stand in
        summary_html="A summary",
        content_html='Content with <a href="http://example.com/">link</a>',
        links=("https://example.org/second-item",),
    ),
    ("lemon24_minimal_v1.1.json", 0): dict(
        guid="1", summary_html="content", content_html="content"
    ),
    ("luke-dorny_escaped-uris_v1.1.json", 29): dict(
        title="Play",
        link="https://lukedorny.com/updates/play",
        published="2024-07-16T02:25:00-04:00",
        updated="2024-07-16T18:26:29-04:00",
        categories=("Design",),
        links=("https://lukedorny.com/updates/play", "https://play.date"),
    ),
    ("pxlnv_http-version-url_v1.json", 0): dict(
        title="Uber Lost $4.5 Billion in 2017",
        creators=("Nick Heer",),
        links=(
            "https://pxlnv.com/linklog/uber-losses-2017/",
            "https://www.bloomberg.com/news/articles/2018-02-13/"
            "uber-sales-reach-7-5-billion-in-2017-despite-persistent-turmoil",
        ),
    ),
    ("rose_escaped-slashes_v1.json", 0): dict(
        title="Workflow: Add Task &amp; Sub Tasks To OmniFocus",
        link="https://www.rosemaryorchard.com/blog/workflow-add-task-sub-tasks-to-omnifocus",
        guid="workflow-add-task-sub-tasks-to-omnifocus",
        creators=("Rosemary Orchard",),
        categories=("workflow", "omnifocus"),  # from the string "workflow,omnifocus"
        links=("https://www.rosemaryorchard.com/blog/workflow-add-task-sub-tasks-to-omnifocus",),
    ),
    ("jsonfeed-wrong-types.json", 0): dict(guid="2", published="not a date"),
    ("jsonfeed-wrong-types.json", 1): dict(guid="3.1415", title="float id"),
}


def test_every_document_in_the_folder_is_covered():
    files = {p.name for p in DIR.glob("*.json")}
    assert files == set(FEEDS) | set(ERRORS)
    assert len(files) == 17  # 12 from jsonfeed/, 4 from malformed/, feedparser's example


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_feed_facts(name: str):
    facts = FEEDS[name]
    feed = read(name)
    assert feed.version == facts["version"]
    assert feed.title == facts["title"]
    assert feed.link == facts["link"]
    assert feed.self_link == facts["self_link"]
    assert feed.language == facts["language"]
    assert feed.updated is None  # JSON Feed has no feed date
    assert len(feed.entries) == facts["entries"]
    assert messages(feed) == facts["warnings"]
    assert {c for e in feed.entries for c in e.creators} == facts["creators"]
    assert feed.meta == () and all(e.meta == () for e in feed.entries)


@pytest.mark.parametrize(("name", "index"), sorted(ENTRIES))
def test_entry_facts(name: str, index: int):
    entry = read(name).entries[index]
    for field, expected in ENTRIES[name, index].items():
        assert getattr(entry, field) == expected, field


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_broken_documents_are_feed_errors_with_a_one_line_reason(name: str):
    with pytest.raises(FeedError) as info:
        read(name)
    assert info.value.subject == str(DIR / name)
    assert info.value.message == ERRORS[name]


def test_item_counts_and_ids_of_the_real_feeds():
    rose = read("rose_escaped-slashes_v1.json")
    assert sum(len(e.categories) for e in rose.entries) == 119
    assert [e.guid for e in rose.entries[:2]] == [
        "workflow-add-task-sub-tasks-to-omnifocus",
        "fusion-september-is-coming",
    ]
    daring = read("daringfireball_v1.json")
    assert sum(len(e.links) for e in daring.entries) == 90  # 48 urls, 42 external_urls
    assert all(e.link and e.link.startswith("https://daringfireball.net/") for e in daring.entries)


# -- authors ------------------------------------------------------------------


def test_item_authors_fall_back_to_the_feed_as_the_spec_says():
    feed = read("authors-test_v1.1.json")
    assert [(e.guid, e.creators) for e in feed.entries] == [
        ("Item without authors", ("Root Author 1", "Root Author 2")),  # feed "authors" wins
        ("Item with legacy author", ("Legacy Item Author",)),
        ("Item with modern authors", ("Item Author 1", "Item Author 2")),
        ("Item with both", ("Item Author 1", "Item Author 2")),  # "authors" wins
    ]


def test_wrong_types_are_ignored_items_kept():
    feed = read("jsonfeed-wrong-types.json")
    assert [(e.guid, e.creators) for e in feed.entries] == [
        ("2", ()),
        ("3.1415", ()),
        ("author name", ()),
        ("author url", ()),
        ("author name fallback", ()),  # a URL is not a name
        ("author empty dict", ()),
        ("author empty list", ()),  # falls back to the feed's authors: unusable here
        ("second author is good", ("Jane",)),
    ]
    first = feed.entries[0]
    assert (first.title, first.link, first.summary_html, first.content_html) == (None,) * 4


def version_of(value: object) -> tuple[str, list[str]]:
    doc = {"version": value, "items": [{"id": "1", "content_text": "x"}]}
    feed = read_feed("v.json", data=json.dumps(doc).encode())
    return feed.version, messages(feed)


@pytest.mark.parametrize(
    ("value", "version"),
    [
        ("https://jsonfeed.org/version/1.1", "json11"),
        ("https://jsonfeed.org/version/1", "json10"),
        ("http://jsonfeed.org/version/1", "json10"),
        ("https://www.jsonfeed.org/version/1.1", "json11"),
        ("https://jsonfeed.org/version/1.1/", "json11"),
        ("https://jsonfeed.org/version/1.0", "json10"),
    ],
)
def test_version_urls(value: str, version: str):
    assert version_of(value) == (version, [])


def test_versions_that_are_not_the_url_are_read_with_a_warning():
    assert version_of("1") == (
        "json10",
        ["feed: version '1' is not the version URL 'https://jsonfeed.org/version/1'; read as it"],
    )
    assert version_of(1.1)[0] == "json11"
    assert version_of("https://jsonfeed.org/version/2")[0] == "json"
    assert version_of(None) == (
        "json",
        ['feed: no "version"; read as JSON Feed 1.1: its items are JSON Feed items'],
    )


# -- text fields become HTML that reads back as the text ----------------------


def test_plain_text_keeps_its_angle_brackets_and_reads_character_references():
    feed = read("3960-journal_v1.1.json")
    raw = feed.entries[13]
    assert raw.guid == "user/posts/2019-05-08-rueckkehr-von-b-und-i/index.md"
    assert raw.title == "Die Rückkehr von &lt;i&gt; und &lt;b&gt;"
    item = extract_item(raw)
    assert item.title == "Die Rückkehr von <i> und <b>"
    assert item.summary is not None
    assert item.summary.startswith(
        "Vor vielen Jahren haben Web-Entwickler <i>-, <b>- und <u>-Tags im HTML den Rücken gekehrt."
    )
    rose = extract_item(read("rose_escaped-slashes_v1.json").entries[0])
    assert rose.title == "Workflow: Add Task & Sub Tasks To OmniFocus"
    luke = extract_item(read("luke-dorny_escaped-uris_v1.1.json").entries[2])
    assert luke.summary == "Blackletter & thick Tschichold beauty"
    assert extract_feed(read("influxdata-blog_v1.1.json")).title == "Blog – InfluxData"


def test_content_text_lines_survive_as_html_lines():
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "a", "content_text": "First <para>\nsame para\r\n\r\nR&D & more"}],
    }
    entry = read_feed("t.json", data=json.dumps(doc).encode()).entries[0]
    assert entry.content_html == "<p>First &lt;para&gt;<br>same para</p><p>R&amp;D &amp; more</p>"
    assert html_to_lines(entry.content_html) == ["First <para>", "same para", "R&D & more"]


def test_doubly_escaped_content_html_is_unescaped_once():
    entry = read("humanwhocodes_v1.json").entries[0]
    assert entry.content_html is not None
    assert entry.content_html.startswith(
        '<p><a href="https://supabase.com">Supabase</a> uses JWT signing keys'
    )
    assert entry.summary_html is not None and entry.summary_html.startswith(
        "Supabase generates JWT signing keys automatically"
    )


# -- odd values ---------------------------------------------------------------


def one_item(item: object, **feed: object) -> RawFeed:
    doc = {"version": "https://jsonfeed.org/version/1.1", **feed, "items": [item]}
    return read_feed("o.json", data=json.dumps(doc).encode())


def test_ids_of_other_types_become_strings():
    assert one_item({"id": 7}).entries[0].guid == "7"
    assert one_item({"id": True}).entries[0].guid == "true"
    feed = one_item({"id": ["x"], "url": "https://e.org/a"})
    assert feed.entries[0].guid is None
    assert messages(feed) == ["item #1: id is an array, not a string; ignored"]


def test_items_that_are_not_objects_are_skipped_with_a_warning():
    doc = {"version": "https://jsonfeed.org/version/1", "items": [3, {"id": "ok"}, "x", None]}
    feed = read_feed("n.json", data=json.dumps(doc).encode())
    assert [e.guid for e in feed.entries] == ["ok"]
    assert messages(feed) == [
        "item #1: a number, not an object; skipped",
        "item #3: a string, not an object; skipped",
        "item #4: null, not an object; skipped",
    ]


def test_missing_or_wrong_items_read_as_an_empty_feed_with_a_warning():
    doc = b'{"version": "https://jsonfeed.org/version/1.1", "title": "T"}'
    assert messages(read_feed("m.json", data=doc)) == ['feed: no "items" array']
    doc = b'{"version": "https://jsonfeed.org/version/1.1", "items": {"a": 1}}'
    assert messages(read_feed("m.json", data=doc)) == [
        "feed: items is an object, not an array; no items read"
    ]


def test_null_means_absent_and_url_falls_back_to_external_url():
    feed = one_item({"id": "a", "url": None, "external_url": " https://e.org/x ", "title": ""})
    entry = feed.entries[0]
    assert (entry.link, entry.links, entry.title) == ("https://e.org/x", ("https://e.org/x",), None)
    assert feed.warnings == ()


def test_tags_are_strings_and_repeated_ones_count_once():
    feed = one_item({"id": "a", "tags": ["x", 2, " y ", "x", ""]})
    assert feed.entries[0].categories == ("x", "y")
    assert messages(feed) == ["item 'a': tags[1] is a number, not a string; ignored"]


def test_lone_surrogates_become_replacement_characters():
    doc = b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": "a\\ud800", '
    doc += b'"title": "\\ud83d\\ude00 ok"}]}'
    entry = read_feed("s.json", data=doc).entries[0]
    assert (entry.guid, entry.title) == ("a\ufffd", "\U0001f600 ok")


def test_bytes_that_are_not_utf8_are_replaced_with_a_warning():
    doc = b'{"version": "https://jsonfeed.org/version/1", "title": "caf\xe9", "items": []}'
    feed = read_feed("l.json", data=doc)
    assert feed.title == "caf\ufffd"
    assert messages(feed) == ["document: not valid utf-8 at byte 59; bad bytes replaced"]


# -- bad input: one-line FeedErrors --------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"items": [1, 2',
            "truncated JSON: the document stops at line 1, column 16, in the middle of a value",
        ),
        (
            b'{"title": "abc',
            "truncated JSON: the document stops at line 1, column 15, "
            "inside a string that starts at line 1, column 11",
        ),
        (
            b'{\n  "expired": fals\n',
            "truncated JSON: the document stops at line 2, column 18, in the middle of a value",
        ),
        (
            b"{oops}",
            "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2",
        ),
        (b'{"a": 1} {"b": 2}', "not valid JSON: Extra data at line 1, column 10"),
        (b"[1, 2]", "JSON, but not a JSON Feed: the document is an array"),
        (b"[" * 100_000, "JSON nested too deeply to read; not a feed"),
        (
            b'{"total_count": 1, "items": [{"id": 1, "title": "an issue", "body": "x"}]}',
            'JSON, but not a JSON Feed: no "version" naming https://jsonfeed.org/version/1.1 '
            "and no \"items\" of feed items (top-level keys: 'total_count', 'items')",
        ),
    ],
)
def test_bad_json_is_a_feed_error(data: bytes, message: str):
    with pytest.raises(FeedError) as info:
        read_feed("bad.json", data=data)
    assert str(info.value) == f"bad.json: {message}"


def test_huge_numbers_are_refused_not_crashed_on():
    with pytest.raises(FeedError, match=r"^big\.json: not valid JSON \(Exceeds the limit"):
        read_feed("big.json", data=b'{"version": ' + b"9" * 5000 + b"}")


# -- routing by content ---------------------------------------------------------

DOC = '{"version": "https://jsonfeed.org/version/1.1", "title": "é", "items": []}'


@pytest.mark.parametrize(
    "data",
    [
        DOC.encode(),
        b"\xef\xbb\xbf \r\n\t" + DOC.encode(),
        DOC.encode("utf-16"),  # with a BOM
        DOC.encode("utf-16-le"),  # RFC 4627 detection by the zero bytes
        DOC.encode("utf-32"),
    ],
)
def test_json_is_told_by_content_after_a_bom_and_whitespace(data: bytes):
    assert is_json(data)
    feed = read_feed("feed.xml", data=data)  # the name says nothing
    assert (feed.version, feed.title) == ("json11", "é")


def test_xml_is_not_taken_for_json(tmp_path: Path):
    assert not is_json(SEED.read_bytes())
    assert not is_json(b"")
    path = tmp_path / "really-rss.json"
    path.write_bytes(SEED.read_bytes())
    assert read_feed(str(path)).version == "rss20"


def test_module_doctests():
    assert doctest.testmod(kg.feeds.jsonfeed).failed == 0


class _Handler(http.server.BaseHTTPRequestHandler):
    body: ClassVar[bytes] = (DIR / "gofeed_full_v1.1.json").read_bytes()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/feed+json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def test_read_from_a_url():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/feed"
        feed = read_feed(url)
    finally:
        httpd.shutdown()
    assert (feed.source, feed.version, len(feed.entries)) == (url, "json11", 1)
    assert feed.entries[0].link == "https://sample-json-feed.com/id"


# -- through the CLI ----------------------------------------------------------


def stories(out: Path) -> dict[str, str]:
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    return {
        str(s): str(graph.value(s, SDO.headline)) for s in graph.subjects(RDF.type, SDO.NewsArticle)
    }


def test_build_a_json_feed(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = DIR / "influxdata-blog_v1.1.json"
    assert main(["build", str(path), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "items: 3 new, 0 updated, 0 unchanged, 0 kept from earlier reads, 0 set aside" in err
    assert "conforms" in err
    blog = "https://www.influxdata.com/blog/influxdb-"
    benchmark = "for Time Series Data & Metrics Benchmark"
    assert stories(tmp_path) == {
        f"{blog}outperforms-graphite-in-time-series-data-metrics-benchmark": (
            f"InfluxDB vs. Graphite {benchmark}"
        ),
        f"{blog}markedly-elasticsearch-in-time-series-data-metrics-benchmark": (
            f"InfluxDB vs. Elasticsearch {benchmark}"
        ),
        "https://example.com/": "Fake item",
    }
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["conforms"] is True and report["feeds"][0]["format"] == "json11"
    graph = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    feed = URIRef("https://www.influxdata.com/")
    assert str(graph.value(feed, SDO.name)) == "Blog – InfluxData"
    authors = {
        str(graph.value(a, SDO.name))
        for a in graph.objects(URIRef("https://example.com/"), SDO.author)
    }
    assert authors == {"Fake Author 3", "Fake Author 4"}


def test_build_from_stdin_in_a_real_subprocess(tmp_path: Path):
    run = subprocess.run(
        [sys.executable, "-m", "kg", "build", "-", "--out", str(tmp_path)],
        input=(DIR / "daringfireball_v1.json").read_bytes(),
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert b"items: 48 new, 0 updated, 0 unchanged" in run.stderr
    assert b"Traceback" not in run.stderr
    built = stories(tmp_path)
    assert len(built) == 48
    assert (
        built["https://daringfireball.net/linked/2017/06/26/the-talk-show-195"]
        == "The Talk Show: ‘I Do Like Throwing a Baby’"
    )


def test_build_a_broken_json_feed_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = DIR / "rss-in-json_scripting-news.json"
    assert main(["build", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"kg: error: {path}: {ERRORS[path.name]}"]
