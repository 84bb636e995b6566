"""RDF to NetworkX, for graph analysis in Python (and GraphML for other tools).

Resources (IRIs) are nodes; literal values are node attributes keyed by the
predicate's prefixed name, never nodes; each triple whose object is a
resource is one edge keyed by its predicate IRI (also stored as the
``predicate`` attribute).  ``rdf:type`` becomes the node's ``types``
attribute rather than an edge to a class node, so classes do not become hubs
that distort degree and centrality.  networkx is imported only inside these
functions (it is slow to import and not every build needs it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.export.atomic import atomic_write
from kg.runtime import bulk_allocation
from kg.terms import NTriple, Triples, literal_parts, nt_triples_of, sort_triples
from kg.vocab import PREFIXES, RDF, RDFS, SDO, SKOS, XSD

#: Predicates whose value names a node, in order of preference.
_LABELS = [str(p) for p in (SKOS.prefLabel, SDO.name, SDO.headline, RDFS.label)]
_TYPE = str(RDF.type)
_NUMBERS: dict[str, type[int] | type[float]] = {
    str(XSD.integer): int,
    str(XSD.double): float,
    str(XSD.decimal): float,
}
_BOOLEAN = str(XSD.boolean)


@cache
def curie(iri: str) -> str:
    """``schema:name`` for a known namespace, the full IRI otherwise."""
    best, chosen = "", ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, chosen = namespace, prefix
    return f"{chosen}:{iri[len(best) :]}" if best else iri


def to_networkx(data: Graph | Triples) -> Any:
    """A ``networkx.MultiDiGraph`` of the triples (see the module docstring)."""
    return networkx_of_sorted(sort_triples(nt_triples_of(data)))


@dataclass(frozen=True)
class PropertyGraph:
    """Nodes with their attributes and keyed edges: what both NetworkX and
    GraphML receive, computed once from the sorted triples.

    ``node_kinds`` is the GraphML/GEXF type (:func:`attribute_type`) of every
    node attribute, as :func:`property_graph` saw the values go in: the
    writers would otherwise type every value of every node again before
    writing the first line.  It describes ``nodes`` as built: to change the
    nodes of a built graph, make a new ``PropertyGraph(nodes, edges)``, whose
    ``None`` has the writers compute it.
    """

    nodes: dict[str, dict[str, Any]]
    edges: list[tuple[str, str, str, dict[str, str]]]
    node_kinds: dict[str, str] | None = field(default=None, compare=False, repr=False)


#: The GraphML type of each Python type :func:`property_graph` stores (a list
#: is written as JSON text, so it is a string).
_KIND_OF_TYPE: dict[type, str] = {
    bool: "boolean",
    int: "long",
    float: "double",
    str: "string",
    list: "string",
}


def _boolean(text: str) -> bool:
    return text in ("true", "1")


#: Literal datatype -> what makes its Python value; absent: the lexical form.
_CONVERT: dict[str, Callable[[str], bool | int | float]] = {**_NUMBERS, _BOOLEAN: _boolean}


def property_graph(triples: Sequence[NTriple]) -> PropertyGraph:
    """The property-graph view of sorted triples (N-Triples text).

    This runs once per triple of a build.  So the loop takes a subject's
    IRI out of its text only when the subject changes (in sorted triples a
    subject's triples are adjacent; any order still gives the same graph),
    looks predicates and classes up by their text, and notes each
    attribute's type as values go in, sparing the writers a pass over every
    value.
    """
    with bulk_allocation():  # collections were a third of this stage's time
        return _property_graph(triples)


def _property_graph(triples: Sequence[NTriple]) -> PropertyGraph:
    convert_of = _CONVERT
    attrs: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, str, dict[str, str]]] = []
    add_edge = edges.append
    # predicate -> its IRI and the data of its edges (None for rdf:type)
    edge_predicates: dict[str, tuple[str, dict[str, str] | None]] = {}
    # predicate -> (attribute name, rank among _LABELS or -1, value types of the name)
    literal_predicates: dict[str, tuple[str, int, set[type]]] = {}
    value_types: dict[str, set[type]] = {}
    classes: dict[str, str] = {}  # class -> its prefixed name
    labels: dict[str, tuple[int, str]] = {}  # subject -> (rank, text) of its best label
    current: str | None = None
    subject = ""
    node: dict[str, Any] = {}
    types: list[str] = []
    for subject_text, predicate_text, obj in triples:
        if subject_text[0] != "<":  # a blank node
            continue
        if subject_text != current:
            current, subject = subject_text, subject_text[1:-1]
            found = attrs.get(subject)
            if found is None:
                found = attrs[subject] = {"types": []}
            node, types = found, found["types"]
        kind = obj[0]
        if kind == "<":
            edge = edge_predicates.get(predicate_text)
            if edge is None:
                predicate = predicate_text[1:-1]
                data = (
                    None
                    if predicate == _TYPE
                    else {"predicate": predicate, "label": curie(predicate)}
                )
                edge = edge_predicates[predicate_text] = (predicate, data)
            predicate, data = edge
            if data is None:
                name = classes.get(obj)
                if name is None:
                    name = classes[obj] = curie(obj[1:-1])
                types.append(name)
                continue
            target = obj[1:-1]
            if target not in attrs:
                attrs[target] = {"types": []}
            add_edge((subject, target, predicate, data))
        elif kind == '"':
            info = literal_predicates.get(predicate_text)
            if info is None:
                predicate = predicate_text[1:-1]
                key = curie(predicate)
                rank = _LABELS.index(predicate) if predicate in _LABELS else -1
                info = (key, rank, value_types.setdefault(key, set()))
                literal_predicates[predicate_text] = info
            key, rank, seen = info
            if obj[-1] == '"' and "\\" not in obj:  # most literals: a string, no escapes
                text, datatype = obj[1:-1], None
            else:
                text, datatype, _ = literal_parts(obj)
            convert = None if datatype is None else convert_of.get(datatype)
            if convert is None:
                value: Any = text
            else:
                try:
                    value = convert(text)
                except ValueError:  # not a valid lexical form: keep the text
                    value = text
            seen.add(type(value))
            if key not in node:
                node[key] = value
            else:
                old = node[key]
                if type(old) is list:
                    old.append(value)
                else:
                    node[key] = [old, value]
                    seen.add(list)
            if rank >= 0:
                best = labels.get(subject)
                if best is None or rank < best[0]:
                    labels[subject] = (rank, text)
    for iri, data_of_node in attrs.items():
        best = labels.get(iri)
        data_of_node["label"] = iri if best is None else best[1]
    node_kinds = {"types": "string", "label": "string"} if attrs else {}
    for key, seen in value_types.items():
        kinds = {_KIND_OF_TYPE[t] for t in seen}
        node_kinds[key] = kinds.pop() if len(kinds) == 1 else "string"
    return PropertyGraph(attrs, edges, node_kinds)


#: Marks the source of no edge yet (None could be a node).
_ABSENT: Any = object()


def networkx_of_sorted(triples: Sequence[NTriple]) -> Any:
    """:func:`to_networkx` for sorted triples (N-Triples text)."""
    import networkx as nx

    view = property_graph(triples)
    nxg = nx.MultiDiGraph()
    nxg.add_nodes_from((iri, dict(data)) for iri, data in view.nodes.items())
    nxg.add_edges_from((s, o, k, dict(d)) for s, o, k, d in view.edges)
    return nxg


#: Bytes gathered per write call: few enough calls to cost nothing, and
#: little memory next to a large graph's.
_WRITE_SIZE = 1 << 20
#: Nodes and edges whose lines are joined at a time: the pieces of a few
#: dozen lines are still in the CPU cache when joined (thousands are not, and
#: joining them then costs as much again as making them).
_NODES_PER_JOIN = 64
_EDGES_PER_JOIN = 256


def write_graphml(graph: Any, path: Path) -> None:
    """Write GraphML (http://graphml.graphdrawing.org/) that networkx, Gephi,
    yEd and Cytoscape read, from a networkx graph or a :class:`PropertyGraph`.

    GraphML attributes are scalars, so lists (types, repeated values) are
    written as JSON arrays.  The writer is our own: networkx's takes longer
    than the whole rest of a build, and this one streams.  A build writes
    hundreds of thousands of lines, so text is checked for what needs
    escaping a batch of lines at a time (:func:`_node_lines`), each IRI is
    escaped once, the text of the edges of one predicate and each list of
    types are made once, and bytes go out in large writes.
    """
    node_kinds: dict[str, str] | None = None
    if isinstance(graph, PropertyGraph):
        nodes: Iterable[tuple[str, dict[str, Any]]] = graph.nodes.items()
        edges: Iterable[tuple[Any, ...]] = graph.edges
        node_kinds = graph.node_kinds
    else:
        nodes, edges = graph.nodes(data=True), graph.edges(keys=True, data=True)
    if node_kinds is None:
        node_kinds = _kinds(data for _, data in nodes)
    # each data dict once: the edges of one predicate share one
    data_of_edges = list(map(itemgetter(-1), edges))
    edge_kinds = _kinds(dict(zip(map(id, data_of_edges), data_of_edges, strict=True)).values())
    keys = {("node", name): kind for name, kind in node_kinds.items()}
    keys.update((("edge", name), kind) for name, kind in edge_kinds.items())
    ids = {key: f"d{i}" for i, key in enumerate(sorted(keys))}
    head = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    ]
    for (domain, name), key_id in ids.items():
        head.append(
            f'  <key id="{key_id}" for="{domain}" attr.name="{_xml(name)}" '
            f'attr.type="{keys[(domain, name)]}"/>\n'
        )
    head.append('  <graph edgedefault="directed">\n')
    escaped = _Escaped()  # node IRI -> its text in an attribute, for the edges
    lines = chain(
        _node_lines(nodes, node_kinds, ids, escaped),
        _edge_lines(edges, edge_kinds, ids, escaped),  # starts once the nodes are done
    )
    with atomic_write(path) as fh:
        buffer = bytearray("".join(head).encode("utf-8"))
        for data in lines:
            buffer += data
            if len(buffer) >= _WRITE_SIZE:
                fh.write(buffer)
                buffer.clear()
        buffer += b"  </graph>\n</graphml>\n"
        fh.write(buffer)


def _kinds(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The GraphML type of each attribute of ``rows``: ``string`` where the
    values have several types."""
    kinds: dict[str, str] = {}
    for data in rows:
        for name, value in data.items():
            kind = attribute_type(value)
            if kinds.setdefault(name, kind) != kind:
                kinds[name] = "string"
    return kinds


def _node_lines(
    nodes: Iterable[tuple[str, dict[str, Any]]],
    kinds: dict[str, str],
    ids: dict[tuple[str, str], str],
    escaped: _Escaped,
) -> Iterator[bytes]:
    """The ``<node>`` lines, encoded, a few dozen at a time; fills ``escaped``
    for the edges.

    Nearly no IRI or text needs escaping, and looking for the characters that
    do, one string at a time, was half the cost of the lines.  So the lines
    are first made with every IRI and text as it is, and checked as a whole:
    the markup holds a known number of the characters :func:`_xml` escapes
    (six per line and six per value: two each of ``<``, ``>`` and ``"``), and
    the escaped pieces (JSON lists) hold no such character but ``&``, which
    is counted.  Any other such character is in an IRI or a text, and only
    then are the lines made again with each one escaped.
    """
    opening = {name: f'<data key="{ids[("node", name)]}">' for name in kinds}
    lists: dict[tuple[str, ...], str] = {}  # type lists repeat: ["schema:Person"]
    rows = iter(nodes)
    while chunk := list(islice(rows, _NODES_PER_JOIN)):
        text, expected = _node_text(chunk, kinds, opening, lists, None)
        data = text.encode("utf-8")
        if (
            len(data) - len(data.translate(None, _ESCAPED_BYTES)) == expected
            and "\ufffe" not in text  # free unless the text has such wide characters
            and "\uffff" not in text
        ):
            escaped.update((node, node) for node, _ in chunk)
        else:
            data = _node_text(chunk, kinds, opening, lists, escaped)[0].encode("utf-8")
        yield data


#: The characters :func:`_xml` escapes or replaces, as UTF-8 bytes, but for
#: the two noncharacters (three bytes each, looked for in the text instead).
_ESCAPED_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]) + b'&<>"'


