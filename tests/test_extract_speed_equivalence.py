"""The fast paths of extraction give what the plain code they replaced gave.

Extraction was made faster by substring tests before regexes, tries instead
of alternations, caches and fast paths for the usual input.  Each rests on a
fact about Unicode, the regex engine or the standard library; the facts are
checked here, and each fast path is compared, on arbitrary and on nasty
input, with a copy of the code it replaced (``_reference_*``).
"""

from __future__ import annotations

import email.utils
import html
import re
import sys
import unicodedata
from datetime import datetime
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import citations, dates, doi_links, dois, footer, names, text, urls

ALL_CHARS = "".join(map(chr, range(sys.maxunicode + 1)))
#: Characters the case-insensitive regexes treat like ASCII letters, and others
#: that break naive assumptions (combining marks, odd spaces, controls).
NASTY = "İıſKkKsSiI\u0307\u0301\u00a0\u2028\u3000\x85\x1c\x00\t\n\r é’“”"


def html_like(max_size: int = 120) -> st.SearchStrategy[str]:
    """Strings made of tag, entity and DOI fragments, with nasty characters in between."""
    pieces = st.sampled_from(
        [
            "<p>", "</p>", "<br />", "< / P >", "<P class='a>b'>", '<div a=">">', "<li>",
            "<h1>", "<tr>", "<track>", "<b>", "</b>", "<i>", "<strong>", "</strong>",
            "<script>", "</script>", "<ſcript>", "<STYLE>", "</style >", "<template>",
            "<!--", "-->", "&amp;", "&#8220;", "&not", "&ampx", " ", "  ", "\n", "x",
            "10.1038/abc", "10.1234/x.y", "doi.org/", "https://doi.org/10.1002/lno.7",
            "v2.10.1234/a", "%2F10.5555/z", "Original Research:", "more INFORMATION",
            "journal reference", "Journal", "Article Title", "DOI:",
        ]
    )  # fmt: skip
    return st.lists(st.one_of(pieces, st.text(alphabet=NASTY, max_size=3)), max_size=40).map(
        lambda parts: "".join(parts)[: max_size * 4]
    )


# --- facts -----------------------------------------------------------------------------


def test_only_two_non_ascii_characters_lower_to_ascii():
    """Why citations._ascii_folded finds a label word exactly when str.lower() does."""
    found = {c for c in ALL_CHARS if not c.isascii() and any(x.isascii() for x in c.lower())}
    assert found == {"\u0130", "\u212a"}  # "İ" lowers to "i" + U+0307, "K" to "k"
    for word in citations._LABEL_WORDS + citations._HINTS:
        assert word.isascii() and "k" not in word and not word.endswith("i")
        assert all(c.isalpha() or c == " " for c in word)


def test_control_characters_and_odd_whitespace_are_not_printable():
    """Why text.clean may skip its regex and split when str.isprintable() holds."""
    assert [c for c in ALL_CHARS if c.isspace() and c.isprintable()] == [" "]
    assert not any(c.isprintable() for c in text._CONTROL.findall(ALL_CHARS))


def test_case_insensitive_letters_are_the_ones_the_patterns_assume():
    """re.IGNORECASE matches "s" as "ſ" and "i" as "ı"/"İ": the lookahead class of
    citations._HIDDEN accepts exactly the first letters its names accept."""
    first = set(re.findall("(?i:s|t|n)", ALL_CHARS))
    assert set(re.findall("(?i)[stn]", ALL_CHARS)) == first
    assert first == set("sStTnN\u017f")


# --- references: the code before the fast paths ----------------------------------------

_REFERENCE_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:"
    + "|".join(sorted(text._BLOCK_TAGS, key=len, reverse=True))
    + r")\b[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>",
    re.IGNORECASE,
)
_REFERENCE_HIDDEN = re.compile(r"<!--|<\s*(script|style|template|noscript)\b", re.IGNORECASE)
_REFERENCE_IN_TEXT = re.compile(r"\b10\.[0-9]{4,9}(?:\.[0-9]+)*/[^\s\"'<>]+")


def _reference_clean(value: str | None) -> str | None:
    if value is None:
        return None
    if text._CONTROL.search(value):
        value = text._CONTROL.sub(" ", value)
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    value = " ".join(value.split())
    return value or None


def _reference_html_to_lines(fragment: str) -> list[str]:
    body = text._SKIPPED.sub(" ", text._COMMENT.sub(" ", fragment))
    lines = []
    for block in _REFERENCE_BLOCK_TAG.split(body):
        line = _reference_clean(html.unescape(text._ANY_TAG.sub("", block)))
        if line:
            lines.append(line)
    return lines


def _reference_visible(body: str) -> str:
    lowered = body.lower()
    parts: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    while (match := _REFERENCE_HIDDEN.search(body, pos)) is not None:
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
    parts.append(body[pos:])
    return "".join(parts)


def _reference_find_dois(value: str) -> list[str]:
    seen: dict[str, str] = {}
    for match in _REFERENCE_IN_TEXT.finditer(value):
        doi = dois.normalize_doi(match.group(0))
        if doi and doi.lower() not in seen:
            seen[doi.lower()] = doi
    return list(seen.values())


