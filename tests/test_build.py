"""End to end on the seed feed: the issue's "done means", checked on real output."""

from __future__ import annotations

import json
import shutil
import subprocess

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg import convert, to_networkx, to_turtle
from kg.rdfio import read_rdf
from kg.vocab import KG, PRISM, RDF, SDO, SKOS, XSD

from .conftest import DATA, MUTATED, SEED, require_tool

STORIES = {
    "https://scienmag.com/how-ect-rewires-the-brain-genes-and-circuits/": (
        "How ECT Rewires the Brain: Genes and Circuits",
        "2026-02-14T05:25:34Z",
        "https://doi.org/10.1038/s41398-026-03892-z",
    ),
    "https://scienmag.com/white-matter-links-to-suicide-attempts-in-mood-disorders/": (
        "White Matter Links to Suicide Attempts in Mood Disorders",
        "2025-10-18T05:48:56Z",
        "https://doi.org/10.1038/s41398-025-03626-7",
    ),
    "https://scienmag.com/mapping-serotonin-1a-receptors-in-resistant-depression/": (
        "Mapping Serotonin 1A Receptors in Resistant Depression",
        "2025-06-03T20:18:47Z",
        "https://doi.org/10.1038/s41398-025-03406-3",
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    return convert([str(SEED)], out_dir=out)


@pytest.fixture(scope="module")
def graph(built) -> Graph:
    return built.graph


def reparsed(graph: Graph) -> Graph:
    """rdflib normalises literals when parsing ("Z" becomes "+00:00"), so graphs
    are compared after both went through the same parser."""
    return Graph().parse(data=to_turtle(graph), format="turtle")


def subjects_of(graph: Graph, cls: URIRef) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, cls)}


def test_three_stories_at_their_links(graph):
    assert subjects_of(graph, SDO.NewsArticle) == set(STORIES)
    for link, (title, published, paper) in STORIES.items():
        story = URIRef(link)
        assert list(graph.objects(story, SDO.name)) == [Literal(title)]
        assert list(graph.objects(story, SDO.headline)) == [Literal(title)]
        assert list(graph.objects(story, SDO.datePublished)) == [
            Literal(published, datatype=XSD.dateTime, normalize=False)
        ]
        assert list(graph.objects(story, SDO.citation)) == [URIRef(paper)]
        assert len(set(graph.objects(story, SDO.about))) == 13


def test_one_byline_shared_by_all_stories(graph):
    bylines = {o for s in map(URIRef, STORIES) for o in graph.objects(s, SDO.author)}
    assert len(bylines) == 1
    (byline,) = bylines
    assert list(graph.objects(byline, SDO.name)) == [Literal("SCIENMAG")]
    assert (byline, RDF.type, SDO.Organization) in graph


def test_tags(graph):
    concepts = subjects_of(graph, SKOS.Concept)
    assert len(concepts) == 35
    shared = [
        c
        for c in concepts
        if Literal("neuroimaging in psychiatry", lang="en-US")
        in set(graph.objects(URIRef(c), SKOS.prefLabel))
    ]
    assert len(shared) == 1
    assert {str(s) for s in graph.subjects(SDO.about, URIRef(shared[0]))} == set(STORIES)
    schemes = subjects_of(graph, SKOS.ConceptScheme)
    assert len(schemes) == 1
    assert all(
        list(graph.objects(URIRef(c), SKOS.inScheme)) == [URIRef(next(iter(schemes)))]
        for c in concepts
    )


def _authors_in_order(graph: Graph, paper: URIRef) -> list[str]:
    slots = sorted(
        (int(graph.value(slot, SDO.position)), graph.value(slot, SDO.item))
        for slot in graph.objects(paper, KG.authorship)
    )
    assert [pos for pos, _ in slots] == list(range(1, len(slots) + 1))
    return [str(graph.value(person, SDO.familyName)) for _, person in slots]


