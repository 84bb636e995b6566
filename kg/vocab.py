"""Every namespace and vocabulary term the graph uses, in one place.

Mapping, shapes and exporters import terms from here, never spell IRIs
themselves: a typo in a term is then an ``AttributeError`` instead of a
silently new predicate.  The project's own terms (what no standard vocabulary
covers) live in :data:`KG`, a closed ``DefinedNamespace``; they are declared,
with labels and comments, in ``kg/data/vocab.ttl`` (a test checks every term
here is declared there).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

SDO = Namespace("https://schema.org/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Base of the IRIs this project mints when a thing has no IRI of its own.
DEFAULT_BASE_IRI = "https://w3id.org/feedkg/id/"

#: Where DOIs become IRIs (the resolver every publisher links to).
DOI_IRI_BASE = "https://doi.org/"


class KG(DefinedNamespace):
    """feedkg's own terms: each one fills a gap no standard vocabulary covers."""

    _NS = Namespace("https://w3id.org/feedkg/vocab#")
    _fail = True

    #: Paper -> its numbered authorship node (``schema:ListItem``).
    authorship: URIRef
    #: Paper -> true when the source cut its author list with "et al.".
    authorListTruncated: URIRef
    #: Paper -> article number (Nature-style eLocator such as "411").
    articleNumber: URIRef
    #: Paper -> the "Subject of Research" text a story gives for it.
    researchSubject: URIRef
    #: Story -> the "Image Credits" text of its footer.
    imageCredit: URIRef
    #: Paper -> its PubMed identifier (digits), as PubMed feeds give it.
    pmid: URIRef
    #: Paper -> its arXiv identifier without version ("1707.08567").
    arxivId: URIRef
    # Store provenance (the store's provenance graph only, never the output files):
    #: Feed -> the path or URL it was last read from.
    source: URIRef
    #: Feed -> when the store first / last read it, and last found it changed.
    firstFetched: URIRef
    lastFetched: URIRef
    lastChanged: URIRef
    #: Feed -> how many items its last read showed / the store holds.
    itemsInWindow: URIRef
    itemsStored: URIRef


#: Prefixes bound in every serialisation, so Turtle stays readable.
PREFIXES: dict[str, str] = {
    "schema": str(SDO),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "prism": str(PRISM),
    "kg": str(KG._NS),
}

__all__ = [
    "DCTERMS",
    "DEFAULT_BASE_IRI",
    "DOI_IRI_BASE",
    "KG",
    "PREFIXES",
    "PRISM",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "XSD",
]