def _node_text(
    chunk: list[tuple[str, dict[str, Any]]],
    kinds: dict[str, str],
    opening: dict[str, str],
    lists: dict[tuple[str, ...], str],
    escaped: dict[str, str] | None,
) -> tuple[str, int]:
    """The lines of ``chunk``, and how many characters of :data:`_ESCAPED_BYTES`
    they hold when no IRI or text has any.  IRIs and texts are written as they
    are when ``escaped`` is None, else escaped, and the IRIs put in ``escaped``.
    """
    out: list[str] = []
    add = out.append
    expected = 0
    for node, data in chunk:
        if escaped is None:
            iri = node
        else:
            iri = escaped[node] = _xml(node)
        add(f'    <node id="{iri}">')
        expected += 6 + 6 * len(data)
        for name, value in data.items():
            kind = type(value)
            if kind is str:
                text = value if escaped is None else _xml(value)
            else:
                if kind is list and all(type(v) is str for v in value):
                    key = tuple(value)
                    cached = lists.get(key)
                    if cached is None:
                        cached = lists[key] = _xml(json.dumps(value, ensure_ascii=False))
                    text = cached
                else:
                    text = _value_text(value, kinds[name])
                expected += text.count("&")
            add(f"{opening[name]}{text}</data>")
        add("</node>\n")
    return "".join(out), expected


