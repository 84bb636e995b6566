"""A compiled SHACL Core subset validator that gives pyshacl's results, ~30x faster.

pyshacl (the reference, see :mod:`kg.validate`) interprets the shapes graph focus node
by focus node.  :func:`compile_shapes` turns shapes (https://www.w3.org/TR/shacl/) once
into Python checks; :func:`check` groups the triples by predicate and runs each check over
all focus nodes at once.  Terms are the pipeline's N-Triples text (:mod:`kg.terms`): a
node's kind is its first character, and only the literals a check reads are taken apart.
A shape outside this subset makes :func:`compile_shapes` raise :class:`UnsupportedShapes`
(the caller then uses pyshacl):

* 2.1.3 targets (``sh:targetNode``, ``sh:targetClass``, implicit class targets,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``); 2.1.4-2.1.6 ``sh:severity``,
  ``sh:message``, ``sh:deactivated``; 2.3.1 property paths that are one IRI;
* 4.1 ``sh:class``, ``sh:datatype``, ``sh:nodeKind``; 4.2 ``sh:minCount``, ``sh:maxCount``;
  4.3 ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``;
  4.4 ``sh:minLength``, ``sh:maxLength``, ``sh:pattern`` (and ``sh:flags``),
  ``sh:uniqueLang``; 4.6.3 ``sh:or``; 4.7.2 ``sh:property``; 4.8 ``sh:hasValue``, ``sh:in``.

The results (3.6) are the :class:`~kg.types.Violation` records :func:`kg.validate.validate`
makes of pyshacl's report (``inference="none"``, ``allow_warnings=True``) for the rdflib
view of the triples (``kg.terms.to_rdflib_graph``: lexical forms kept, ``xsd:string``
plain), so this follows pyshacl where pyshacl departs from the spec: rdflib decides
whether a literal is well-typed (an ``xsd:gYear`` always is) and how literals compare;
``sh:pattern`` is ``re.search`` with the ``i`` and ``m`` flags only (but ``$`` is the end of
the string, as in XPath, where pyshacl also matches before a final newline); a result's message is
its own shape's ``sh:message`` (one of several: the one pyshacl picks), never its parent's;
a ``sh:Warning`` or ``sh:Info`` shape conforms, inside ``sh:or`` too.  With no
``sh:message``, pyshacl generates one; those of ``sh:minCount``, ``sh:maxCount``,
``sh:minLength``, ``sh:maxLength``, ``sh:in``, ``sh:hasValue`` and ``sh:or`` print data terms
with the data graph's prefixes, which triples do not have, so these need a ``sh:message``.
"""

from kg.shacl.compiler import compile_shapes
from kg.shacl.engine import CompiledShapes, UnsupportedShapes, check

__all__ = ["CompiledShapes", "UnsupportedShapes", "check", "compile_shapes"]
