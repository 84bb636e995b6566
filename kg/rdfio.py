"""Reading RDF files back (for ``kg validate``): format from the file extension."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import RDFInputError
from kg.terms import new_graph

#: File extension -> rdflib parser name.
FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".n3": "n3",
}
_QUAD_FORMATS = {"nquads", "trig"}


def rdf_format(path: Path) -> str:
    """The RDF syntax of an existing file, from its extension.

    :raises RDFInputError: unknown extension or missing file.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise RDFInputError(
            str(path), f"unknown RDF file extension {path.suffix!r}; use one of {known}"
        )
    if not path.is_file():
        raise RDFInputError(str(path), "no such file")
    return fmt


def read_rdf(path: Path) -> Graph:
    """The triples of an RDF file (for quad formats, the union of its graphs).

    :raises RDFInputError: unknown extension, missing file or syntax error.
    """
    fmt = rdf_format(path)
    graph = new_graph()
    try:
        if fmt in _QUAD_FORMATS:
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format=fmt)
    except Exception as e:  # rdflib's parsers raise many unrelated types
        raise RDFInputError(str(path), f"not valid {fmt}: {' '.join(str(e).split())[:300]}") from e
    return graph