def test_three_papers_with_ordered_truncated_authors(graph):
    papers = {
        "https://doi.org/10.1038/s41398-026-03892-z": (["Qian", "Huang", "Ji"], None, None, "2026"),
        "https://doi.org/10.1038/s41398-025-03626-7": (
            ["Torino", "Maggioni", "Lengvenyte"],
            "15",
            "411",
            "2025",
        ),
        "https://doi.org/10.1038/s41398-025-03406-3": (
            ["Murgaš", "Milz", "Stöhrmann"],
            "15",
            "186",
            "2025",
        ),
    }
    assert subjects_of(graph, SDO.ScholarlyArticle) == set(papers)
    for iri, (authors, volume, article, year) in papers.items():
        paper = URIRef(iri)
        assert _authors_in_order(graph, paper) == authors
        assert len(set(graph.objects(paper, SDO.author))) == 3
        assert graph.value(paper, KG.authorListTruncated) == Literal(True)
        assert graph.value(paper, PRISM.doi) == Literal(iri.removeprefix("https://doi.org/"))
        assert graph.value(paper, PRISM.volume) == (Literal(volume) if volume else None)
        assert graph.value(paper, KG.articleNumber) == (Literal(article) if article else None)
        assert graph.value(paper, SDO.datePublished) == Literal(year, datatype=XSD.gYear)
    titles = {str(graph.value(URIRef(p), SDO.name)) for p in papers}
    assert "In vivo serotonin 1A receptor distribution in treatment-resistant depression" in titles
    assert not any(t.endswith(".") for t in titles)
    keywords = {str(k) for k in graph.objects(URIRef(next(iter(papers))), SDO.keywords)}
    assert {"Neuroplasticity", "Gene Expression"} <= keywords


def test_people_are_scoped_to_their_paper(graph):
    people = subjects_of(graph, SDO.Person)
    assert len(people) == 9
    for person in people:
        assert person.split("#")[0].startswith("https://doi.org/10.1038/")


def test_one_journal(graph):
    journals = subjects_of(graph, SDO.Periodical)
    assert len(journals) == 1
    journal = URIRef(next(iter(journals)))
    assert Literal("Transl Psychiatry") in set(graph.objects(journal, SDO.alternateName))
    # the CC0 abbreviation lists know the full title
    assert list(graph.objects(journal, SDO.name)) == [Literal("Translational Psychiatry")]
    assert {str(o) for o in graph.objects(None, SDO.isPartOf)} == journals


def test_no_blank_nodes(graph):
    from rdflib import BNode

    assert not any(isinstance(t, BNode) for triple in graph for t in triple)


def test_conforms_and_report(built):
    assert built.conforms
    report = json.loads((built.out_dir / "report.json").read_text())
    assert report["conforms"] is True
    assert report["summary"]["items"] == 3 and report["summary"]["items_kept"] == 3
    assert report["summary"]["triples"] == len(built.graph)
    assert (built.out_dir / "rejected.nq").read_text() == ""


def test_golden_graph(graph, update_golden):
    golden = DATA / "scienmag-neuroimaging-in-psychiatry.ttl"
    if update_golden:
        to_turtle(graph, golden)
    actual, expected = reparsed(graph), Graph().parse(golden)
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            "graph differs from golden\nonly in actual:\n"
            + "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in only_actual))
            + "\nonly in expected:\n"
            + "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in only_expected))
        )