def _edge_lines(
    edges: Iterable[tuple[Any, ...]],
    kinds: dict[str, str],
    ids: dict[tuple[str, str], str],
    escaped: _Escaped,
) -> Iterator[bytes]:
    """The ``<edge>`` lines, encoded, a few hundred at a time.  Every edge of
    one key carries the same data, so its text is made once; edges come
    grouped by source, so the line's start is made once per source."""
    tails: dict[Any, str] = {}
    out: list[str] = []
    add = out.append
    last_source: Any = _ABSENT
    start = ""
    for source, target, key, data in edges:
        tail = tails.get(key)
        if tail is None:
            parts = [
                f'<data key="{ids[("edge", name)]}">{_value_text(value, kinds[name])}</data>'
                for name, value in data.items()
            ]
            tail = tails[key] = f'">{"".join(parts)}</edge>\n'
        if source != last_source:
            last_source = source
            # no edge id: GraphML wants ids unique, and the predicate is in the data
            start = f'    <edge source="{escaped[source]}" target="'
        add(f"{start}{escaped[target]}{tail}")
        if len(out) >= _EDGES_PER_JOIN:
            yield "".join(out).encode("utf-8")
            out.clear()
    yield "".join(out).encode("utf-8")


class _Escaped(dict[str, str]):
    """IRI -> its text in an XML attribute: the nodes' IRIs, put in as their
    lines are made, and any other escaped when asked for."""

    def __missing__(self, iri: str) -> str:
        return _xml(iri)


def attribute_type(value: Any) -> str:
    """The attribute type GraphML and GEXF share for a Python value (bool before
    int: a bool is an int in Python, but not in either format)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _value_text(value: Any, kind: str) -> str:
    """One attribute value as escaped GraphML text."""
    if isinstance(value, list):
        text = json.dumps(value, ensure_ascii=False)
    elif kind == "boolean":
        text = "true" if value else "false"
    else:
        text = str(value)
    return _xml(text)


#: Markup escapes, and U+FFFD for characters XML 1.0 cannot carry at all.
_XML_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\ufffe": "\ufffd",
        "\uffff": "\ufffd",
        **{chr(c): "\ufffd" for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]},
    }
)


_XML_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _xml(text: str) -> str:
    """Text escaped for an XML attribute value or element content (most text
    needs nothing, and a search is cheaper than a translation)."""
    return text.translate(_XML_ESCAPES) if _XML_SPECIAL.search(text) else text