def _reference_split_keywords(value: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in value:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        if char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _reference_authors(value: str) -> tuple[tuple[object, ...], bool, int]:
    authors: list[object] = []
    pos = 0
    while True:
        match = names._AUTHOR.match(value, pos)
        if not match:
            break
        given = " ".join(match.group("given").split()).replace(". -", ".-").replace("- ", "-")
        authors.append(names.PersonName(family=match.group("family").strip(), given=given.strip()))
        pos = match.end()
        et_al = names._ET_AL.match(value, pos)
        if et_al:
            return tuple(authors), True, et_al.end()
        sep = names._SEPARATOR.match(value, pos)
        if not sep or not names._AUTHOR.match(value, sep.end()):
            break
        pos = sep.end()
    return tuple(authors), False, pos


def _reference_canonical_url(raw: str | None) -> str | None:
    if not raw:
        return None
    value = raw.strip()
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host or any(c in host for c in ' <>"{}|\\^`'):
        return None
    default_port = {"http": 80, "https": 443}[scheme]
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if any(k.lower().startswith("utm_") for k, _ in pairs):
        kept = [(k, v) for k, v in pairs if not k.lower().startswith("utm_")]
        query = quote(urlencode(kept), safe=urls._QUERY_SAFE) if kept else ""
    else:
        query = quote(parts.query, safe=urls._QUERY_SAFE)
    path = quote(parts.path or "/", safe=urls._PATH_SAFE)
    return urlunsplit((scheme, netloc, path, query, ""))


def _reference_rfc822(value: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


# --- each fast path against its reference ---------------------------------------------

nasty_text = st.text(alphabet=st.sampled_from(NASTY + "ab.-"), max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.one_of(nasty_text, st.text(max_size=40)))
def test_clean(value):
    assert text.clean(value) == _reference_clean(value)


@settings(max_examples=400, deadline=None)
@given(html_like())
def test_html_to_lines_and_block_trie(fragment):
    assert text._BLOCK_TAG.split(fragment) == _REFERENCE_BLOCK_TAG.split(fragment)
    assert text.html_to_lines(fragment) == _reference_html_to_lines(fragment)
    lines = _reference_html_to_lines(fragment)
    expected = fragment if "<" not in fragment and "&" not in fragment else " ".join(lines)
    assert text.html_to_text(fragment) == _reference_clean(expected)


def test_word_trie_is_the_alternation():
    words = ["d", "dd", "ddx", "div", "h1", "hr", "header", "p", "pre"]
    trie = re.compile(rf"(?:{text.word_trie(words)})\b")
    alternation = re.compile(rf"(?:{'|'.join(words)})\b")
    for sample in ("d ", "dd", "ddx", "ddy", "div", "h1", "h2", "hr", "header", "pre", "p>"):
        assert bool(trie.match(sample)) == bool(alternation.match(sample)), sample


@settings(max_examples=400, deadline=None)
@given(html_like())
def test_visible_body_and_label_tests(body):
    assert citations._visible(body) == _reference_visible(body)
    folded = citations._ascii_folded(body)
    lowered = body.lower()
    for word in citations._LABEL_WORDS + citations._HINTS + ("10.",):
        assert (word.encode() in folded) == (word in lowered), word


@settings(max_examples=400, deadline=None)
@given(html_like())
def test_doi_scans(body):
    fast = [(m.span(), m.group(0)) for m in doi_links._dois_at(body)]
    assert fast == [(m.span(), m.group(0)) for m in doi_links._DOI_AT.finditer(body)]
    assert dois.find_dois(body) == _reference_find_dois(body)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab (),;[]-." + "İ"), max_size=40))
def test_split_keywords(value):
    expected: dict[str, str] = {}
    for part in _reference_split_keywords(value):
        keyword = _reference_clean(dois.strip_trailing(part.strip()))
        if keyword and keyword.casefold() not in expected:
            expected[keyword.casefold()] = keyword
    assert footer.split_keywords(value) == (tuple(expected.values()) if value else ())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Qian", "van der Berg", "R.", "J.-P.", ", ", " and ", " & ", "et al."]),
        max_size=12,
    ).map("".join)
)
def test_reference_authors(value):
    assert names.parse_reference_authors(value) == _reference_authors(value)


url_parts = st.sampled_from(
    ["http", "https", "HTTP", "://", "example.org", "EXAMPLE.org", "a.b-c", ":443", ":80",
     ":8080", "/", "//", "/a_b.c~d", "/%41", "?", "utm_source=x", "&", "#top", "@", " ",
     "é", "[::1]", "x", "-", ".", "\t"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(url_parts, max_size=10).map("".join))
def test_canonical_url(raw):
    assert urls.canonical_url(raw) == _reference_canonical_url(raw)


def test_canonical_url_resolves_relative_links_as_before():
    base = "https://example.org/blog/"
    for raw in ("/2025/story", "story", "https://example.org", "//cdn.example.org/x"):
        assert urls.canonical_url(raw, base=base) == _reference_canonical_url(urljoin(base, raw))


day_parts = st.tuples(
    st.sampled_from(["Mon", "Sat", "Foo"]),
    st.sampled_from(["0", "1", "14", "31", "32", "١٤"]),
    st.sampled_from(["Jan", "Feb", "Dec", "Xyz"]),
    st.sampled_from(["1999", "2026", "0099", "9999"]),
    st.sampled_from(["00", "05", "23", "24"]),
    st.sampled_from(["00", "59", "60"]),
    st.sampled_from(["+0000", "-0000", "+0530", "-0800", "+2400", "+0099", "-2359"]),
)


@settings(max_examples=500, deadline=None)
@given(day_parts)
def test_usual_rfc822_dates(parts):
    week, day, month, year, hour, minute, zone = parts
    value = f"{week}, {day} {month} {year} {hour}:{minute}:{minute} {zone}"
    assert repr(dates._rfc822(value)) == repr(_reference_rfc822(value))
