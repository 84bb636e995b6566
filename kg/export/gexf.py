"""GEXF (https://gexf.net), the format Gephi opens natively.

The graph is the one NetworkX and GraphML get (:mod:`kg.export.networkx`):
resources are nodes with their ``label``, literals are node attributes,
edges carry their predicate IRI (``predicate``) and prefixed name
(``label``).  The writer is our own rather than ``networkx.write_gexf``: that
one stamps today's date into ``<meta lastmodifieddate>`` (so two builds of
the same feeds would differ), treats list values as dynamic-attribute
spells, and builds the whole document in memory.  This one streams, writes no
date, and declares each attribute once with the GEXF type of its values
(``boolean``, ``long``, ``double``, else ``string``).  Lists (``types`` and
repeated values) are JSON arrays in a string, as in GraphML, because GEXF's
``liststring`` is read differently by different tools.  Edge ids are their
position in the edge list (the sorted triples' order for a :class:`PropertyGraph`),
so they are unique, and stable from one build to the next.

``networkx.read_gexf(path)`` reads the file back with the same nodes and
edges (as a ``DiGraph`` when no two edges join the same pair of nodes, else a
``MultiDiGraph``; edge keys are then the GEXF edge ids).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.export.atomic import atomic_write
from kg.export.networkx import PropertyGraph, _xml, attribute_type

_GEXF_NS = "http://www.gexf.net/1.2draft"
#: Whitespace an XML parser would turn into spaces inside an attribute value.
_ATTR_WHITESPACE = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def write_gexf(graph: Any, path: Path) -> None:
    """Write ``graph`` (a networkx graph or a :class:`PropertyGraph`) as GEXF 1.2
    to ``path``, atomically, with the same bytes for the same graph.

    :raises OSError: ``path`` cannot be written.
    """
    known: dict[str, str] | None = None
    if isinstance(graph, PropertyGraph):
        nodes: Iterable[tuple[str, dict[str, Any]]] = graph.nodes.items()
        edges: Iterable[tuple[Any, ...]] = graph.edges
        known = graph.node_kinds
    else:
        nodes, edges = graph.nodes(data=True), graph.edges(keys=True, data=True)
    if known is None:
        node_keys = _attribute_types(data for _, data in nodes)
    else:  # typed as the graph was built: no pass over every value
        node_keys = {name: kind for name, kind in known.items() if name != "label"}
    # each data dict once: the edges of one predicate share one
    edge_data = {id(row[-1]): row[-1] for row in edges}
    edge_keys = _attribute_types(edge_data.values())
    node_ids = {name: str(i) for i, name in enumerate(sorted(node_keys))}
    edge_ids = {name: str(i) for i, name in enumerate(sorted(edge_keys))}
    with atomic_write(path) as fh:
        out = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gexf xmlns="{_GEXF_NS}" version="1.2">\n'
            "  <meta><creator>feedkg</creator></meta>\n"
            '  <graph defaultedgetype="directed" mode="static">\n'
        )
        for cls, keys, ids in (("node", node_keys, node_ids), ("edge", edge_keys, edge_ids)):
            out.write(f'    <attributes class="{cls}" mode="static">\n')
            for name, key_id in ids.items():
                out.write(
                    f'      <attribute id="{key_id}" title="{_attr(name)}" type="{keys[name]}"/>\n'
                )
            out.write("    </attributes>\n")
        out.write("    <nodes>\n")
        for node, data in nodes:
            label = _attr(str(data.get("label", node)))
            values = _attvalues(data, node_ids, node_keys)
            out.write(f'      <node id="{_attr(str(node))}" label="{label}">{values}</node>\n')
        out.write("    </nodes>\n    <edges>\n")
        # The edges of one predicate share one data dict (property_graph), so
        # their text is made once; a graph with a dict per edge still works.
        edge_text: dict[int, str] = {}
        for n, (source, target, _, data) in enumerate(edges):
            text = edge_text.get(id(data))
            if text is None:
                label = f' label="{_attr(str(data["label"]))}"' if "label" in data else ""
                text = edge_text[id(data)] = label + ">" + _attvalues(data, edge_ids, edge_keys)
            out.write(
                f'      <edge id="{n}" source="{_attr(str(source))}" '
                f'target="{_attr(str(target))}"{text}</edge>\n'
            )
        out.write("    </edges>\n  </graph>\n</gexf>\n")
        out.flush()
        out.detach()


def _attribute_types(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The GEXF type of every attribute but ``label`` (which GEXF has as an XML
    attribute of its own); ``string`` where values are of mixed types."""
    kinds: dict[str, str] = {}
    for data in rows:
        for name, value in data.items():
            if name == "label":
                continue
            kind = attribute_type(value)
            if kinds.setdefault(name, kind) != kind:
                kinds[name] = "string"
    return kinds


def _attvalues(data: dict[str, Any], ids: dict[str, str], kinds: dict[str, str]) -> str:
    parts = []
    for name, value in data.items():
        if name == "label" or value is None:
            continue
        if isinstance(value, list):
            text = json.dumps(value, ensure_ascii=False)
        elif kinds[name] == "boolean":
            text = "true" if value else "false"
        else:
            text = str(value)
        parts.append(f'<attvalue for="{ids[name]}" value="{_attr(text)}"/>')
    return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""


def _attr(text: str) -> str:
    """Text escaped for an XML attribute value, line breaks and tabs included
    (most text needs nothing, and a search is cheaper than a translation)."""
    return _xml(text).translate(_ATTR_WHITESPACE) if _ATTR_SPECIAL.search(text) else text


__all__ = ["write_gexf"]
