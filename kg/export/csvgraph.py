"""The property graph as CSV files, for graph databases that do not read RDF.

Neo4j (``neo4j-admin database import``, ``LOAD CSV``), Kuzu and its
maintained fork LadybugDB (``COPY FROM``) all load nodes and relationships
from CSV, one file per node label and per relationship type.  The files hold
exactly the nodes and edges of :func:`kg.export.networkx.property_graph`
(what NetworkX and GraphML get), so every export of one build agrees on what
the graph is.  The layout, and why:

* ``nodes_<Label>.csv``: one file per label.  The label is the local name of
  the node's class (``schema:ScholarlyArticle`` -> ``ScholarlyArticle``), or
  ``Resource`` for a node without ``rdf:type`` (an IRI that is only ever an
  object, such as a ``schema:sameAs`` page).  A node with several classes is
  written once, in the file of its alphabetically first label: Kuzu keeps a
  node in one table, and a second row would be a second node.  All its labels
  are in the ``:LABEL`` column (neo4j-admin gives it every one) and all its
  classes in ``types``.
* Columns: ``iri:ID(<Label>)`` (the key, stored as the ``iri`` property),
  ``:LABEL``, ``label`` (the display label NetworkX has), ``types`` (the
  classes as prefixed names), then one column per literal property named by
  the predicate's local name (``schema:name`` -> ``name``; ``prefix_local``
  when two predicates share a local name, as Kuzu compares names without
  case).  Header types follow neo4j-admin: ``:long``, ``:double``,
  ``:boolean``, ``:string``, with ``[]`` for a property that has several
  values on some node of the label; that column is then a list on every node.
  Typed and language-tagged literals are their text (dates stay ISO 8601).
* ``edges_<TYPE>_<Start>_<End>.csv``: one file per relationship type *and*
  pair of labels, with ``:START_ID(<Start>)``, ``:END_ID(<End>)`` and
  ``:TYPE``.  The type is the predicate's local name in upper snake case
  (``prov:wasDerivedFrom`` -> ``WAS_DERIVED_FROM``).  One file per pair
  because an ID column names one ID space (neo4j-admin) and a ``COPY`` into
  a relationship table names one FROM and one TO table (Kuzu); ``AUTHOR``
  links stories to bylines and papers to people, so it has two files and one
  multi-pair ``REL TABLE``.
* Lists are joined with ``;``, neo4j-admin's default array delimiter.  No
  escape exists for it, so if any list element contains ``;`` the whole
  export uses U+001F (unit separator) instead, which cleaned feed text never
  contains; the generated scripts always name the delimiter used.
* ``load-ladybug.cypher`` (the DDL and ``COPY`` statements for LadybugDB and
  Kuzu), ``neo4j-admin-import.sh`` and ``load-neo4j.cypher`` (``LOAD CSV``)
  are written beside the data, so each database loads the directory as is.

Rows are sorted (nodes by IRI, edges by start and end), files are UTF-8 with
``\\n`` line ends and RFC 4180 quoting, so the same graph gives the same
bytes.  The directory is replaced as a whole (:func:`atomic_directory`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.export.atomic import atomic_directory, atomic_write
from kg.export.loaders import (
    LADYBUG_SCRIPT,
    NEO4J_ADMIN_SCRIPT,
    NEO4J_CYPHER_SCRIPT,
    ladybug_script,
    neo4j_admin_script,
    neo4j_cypher_script,
    rel_header,
)
from kg.export.networkx import PropertyGraph, property_graph
from kg.terms import Triples, nt_triples_of, sort_triples
from kg.vocab import PREFIXES

#: neo4j-admin's default array delimiter, used unless a list element contains it.
ARRAY_DELIMITER = ";"
#: The delimiter when one does: a control character that cleaned text never holds.
FALLBACK_ARRAY_DELIMITER = "\x1f"
#: Label of nodes that have no ``rdf:type`` (the name neosemantics uses too).
UNTYPED_LABEL = "Resource"

#: Property names the export itself uses on every node.
_RESERVED_PROPERTIES = ("iri", "label", "types")


@dataclass(frozen=True)
class Column:
    """One node property column: its database name, its source attribute in
    the :class:`PropertyGraph` and its neo4j-admin type."""

    name: str
    source: str
    kind: str  # "string", "long", "double" or "boolean"
    array: bool

    @property
    def header(self) -> str:
        return f"{self.name}:{self.kind}{'[]' if self.array else ''}"


@dataclass(frozen=True)
class NodeTable:
    label: str
    classes: tuple[str, ...]  # the class IRIs that map to this label
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, tuple[str, ...], dict[str, Any]], ...]  # (iri, labels, attrs)

    @property
    def file(self) -> str:
        return f"nodes_{self.label}.csv"


@dataclass(frozen=True)
class RelTable:
    type: str
    predicate: str
    start: str
    end: str
    rows: tuple[tuple[str, str], ...]

    @property
    def file(self) -> str:
        return f"edges_{self.type}_{self.start}_{self.end}.csv"


@dataclass(frozen=True)
class Tables:
    """The CSV layout of a property graph: what :func:`write_property_csv` writes."""

    nodes: tuple[NodeTable, ...]
    rels: tuple[RelTable, ...]
    array_delimiter: str

    @property
    def rel_types(self) -> dict[str, list[RelTable]]:
        """Relationship tables grouped by type (Kuzu's multi-pair REL TABLEs)."""
        out: dict[str, list[RelTable]] = {}
        for rel in self.rels:
            out.setdefault(rel.type, []).append(rel)
        return out


def property_tables(data: PropertyGraph | Triples) -> Tables:
    """The node and relationship tables of a property graph (or of triples,
    viewed as :func:`property_graph` views them)."""
    graph = data if isinstance(data, PropertyGraph) else _view(data)
    class_iris = {_expand(t) for attrs in graph.nodes.values() for t in attrs["types"]}
    labels = unique_names(class_iris, _identifier, reserved=(UNTYPED_LABEL,))
    node_labels: dict[str, tuple[str, ...]] = {}
    for iri, attrs in graph.nodes.items():
        types = attrs["types"]
        if len(types) == 1:  # nearly every node: no set, no sort
            node_labels[iri] = (labels[_expand(types[0])],)
        else:
            node_labels[iri] = tuple(sorted({labels[_expand(t)] for t in types})) or (
                UNTYPED_LABEL,
            )
    literal_keys = {k for attrs in graph.nodes.values() for k in attrs} - {"types", "label"}
    names = unique_names(
        {_expand(k) for k in literal_keys}, _identifier, reserved=_RESERVED_PROPERTIES
    )
    key_names = {key: names[_expand(key)] for key in literal_keys}

    by_label: dict[str, list[tuple[str, tuple[str, ...], dict[str, Any]]]] = {}
    for iri in sorted(graph.nodes):
        own = node_labels[iri]
        by_label.setdefault(own[0], []).append((iri, own, graph.nodes[iri]))
    nodes = []
    delimiter = ARRAY_DELIMITER
    for label in sorted(by_label):
        rows = by_label[label]
        columns, clash = _columns(rows, key_names)
        if clash:
            delimiter = FALLBACK_ARRAY_DELIMITER
        classes = tuple(sorted(c for c, name in labels.items() if name == label))
        nodes.append(NodeTable(label, classes, tuple(columns), tuple(rows)))

    rel_names = unique_names(
        {p for _, _, p, _ in graph.edges}, _upper_snake, reserved=(*labels.values(), UNTYPED_LABEL)
    )
    pairs: dict[tuple[str, str, str], dict[tuple[str, str], None]] = {}
    for start, end, predicate, _ in graph.edges:
        key = (predicate, node_labels[start][0], node_labels[end][0])
        pairs.setdefault(key, {})[(start, end)] = None  # a set that keeps one of each
    rels = [
        RelTable(rel_names[predicate], predicate, start, end, tuple(sorted(rows)))
        for (predicate, start, end), rows in pairs.items()
    ]
    rels.sort(key=lambda r: (r.type, r.start, r.end))
    return Tables(tuple(nodes), tuple(rels), delimiter)


def write_property_csv(data: PropertyGraph | Triples, out_dir: Path) -> dict[str, Path]:
    """Write the property graph as CSV files and loader scripts into ``out_dir``
    (replaced as a whole; see the module docstring for the layout).

    Returns every file written, by name, at its final path.

    >>> import tempfile, pyoxigraph as ox
    >>> s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://schema.org/name")
    >>> files = write_property_csv([ox.Triple(s, p, ox.Literal("S"))], Path(tempfile.mkdtemp()))
    >>> sorted(files)  # doctest: +NORMALIZE_WHITESPACE
    ['load-ladybug.cypher', 'load-neo4j.cypher', 'neo4j-admin-import.sh',
     'nodes_Resource.csv']

    :raises OSError: ``out_dir`` cannot be written, or is a file.
    """
    tables = property_tables(data)
    texts = {
        LADYBUG_SCRIPT: ladybug_script(tables),
        NEO4J_ADMIN_SCRIPT: neo4j_admin_script(tables),
        NEO4J_CYPHER_SCRIPT: neo4j_cypher_script(tables),
    }
    names: list[str] = []
    with atomic_directory(out_dir) as tmp:
        for node_table in tables.nodes:
            _write_csv(tmp / node_table.file, _node_rows(node_table, tables.array_delimiter))
            names.append(node_table.file)
        for rel in tables.rels:
            rows = [(s, e, rel.type) for s, e in rel.rows]
            _write_csv(tmp / rel.file, [rel_header(rel), *rows])
            names.append(rel.file)
        for name, text in texts.items():
            with atomic_write(tmp / name) as fh:
                fh.write(text.encode("utf-8"))
            names.append(name)
    return {name: out_dir / name for name in sorted(names)}


# --- naming -----------------------------------------------------------------


def unique_names(
    iris: Iterable[str],
    style: Callable[[str], str],
    *,
    reserved: Sequence[str] = (),
) -> dict[str, str]:
    """A readable database name per IRI: its local name in ``style``, or
    ``prefix_local`` where two IRIs (or a reserved name) would share one.

    Names are compared without case, as Kuzu and LadybugDB compare them.

    >>> unique_names(["https://schema.org/name", "http://xmlns.com/foaf/0.1/name",
    ...               "https://schema.org/url"], str)
    {'http://xmlns.com/foaf/0.1/name': 'ns_name', 'https://schema.org/name': 'schema_name', \
'https://schema.org/url': 'url'}
    """
    ordered = sorted(set(iris))
    plain = {iri: style(_local(iri)) for iri in ordered}
    shared = Counter(name.casefold() for name in plain.values())
    taken = {name.casefold() for name in reserved}
    out: dict[str, str] = {}
    for iri in ordered:
        name = plain[iri]
        if shared[name.casefold()] > 1 or name.casefold() in taken:
            name = style(f"{_prefix(iri)}_{_local(iri)}")
        base, n = name, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name.casefold())
        out[iri] = name
    return out


