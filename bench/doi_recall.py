"""Measure how many of the DOIs in real feeds end up in the graph (not a test).

Usage: python bench/doi_recall.py [CORPUS_DIR] [--json]

CORPUS_DIR defaults to ``../shared/corpus`` next to the repository.  Only its
``scholarly/`` and ``wordpress/`` folders are read: that is where stories and
papers carry DOIs.

For each file this finds the DOIs that appear anywhere inside each entry (an
``item``/``entry`` element, or a JSON Feed item), builds the file with the
Python API (:func:`kg.convert`) and collects the DOIs in the outputs: every
``prism:doi`` literal and every ``https://doi.org/`` IRI, in graph.ttl (kept)
and rejected.nq (set aside).  It prints, per file, recall (source DOIs found in
the graph) and precision (graph DOIs that are in that file's entries), the
missed and the extra DOIs, and totals over all files (sums, not means).

The source side is found by code of its own, not by ``kg.extract.dois``, so
that a bug there cannot hide in the measurement.  Its rules (the judgement
calls) are:

* Where to look.  Well-formed XML (leading whitespace before the XML
  declaration is dropped first): every text node and attribute value inside
  the entry, comments and processing instructions excluded, each scanned on
  its own so that neighbouring strings never glue together.  Each string is
  HTML-unescaped until it stops changing (content that was escaped once or
  twice is read as its HTML).  XML that does not parse (the phys.org browser
  copy, undefined entities): the raw text is split at each ``<item``/``<entry``
  start tag, cut at the matching end tag, unescaped the same way and scanned
  as a whole (tags included; a DOI stops at ``<``, ``>`` and quotes anyway).
* What a DOI is.  ``10.`` + 4 to 9 digits (+ ``.digits`` groups) + ``/`` +
  a suffix running to whitespace, a quote, ``<`` or ``>``; ``10.`` must not
  follow a letter, digit or dot (``v10.1234/`` is not a DOI).  A slash written
  ``%2F`` right after the prefix counts as a slash.
* Where it ends.  ``?`` or ``#`` ends it (a URL's query or fragment, e.g.
  ``?af=R``, ``?TRACK=RSS``; DOIs containing them are not handled).  Inside a
  URL the suffix is percent-decoded.  Inside a publisher URL (a ``://`` or
  ``www.`` before it on the same token, and not right after ``doi.org/``),
  trailing path segments that are page views, not DOI parts (``/abstract``,
  ``/full``, ``/html``, ``/pdf``, ... see ``VIEW_SEGMENTS``), are dropped.
  Then trailing ``.,;:!?*`` and quotes are dropped, and a closing bracket
  without an opener in the DOI.
* Glued text (judgement calls, listed as "ambiguous" in the output).  A last
  ``.Word`` (capital then lower-case letters, after a suffix with a digit in
  it), as in ``10.1038/abc123.Next``, is taken as the next sentence glued on
  and cut off.  A digit followed by a capitalised word at the end
  (``...001The``) is flagged but kept as is.
* Identity.  DOIs compare lower-case; the first spelling seen is shown.
* Metadata or text.  A DOI is "metadata" when some element that states it is
  an identifier slot (``METADATA_ELEMENTS``: prism:doi, dc:identifier, link,
  guid, ``rdf:about`` of the item, JSON ``id``/``url``...), else "text" (only
  inside titles, descriptions or content, e.g. references a blog post cites
  and the Names-for-Life ``10.1601/nm.*`` links in IJSEM descriptions).
  Recall is given for both, as the product may fairly treat them differently.

The graph side is taken as written: literals and IRIs are only lower-cased
(the IRI also percent-decoded and its ``#fragment`` dropped: nodes minted
under a paper's IRI, such as its author list, name that paper's DOI).  So
``10.1002/tax.1?af=r`` in the graph counts as an extra DOI, not as a hit.
DOIs found in a file outside its entries (the channel) are noted next to an
extra DOI, but do not count as source DOIs.

One kind of graph DOI is derived, not copied: every arXiv preprint has the
DataCite DOI ``10.48550/arXiv.<id>``, and the product states it for a preprint
whose entry gives no other DOI.  A graph DOI of that form whose arXiv id the
entry states (an ``arxiv.org/abs/<id>`` link or id) is counted as "derived
from the source", neither a hit nor an extra, and reported apart.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FOLDERS = ("scholarly", "wordpress")

#: A DOI candidate: the suffix is cut further by :func:`clean`.
CANDIDATE = re.compile(r"(?<![0-9A-Za-z.])10\.[0-9]{4,9}(?:\.[0-9]+)*/[^\s\"'<>]+")
#: ``10.1002%2Fabc`` in a URL: the slash percent-encoded (the rest is decoded in :func:`clean`).
ENCODED_SLASH = re.compile(r"(?<![0-9A-Za-z.])(10\.[0-9]{4,9}(?:\.[0-9]+)*)%2[Ff]")
SYNTAX = re.compile(r"^10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+$")
#: Last path segments of publisher URLs that name a page view, not part of a DOI.
VIEW_SEGMENTS = frozenset(
    "abstract abs full fulltext full-text pdf epdf pdfdirect pdfplus html xml meta references "
    "figures tables suppl supplemental summary citedby epub reader".split()
)
TRAILING = ".,;:!?*'\"”’"
BRACKETS = {")": "(", "]": "[", "}": "{"}
GLUED_WORD = re.compile(r"^(.*[0-9].*)\.([A-Z][a-z]+)$")
CAPWORD_TAIL = re.compile(r"[0-9][A-Z][a-z]{2,}$")
TOKEN_START = re.compile(r"[\s\"'<>]")
ENTRY_TAG = re.compile(r"<(?:[\w.-]+:)?(?:item|entry)[\s/>]", re.IGNORECASE)
ENTRY_END = re.compile(r"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
METADATA_ELEMENTS = frozenset(("doi", "identifier", "link", "guid", "id", "url", "external_url"))
PRISM_DOI = "http://prismstandard.org/namespaces/basic/2.0/doi"
#: An arXiv abstract link, new-style (2101.00001) or old-style (astro-ph/0601001) id.
ARXIV_ID = re.compile(
    r"arxiv\.org/abs/((?:\d{4}\.\d{4,5})|(?:[a-z][a-z.\-]*/\d{7}))(?:v\d+)?", re.IGNORECASE
)
DOI_IRI = "https://doi.org/"


@dataclass
class Found:
    """DOIs found in one text: lower-case key -> spelling, where, judgement calls."""

    spelling: dict[str, str] = field(default_factory=dict)
    where: dict[str, set[str]] = field(default_factory=dict)
    ambiguous: list[dict[str, str]] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)  #: 10.48550/arxiv.<id>, lower case

    def add(self, doi: str, where: str) -> None:
        key = doi.lower()
        self.spelling.setdefault(key, doi)
        self.where.setdefault(key, set()).add(where)

    def merge(self, other: Found) -> None:
        for key, doi in other.spelling.items():
            self.spelling.setdefault(key, doi)
            self.where.setdefault(key, set()).update(other.where[key])
        self.ambiguous += other.ambiguous
        self.derived |= other.derived


def unescape(text: str) -> str:
    """HTML-unescape until stable (content escaped once for XML, once more for HTML)."""
    for _ in range(4):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def clean(raw: str, prefix: str) -> tuple[str | None, str | None]:
    """The DOI in the candidate ``raw`` (preceded by ``prefix`` on its token), and
    the judgement call made on it, if any."""
    doi = re.split(r"[?#]", raw, maxsplit=1)[0]
    in_url = "://" in prefix or "www." in prefix.lower()
    at_resolver = prefix.lower().endswith("doi.org/")
    if in_url or at_resolver:
        doi = unquote(doi)
    call = None
    if in_url and not at_resolver:
        head, _, last = doi.rpartition("/")
        while last.lower() in VIEW_SEGMENTS and SYNTAX.match(head):
            call = f"dropped URL tail /{last}"
            doi = head
            head, _, last = doi.rpartition("/")
    doi = strip_trailing(doi)
    glued = GLUED_WORD.match(doi.split("/", 1)[-1])
    if glued:
        call = f"cut glued word .{glued.group(2)}"
        doi = strip_trailing(doi[: -len(glued.group(2)) - 1])
    elif CAPWORD_TAIL.search(doi):
        call = "kept capitalised word after a digit at the end"
    return (doi if SYNTAX.match(doi) else None), call


def strip_trailing(doi: str) -> str:
    while doi:
        last = doi[-1]
        if last in TRAILING or (last in BRACKETS and doi.count(BRACKETS[last]) < doi.count(last)):
            doi = doi[:-1]
        else:
            break
    return doi


def scan(text: str, where: str) -> Found:
    """Every DOI in one string (unescaped first)."""
    found = Found()
    text = ENCODED_SLASH.sub(r"\1/", unescape(text))
    found.derived = {f"10.48550/arxiv.{m.group(1).lower()}" for m in ARXIV_ID.finditer(text)}
    for match in CANDIDATE.finditer(text):
        before = text[: match.start()]
        cut = max((m.end() for m in TOKEN_START.finditer(before[-300:])), default=0)
        prefix = before[-300:][cut:]
        doi, call = clean(match.group(0), prefix)
        if doi:
            found.add(doi, where)
        if call or (doi and doi != match.group(0) and "?" in match.group(0)):
            found.ambiguous.append(
                {"raw": match.group(0), "doi": doi or "", "rule": call or "cut URL query"}
            )
    return found


# -- the source: entries of one file -------------------------------------------------


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def source_dois(path: Path) -> tuple[list[Found], Found, str]:
    """Per entry DOIs, the whole file's DOIs, and how the file was read."""
    data = read_bytes(path)
    stripped = data.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            return _json_entries(json.loads(stripped.decode("utf-8", "replace")), data)
        except ValueError:
            pass
    try:
        return _xml_entries(stripped)
    except Exception:  # any parse failure: read the raw text instead
        return _raw_entries(data.decode("utf-8", "replace"))