def test_outputs_parse_in_pyoxigraph_with_same_count(built):
    ttl = list(ox.parse(path=str(built.out_dir / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    quads = list(ox.parse(path=str(built.out_dir / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    assert len(ttl) == len(built.graph)
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(built.graph)
    assert {str(q.graph_name.value) for q in quads} == {
        "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/"
    }


@pytest.mark.parametrize(
    ("tool", "args"), [("rapper", ["-i", "turtle", "-c"]), ("rapper", ["-i", "nquads", "-c"])]
)
def test_outputs_parse_in_rapper(built, tool, args):
    exe = require_tool(tool)
    name = "graph.ttl" if "turtle" in args else "graph.nq"
    run = subprocess.run(
        [exe, *args, str(built.out_dir / name)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert f"returned {len(built.graph)} triples" in run.stderr


def test_outputs_parse_in_serdi(built):
    exe = require_tool("serdi")
    for name, syntax in (("graph.ttl", "turtle"), ("graph.nq", "nquads")):
        run = subprocess.run(
            [
                exe,
                "-i",
                syntax,
                "-o",
                "ntriples" if syntax == "turtle" else "nquads",
                str(built.out_dir / name),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        lines = {line for line in run.stdout.splitlines() if line.strip()}
        assert len(lines) == len(built.graph)


def test_kg_validate_reads_outputs_back(built):
    for name in ("graph.ttl", "graph.nq"):
        assert isomorphic(read_rdf(built.out_dir / name), reparsed(built.graph))


def test_building_twice_is_byte_identical(built, tmp_path):
    again = convert([str(SEED)], out_dir=tmp_path)
    assert isomorphic(again.graph, built.graph)
    for name in ("graph.ttl", "graph.nq", "graph.graphml", "report.json"):
        if name == "report.json":
            # the report names the source as given; the rest must be equal
            continue
        assert (tmp_path / name).read_bytes() == (built.out_dir / name).read_bytes(), name


def test_seed_with_a_renamed_copy_gives_the_same_graph(built, tmp_path):
    copy = tmp_path / "another-name.xml"
    shutil.copy(SEED, copy)
    merged = convert([str(SEED), str(copy)], out_dir=tmp_path / "out")
    assert isomorphic(merged.graph, built.graph)
    assert len(merged.feeds) == 2 and all(f.kept == 3 for f in merged.feeds)
    for name in ("graph.ttl", "graph.nq"):  # one feed IRI, one named graph, no repeated lines
        assert (tmp_path / "out" / name).read_bytes() == (built.out_dir / name).read_bytes()


def test_two_feeds_two_named_graphs(built, tmp_path):
    other = tmp_path / "other.rss"
    other.write_text(
        SEED.read_text(encoding="utf-8").replace(
            "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/",
            "https://scienmag.com/tag/psychiatry/feed/",
        ),
        encoding="utf-8",
    )
    result = convert([str(SEED), str(other)], out_dir=tmp_path / "out")
    quads = list(ox.parse(path=str(tmp_path / "out" / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    by_graph: dict[str, set[ox.Triple]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, set()).add(q.triple)
    first = "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/"
    second = "https://scienmag.com/tag/psychiatry/feed/"
    assert set(by_graph) == {first, second, "https://w3id.org/feedkg/id/graph/shared"}
    # both feeds state the same stories: those triples are once, in the shared graph;
    # each feed's own graph holds what only it states: its feed node, and that
    # each story was read from it
    for feed in (first, second):
        assert all(feed in (t.subject.value, t.object.value) for t in by_graph[feed])
        assert len([t for t in by_graph[feed] if t.object.value == feed]) == 3
    assert len(quads) == len({q.triple for q in quads}) == len(result.graph)
    assert len(subjects_of(result.graph, SDO.NewsArticle)) == 3
    assert len(subjects_of(result.graph, SDO.DataFeed)) == 2


def test_mutated_seed_keeps_good_items_and_sets_bad_ones_aside(tmp_path, graph):
    result = convert([str(MUTATED)], out_dir=tmp_path)
    assert isomorphic(result.graph, graph)  # exactly the three good stories survive
    reasons = {r.label: {(v.path, v.component) for v in r.reasons} for r in result.rejected}
    assert reasons == {
        # no title, no text, no link: nothing to show
        "https://scienmag.com/mutant-empty/": {(None, "OrConstraintComponent")},
        "https://scienmag.com/mutant-bad-date/": {
            (str(SDO.datePublished), "DatatypeConstraintComponent")
        },
        "https://scienmag.com/mutant-broken-doi/": {(str(PRISM.doi), "PatternConstraintComponent")},
        "javascript:alert(document.cookie)": {(str(SDO.url), "PatternConstraintComponent")},
    }
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"]["items_rejected"] == 4
    assert {r["label"] for r in report["rejected"]} == set(reasons)
    rejected = read_rdf(tmp_path / "rejected.nq")
    rejected_stories = {str(s) for s in rejected.subjects(RDF.type, SDO.NewsArticle)}
    assert len(rejected_stories) == 4
    # the javascript: link never became an IRI anywhere
    for path in ("graph.nq", "rejected.nq", "graph.ttl"):
        assert "<javascript:" not in (tmp_path / path).read_text()


def test_networkx_export(graph, built):
    nxg = to_networkx(graph)
    assert isinstance(nxg, nx.MultiDiGraph)
    iris = (
        {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
        - {str(o) for o in graph.objects(None, RDF.type)}
        - {str(p) for p in graph.predicates()}
    )
    assert set(nxg.nodes) == iris  # one node per resource, no literal nodes
    object_triples = [(s, p, o) for s, p, o in graph if isinstance(o, URIRef) and p != RDF.type]
    assert nxg.number_of_edges() == len(object_triples)
    for s, p, o in object_triples:
        assert nxg.has_edge(str(s), str(o), key=str(p))
        assert nxg.edges[str(s), str(o), str(p)]["predicate"] == str(p)
    story = nxg.nodes["https://scienmag.com/how-ect-rewires-the-brain-genes-and-circuits/"]
    assert story["types"] == ["schema:NewsArticle"]
    assert story["label"] == "How ECT Rewires the Brain: Genes and Circuits"
    assert story["schema:datePublished"] == "2026-02-14T05:25:34Z" or story["schema:datePublished"]
    paper = nxg.nodes["https://doi.org/10.1038/s41398-026-03892-z"]
    assert "Neuroplasticity" in paper["schema:keywords"]
    graphml = nx.read_graphml(built.out_dir / "graph.graphml")
    assert graphml.number_of_nodes() == nxg.number_of_nodes()
    assert graphml.number_of_edges() == nxg.number_of_edges()


def test_feeds_read_in_parallel_give_the_same_outputs(tmp_path):
    """``jobs`` reads feeds in worker processes: same files, same summaries, same
    order, and a feed that fails is reported the same way."""
    feeds = sorted(str(p) for d in ("feeds", "news", "jsonfeed") for p in (DATA / d).iterdir())
    feeds = [f for f in feeds if not f.endswith(".md")]
    feeds.insert(3, str(tmp_path / "missing.xml"))
    serial = convert(feeds, out_dir=tmp_path / "one", jobs=1)
    parallel = convert(feeds, out_dir=tmp_path / "two", jobs=2)
    assert len(serial.feeds) == len(feeds) > 20
    assert [f.error for f in serial.errors] == [f.error for f in parallel.errors]
    assert len(serial.errors) >= 1 and "missing.xml" in (serial.errors[0].error or "")
    assert serial.feeds == parallel.feeds
    for name in ("graph.ttl", "graph.nq", "graph.graphml", "rejected.nq", "report.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_parallel_reading_with_another_thread_running(tmp_path, monkeypatch):
    """With a thread running (a server, say), workers are not forked from this
    process, and the result is the same."""
    import multiprocessing
    import threading

    methods: list[str] = []
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda m: methods.append(m) or real(m))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        copy = tmp_path / "copy.rss"
        shutil.copy(SEED, copy)
        result = convert([str(SEED), str(copy)], jobs=2)
    finally:
        stop.set()
        other.join()
    assert [f.kept for f in result.feeds] == [3, 3] and not result.errors
    assert methods == ["forkserver"]


def test_files_written_in_pieces_are_the_whole_file(tmp_path):
    """Turtle and N-Quads are serialised a piece at a time (to bound memory):
    pieces of a few triples, cut anywhere, give the bytes of one piece, and
    Turtle never splits a subject's statements."""
    from kg.export.rdf import nquads_chunks, turtle_chunks

    feeds = sorted(str(p) for d in ("feeds", "news") for p in (DATA / d).iterdir())
    result = convert([f for f in feeds if not f.endswith(".md")])
    assert len(result.graphs) > 3 and len(result.ordered) > 5_000
    whole = b"".join(turtle_chunks(result.ordered, chunk=10**9))
    assert whole.startswith(b"@prefix") and whole.endswith(b" .\n") and b"\n\n\n" not in whole
    # a blank line after the prefixes and after each subject's block but the last
    assert whole.count(b" .\n\n") == len({t[0] for t in result.ordered})
    for size in (1, 7, 1000):
        assert b"".join(turtle_chunks(result.ordered, chunk=size)) == whole, size
    quads = b"".join(nquads_chunks(result.graphs, chunk=10**9))
    assert quads.count(b"\n") == len(result.ordered)
    for size in (1, 7, 1000):
        assert b"".join(nquads_chunks(result.graphs, chunk=size)) == quads, size
    assert b"".join(turtle_chunks(())) == b"\n" and b"".join(nquads_chunks([])) == b""


def test_papers_are_counted_from_the_mapping_as_from_the_graph(tmp_path):
    """The build counts papers from the paper nodes the mapping made, by lookups:
    the same as counting every schema:ScholarlyArticle typing in the kept graph,
    over many feeds, feeds that share papers, and stories set aside."""
    rdf_type = ox.NamedNode(str(RDF.type))
    article = ox.NamedNode(str(SDO.ScholarlyArticle))
    feeds = sorted(str(p) for d in ("feeds", "news", "jsonfeed") for p in (DATA / d).iterdir())
    feeds = [f for f in feeds if not f.endswith(".md")]
    runs = [feeds, [str(SEED), str(MUTATED)], [str(MUTATED)]]
    runs += [[f] for f in feeds]
    counted = []
    for run in runs:
        result = convert(run)
        typed = sum(1 for t in result.triples if t.predicate == rdf_type and t.object == article)
        assert result.papers == typed, run
        counted.append(typed)
    assert counted[0] > 50 and sum(1 for c in counted if c) > 10