def _expand(key: str) -> str:
    """The IRI of a prefixed name as :func:`kg.export.networkx.curie` writes it."""
    prefix, sep, local = key.partition(":")
    namespace = PREFIXES.get(prefix) if sep else None
    return key if namespace is None else namespace + local


def _local(iri: str) -> str:
    for sep in ("#", "/", ":"):
        _, found, tail = iri.rpartition(sep)
        if found and tail:
            return tail
    return iri


def _prefix(iri: str) -> str:
    found = [(len(ns), prefix) for prefix, ns in PREFIXES.items() if iri.startswith(ns)]
    return max(found)[1] if found else "ns"


_NOT_NAME = re.compile(r"[^0-9A-Za-z_]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _identifier(text: str) -> str:
    """ASCII letters, digits and ``_``, starting with a letter: a name every
    target accepts without quoting, and never one starting with ``_`` (the
    generated scripts use those for their own columns)."""
    name = _NOT_NAME.sub("_", text).strip("_")
    return name if name[:1].isalpha() else f"n{name}"


def _upper_snake(text: str) -> str:
    return _identifier(_CAMEL.sub("_", _identifier(text))).upper()


# --- values -----------------------------------------------------------------


def _view(triples: Triples) -> PropertyGraph:
    return property_graph(sort_triples(nt_triples_of(triples)))


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _columns(
    rows: Sequence[tuple[str, tuple[str, ...], dict[str, Any]]], key_names: dict[str, str]
) -> tuple[list[Column], bool]:
    """The columns of one label's rows, in one pass over them, and whether a
    list column holds a value containing :data:`ARRAY_DELIMITER`."""
    found: dict[str, list[Any]] = {}  # key -> every value
    arrays = {"types"}
    delimited: set[str] = set()  # keys with a text value containing the delimiter
    for _, _, attrs in rows:
        for key, value in attrs.items():
            values = found.setdefault(key, [])
            if isinstance(value, list):
                arrays.add(key)
                values += value
            else:
                values.append(value)
    for key, values in found.items():
        if any(isinstance(v, str) and ARRAY_DELIMITER in v for v in values):
            delimited.add(key)
    columns = [
        Column("label", "label", "string", False),
        Column("types", "types", "string", True),
    ]
    props = [
        Column(key_names[key], key, _kind(values), key in arrays)
        for key, values in found.items()
        if key not in ("label", "types")
    ]
    columns += sorted(props, key=lambda c: c.name)
    return columns, bool(delimited & arrays)


def _kind(values: Sequence[Any]) -> str:
    """The narrowest neo4j-admin type that holds every value (bool is an int in
    Python, so it is checked first); ``string`` when there are none."""
    if not values:
        return "string"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
        return "string"
    return "long" if all(isinstance(v, int) for v in values) else "double"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _node_rows(table: NodeTable, delimiter: str) -> Iterator[Sequence[str]]:
    yield [f"iri:ID({table.label})", ":LABEL", *(c.header for c in table.columns)]
    for iri, labels, attrs in table.rows:
        cells = [iri, delimiter.join(labels)]
        for column in table.columns:
            if column.source not in attrs:
                cells.append("")
            elif column.array:
                cells.append(delimiter.join(_text(v) for v in _values(attrs[column.source])))
            else:
                cells.append(_text(attrs[column.source]))
        yield cells


def _write_csv(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """RFC 4180 CSV; the text is built in memory first, since the csv module's
    one write per row through a text wrapper costs more than the formatting."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows(rows)
    with atomic_write(path) as fh:
        fh.write(text.getvalue().encode("utf-8"))


# --- loader scripts -----------------------------------------------------------


__all__ = [
    "ARRAY_DELIMITER",
    "FALLBACK_ARRAY_DELIMITER",
    "LADYBUG_SCRIPT",
    "NEO4J_ADMIN_SCRIPT",
    "NEO4J_CYPHER_SCRIPT",
    "UNTYPED_LABEL",
    "Column",
    "NodeTable",
    "RelTable",
    "Tables",
    "property_tables",
    "unique_names",
    "write_property_csv",
]