def _json_entries(doc: Any, data: bytes) -> tuple[list[Found], Found, str]:
    items = doc.get("items") if isinstance(doc, dict) else None
    entries = []
    for item in items if isinstance(items, list) else []:
        found = Found()
        for where, text in _json_strings(item, "item"):
            found.merge(scan(text, where))
        entries.append(found)
    return entries, scan(data.decode("utf-8", "replace"), "file"), "json"


def _json_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _json_strings(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for inner in value:
            yield from _json_strings(inner, where)


def _xml_entries(data: bytes) -> tuple[list[Found], Found, str]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    entries = []
    whole = Found()
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element.tag) not in ("item", "entry"):
            continue
        if any(
            isinstance(a.tag, str) and _local(a.tag) in ("item", "entry")
            for a in element.iterancestors()
        ):
            continue
        found = Found()
        for where, text in _xml_strings(element):
            found.merge(scan(text, where))
        entries.append(found)
    for where, text in _xml_strings(root):
        whole.merge(scan(text, where))
    return entries, whole, "xml"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_strings(top: Any) -> Iterator[tuple[str, str]]:
    """Each text node and attribute value under ``top``, named by its element."""
    for element in top.iter():
        if isinstance(element.tag, str):
            name = _qname(element)
            if element.text:
                yield name, element.text
            for attr, value in element.attrib.items():
                yield f"{name}@{_local(attr)}", value
        if element is not top and element.tail:  # text after a child (or comment) is its parent's
            parent = element.getparent()
            yield (_qname(parent) if parent is not None else "?"), element.tail


