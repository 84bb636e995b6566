"""HTML to plain text, and the cleaning every literal goes through.

Feeds put HTML in titles, summaries and bodies; literals in the graph must be
plain text with no markup and no control characters, so everything textual
passes :func:`clean` or :func:`html_to_lines` on its way to a record.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    (
        "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header "
        "footer figure figcaption pre hr dt dd"
    ).split()
)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_TAG_LIKE = re.compile(r"</?[A-Za-z][^<>]*>")


def clean(text: str | None) -> str | None:
    """One-line plain text: control characters gone, whitespace collapsed."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    text = " ".join(text.split())
    return text or None


def inline_text(value: str | None) -> str | None:
    """Plain text of a short field (a title) that may carry markup or entities."""
    if value is None:
        return None
    if "<" in value or "&" in value:
        value = html.unescape(_TAG_LIKE.sub("", value))
    return clean(value)


class _LineCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skip = 0

    def _break(self) -> None:
        line = clean("".join(self._current))
        if line:
            self.lines.append(line)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)


def html_to_lines(fragment: str) -> list[str]:
    """Block-level lines of an HTML fragment (paragraphs, list items, <br> breaks)."""
    collector = _LineCollector()
    collector.feed(fragment)
    collector.close()
    collector._break()
    return collector.lines


def html_to_text(fragment: str | None) -> str | None:
    """The whole fragment as one paragraph of plain text."""
    if fragment is None:
        return None
    if "<" not in fragment and "&" not in fragment:
        return clean(fragment)
    return clean(" ".join(html_to_lines(fragment)))
