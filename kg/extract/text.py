"""HTML to plain text, and the cleaning every literal goes through.

Feeds put HTML in titles, summaries and bodies; literals in the graph must be
plain text with no markup and no control characters, so everything textual
passes :func:`clean` or :func:`html_to_lines` on its way to a record.
"""

from __future__ import annotations

import html
import re
import unicodedata

_BLOCK_TAGS = frozenset(
    (
        "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header "
        "footer figure figcaption pre hr dt dd"
    ).split()
)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean(text: str | None) -> str | None:
    """One-line plain text: control characters gone, whitespace collapsed."""
    if text is None:
        return None
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if not text.isascii():  # ASCII is NFC already; the check is the hot path
        text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    return text or None


def inline_text(value: str | None) -> str | None:
    """Plain text of a short field (a title) that may carry markup or entities."""
    if value is None:
        return None
    if "<" in value or "&" in value:
        # script and style bodies are code, not title text: dropped, as in bodies
        value = html.unescape(_ANY_TAG.sub("", _SKIPPED.sub("", value)))
    return clean(value)


_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:"
    + "|".join(sorted(_BLOCK_TAGS, key=len, reverse=True))
    + r")\b[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>",
    re.IGNORECASE,
)
_SKIPPED = re.compile(
    r"<\s*(" + "|".join(_SKIP_TAGS) + r")\b.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
#: A tag: attribute values in quotes may contain ">".
_ANY_TAG = re.compile(r"</?[A-Za-z!?][^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>")


def html_to_lines(fragment: str) -> list[str]:
    """Block-level lines of an HTML fragment (paragraphs, list items, <br> breaks).

    Regular expressions, not an HTML parser: feed bodies are fragments whose
    text we only need line by line, and html.parser costs more than the rest
    of extraction together.
    """
    text = _SKIPPED.sub(" ", _COMMENT.sub(" ", fragment))
    lines = []
    for block in _BLOCK_TAG.split(text):
        line = clean(html.unescape(_ANY_TAG.sub("", block)))
        if line:
            lines.append(line)
    return lines


def html_to_text(fragment: str | None) -> str | None:
    """The whole fragment as one paragraph of plain text."""
    if fragment is None:
        return None
    if "<" not in fragment and "&" not in fragment:
        return clean(fragment)
    return clean(" ".join(html_to_lines(fragment)))