def _qname(element: Any) -> str:
    local = _local(element.tag)
    return f"{element.prefix}:{local}" if element.prefix else local


def _raw_entries(text: str) -> tuple[list[Found], Found, str]:
    starts = [m.start() for m in ENTRY_TAG.finditer(text)]
    entries = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        closing = ENTRY_END.search(chunk)
        entries.append(scan(chunk[: closing.end()] if closing else chunk, "raw"))
    return entries, scan(text, "raw"), "raw text (not well-formed XML)"


# -- the graph ------------------------------------------------------------------------


def graph_dois(path: Path, out: Path) -> tuple[dict[str, str], dict[str, str], str | None]:
    """Kept and set-aside DOIs (lower-case -> as written) of a build of ``path``."""
    import pyoxigraph as ox

    try:
        import kg  # here: a package half-way through an edit is a per-file error

        result = kg.convert([str(path)], out_dir=out)
    except Exception as e:  # a bug in the build is a result here, not a crash
        return {}, {}, f"{type(e).__name__}: {e}"
    error = "; ".join(f.error for f in result.errors if f.error) or None
    sides = []
    for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("rejected.nq", ox.RdfFormat.N_QUADS)):
        dois: dict[str, str] = {}
        file = out / name
        if file.exists():
            for quad in ox.parse(path=str(file), format=fmt):
                for term in (quad.subject, quad.object):
                    if isinstance(term, ox.NamedNode) and term.value.startswith(DOI_IRI):
                        # a fragment names a node minted under the paper, not another DOI
                        doi = unquote(term.value[len(DOI_IRI) :].split("#", 1)[0])
                        dois.setdefault(doi.lower(), doi)
                if quad.predicate.value == PRISM_DOI and isinstance(quad.object, ox.Literal):
                    dois.setdefault(quad.object.value.lower(), quad.object.value)
        sides.append(dois)
    return sides[0], sides[1], error


