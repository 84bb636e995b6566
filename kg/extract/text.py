"""HTML to plain text, and the cleaning every literal goes through.

Feeds put HTML in titles, summaries and bodies; literals in the graph must be
plain text with no markup and no control characters, so everything textual
passes :func:`clean` or :func:`html_to_lines` on its way to a record.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

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
    # Control characters, and whitespace other than " ", are not printable:
    # str.isprintable() tells in one C loop that the regex and the split, the
    # cost of this function, would change nothing but the ends.
    printable = text.isprintable()
    if not printable and _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if not text.isascii():  # ASCII is NFC already; the check is the hot path
        normal = unicodedata.normalize("NFC", text)
        if normal is not text:
            text, printable = normal, printable and normal.isprintable()
    # With single spaces only, trimming is all that " ".join(text.split()) would do.
    text = text.strip(" ") if printable and "  " not in text else " ".join(text.split())
    return text or None


def inline_text(value: str | None) -> str | None:
    """Plain text of a short field (a title) that may carry markup or entities."""
    if value is None:
        return None
    if "<" in value or "&" in value:
        # script and style bodies are code, not title text: dropped, as in bodies
        value = html.unescape(_ANY_TAG.sub("", _SKIPPED.sub("", value)))
    return clean(value)


def word_trie(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` written as a trie: ``b(?:lockquote|r)``.

    At every "<" of a body sre tries the branches of an alternation one after
    another; a trie tests each character once.  The order of the branches is
    not the order given, so this is only for words that cannot both match at
    one place, such as tag names followed by ``\\b``.
    """
    rests: dict[str, set[str]] = {}
    for word in sorted(set(words)):
        if word:
            rests.setdefault(word[0], set()).add(word[1:])
    branches = [re.escape(first) + word_trie(rest) for first, rest in rests.items()]
    ends = "" in words
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    return body + "?" if ends else body


_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:" + word_trie(_BLOCK_TAGS) + r")\b[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>",
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
    # Each pattern needs a "<" (a comment "<!--"): the substring tests skip the
    # regex scans that cannot match, which is most of them in most blocks.
    text = _COMMENT.sub(" ", fragment) if "<!--" in fragment else fragment
    blocks = _BLOCK_TAG.split(_SKIPPED.sub(" ", text)) if "<" in text else [text]
    lines = []
    for block in blocks:
        if block.isspace() or not block:  # the breaks between block tags
            continue
        if "<" in block:
            block = _ANY_TAG.sub("", block)
        line = clean(html.unescape(block) if "&" in block else block)
        if line:
            lines.append(line)
    return lines


def html_to_text(fragment: str | None) -> str | None:
    """The whole fragment as one paragraph of plain text."""
    if fragment is None:
        return None
    if "<" not in fragment and "&" not in fragment:
        return clean(fragment)
    lines = html_to_lines(fragment)
    if len(lines) == 1:  # one clean line is its own paragraph (clean() is idempotent)
        return lines[0]
    return clean(" ".join(lines))