# -- one file, all files ---------------------------------------------------------------


def measure(path: Path, corpus: Path, tmp: Path) -> dict[str, Any]:
    entries, whole, how = source_dois(path)
    source = Found()
    for entry in entries:
        source.merge(entry)
    kept, rejected, error = graph_dois(path, tmp / path.name)
    graph = {**rejected, **kept}
    hits = source.spelling.keys() & graph.keys()
    missed = sorted(source.spelling.keys() - graph.keys())
    derived = sorted((graph.keys() - source.spelling.keys()) & source.derived)
    extra = sorted(graph.keys() - source.spelling.keys() - source.derived)
    metadata = {k for k in source.spelling if _is_metadata(source.where[k])}
    return {
        "file": str(path.relative_to(corpus)),
        "read_as": how,
        "entries": len(entries),
        "source": len(source.spelling),
        "graph": len(graph),
        "kept": len(kept),
        "rejected": len(rejected.keys() - kept.keys()),
        "hits": len(hits),
        "source_metadata": len(metadata),
        "hits_metadata": len(hits & metadata),
        "recall": _ratio(len(hits), len(source.spelling)),
        "recall_metadata": _ratio(len(hits & metadata), len(metadata)),
        "recall_text": _ratio(len(hits - metadata), len(source.spelling) - len(metadata)),
        "derived": len(derived),
        "precision": _ratio(len(hits), len(graph) - len(derived)),
        "missed": [
            {"doi": source.spelling[k], "where": sorted(source.where[k]), "metadata": k in metadata}
            for k in missed
        ],
        "extra": [
            {
                "doi": graph[k],
                "side": "kept" if k in kept else "rejected",
                "outside_entries": k in whole.spelling,
            }
            for k in extra
        ],
        "set_aside_hits": sorted(source.spelling[k] for k in hits if k not in kept),
        "ambiguous": _unique(source.ambiguous),
        "error": error,
    }


def _is_metadata(where: set[str]) -> bool:
    for place in where:
        element, _, attr = place.partition("@")
        local = element.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
        if local in METADATA_ELEMENTS or (local in ("item", "entry") and attr == "about"):
            return True
    return False


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _unique(calls: list[dict[str, str]]) -> list[dict[str, str]]:
    return list({(c["raw"], c["rule"]): c for c in calls}.values())


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    source = sum(r["source"] for r in rows)
    graph = sum(r["graph"] for r in rows)
    hits = sum(r["hits"] for r in rows)
    meta = sum(r["source_metadata"] for r in rows)
    meta_hits = sum(r["hits_metadata"] for r in rows)
    derived = sum(r["derived"] for r in rows)
    return {
        "files": len(rows),
        "source": source,
        "graph": graph,
        "kept": sum(r["kept"] for r in rows),
        "rejected": sum(r["rejected"] for r in rows),
        "hits": hits,
        "missed": source - hits,
        "derived": derived,
        "extra": graph - hits - derived,
        "recall": _ratio(hits, source),
        "precision": _ratio(hits, graph - derived),
        "source_metadata": meta,
        "recall_metadata": _ratio(meta_hits, meta),
        "recall_text": _ratio(hits - meta_hits, source - meta),
        "build_errors": sum(1 for r in rows if r["error"]),
    }


def print_table(rows: list[dict[str, Any]], totals: dict[str, Any]) -> None:
    print(
        f"{'file':<46}{'entries':>8}{'src':>6}{'graph':>6}{'kept':>6}{'rej':>5}"
        f"{'hits':>6}{'recall':>8}{'meta':>8}{'text':>8}{'prec':>8}"
    )
    for r in rows:
        note = "  (raw)" if r["read_as"].startswith("raw") else ""
        note += "  BUILD ERROR" if r["error"] else ""
        print(
            f"{r['file'][:45]:<46}{r['entries']:>8}{r['source']:>6}{r['graph']:>6}{r['kept']:>6}"
            f"{r['rejected']:>5}{r['hits']:>6}{_pct(r['recall']):>8}"
            f"{_pct(r['recall_metadata']):>8}{_pct(r['recall_text']):>8}{_pct(r['precision']):>8}"
            f"{note}"
        )
    for r in rows:
        if not (r["missed"] or r["extra"] or r["ambiguous"] or r["error"] or r["set_aside_hits"]):
            continue
        print(f"\n{r['file']} ({r['read_as']})")
        if r["error"]:
            print(f"  build error: {r['error']}")
        for m in r["missed"]:
            kind = "metadata" if m["metadata"] else "text"
            print(f"  missed   {m['doi']}   ({kind}: {', '.join(m['where'])})")
        for e in r["extra"]:
            where = "; found outside the entries" if e["outside_entries"] else ""
            print(f"  extra    {e['doi']}   ({e['side']}{where})")
        for doi in r["set_aside_hits"]:
            print(f"  set aside (in rejected.nq only)   {doi}")
        calls: dict[str, list[str]] = {}
        for c in r["ambiguous"]:
            calls.setdefault(c["rule"], []).append(f"{c['raw']} -> {c['doi']}")
        for rule, cases in calls.items():
            print(f"  judgement: {rule}: {len(cases)}, e.g. {cases[0]}")
    print(
        f"\nTOTAL {totals['files']} files: {totals['source']} source DOIs, {totals['graph']} "
        f"graph DOIs ({totals['kept']} kept, {totals['rejected']} only set aside), "
        f"{totals['hits']} found, {totals['missed']} missed, {totals['extra']} extra, "
        f"{totals['derived']} arXiv DataCite DOIs derived from stated arXiv ids; "
        f"recall {_pct(totals['recall'])} (metadata {_pct(totals['recall_metadata'])} of "
        f"{totals['source_metadata']}, text only {_pct(totals['recall_text'])} of "
        f"{totals['source'] - totals['source_metadata']}), precision {_pct(totals['precision'])}; "
        f"{totals['build_errors']} build error(s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    paths = sorted(p for folder in FOLDERS for p in (corpus / folder).rglob("*") if p.is_file())
    if not paths:
        sys.exit(f"no files under {corpus}/{{{','.join(FOLDERS)}}}")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(path, corpus, Path(tmp)) for path in paths]
    totals = report(rows)
    if args.json:
        print(json.dumps({"files": rows, "totals": totals}, indent=2, ensure_ascii=False))
    else:
        print_table(rows, totals)


if __name__ == "__main__":
    main()
