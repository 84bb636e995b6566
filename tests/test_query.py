"""kg query and kg.run_query: bundled queries on the seed graph, every output format, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef

import kg
from kg.cli import main
from kg.query import QUERIES_DIR, bind_param, named_queries

from .conftest import DATA, SEED

SEED_TTL = DATA / "scienmag-neuroimaging-in-psychiatry.ttl"
JOURNAL = "https://w3id.org/feedkg/id/journal/translational_psychiatry"
TAG = "https://w3id.org/feedkg/id/site/scienmag.com/tag/"
ECT, WMH, SEROTONIN = (
    "10.1038/s41398-026-03892-z",
    "10.1038/s41398-025-03626-7",
    "10.1038/s41398-025-03406-3",
)
TITLES = {
    SEROTONIN: "In vivo serotonin 1A receptor distribution in treatment-resistant depression",
    WMH: "The association between white matter hyperintensities and suicide attempts in "
    "affective disorders: a systematic review and meta-analysis",
    ECT: "Neurobiological mechanisms of electroconvulsive therapy in major depressive disorder: "
    "structure-function coupling with gene expression and molecular mechanism",
}
WMH_STORY = "https://scienmag.com/white-matter-links-to-suicide-attempts-in-mood-disorders/"

# Two papers sharing the author "R. Qian", and a story that cites nothing.
EXTRA_TTL = """
@prefix schema: <https://schema.org/> .
@prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
<https://doi.org/10.1/a> a schema:ScholarlyArticle ; prism:doi "10.1/a" ;
    schema:author <https://doi.org/10.1/a#person-1> .
<https://doi.org/10.1/a#person-1> a schema:Person ; schema:familyName "Qian" ;
    schema:givenName "R." ; schema:name "R. Qian" .
<https://doi.org/10.1/b> a schema:ScholarlyArticle ; prism:doi "10.1/b" ;
    schema:author <https://doi.org/10.1/b#person-1> .
<https://doi.org/10.1/b#person-1> a schema:Person ; schema:familyName "Qian" ;
    schema:givenName "R." ; schema:name "R. Qian" .
<https://example.org/lonely> a schema:NewsArticle ; schema:headline "No paper here" ;
    schema:datePublished "2026-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
"""


@pytest.fixture(scope="module")
def graph_nq(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    kg.convert([str(SEED)], out_dir=out)
    return out / "graph.nq"


@pytest.fixture
def extra(tmp_path):
    path = tmp_path / "extra.ttl"
    path.write_text(EXTRA_TTL, encoding="utf-8")
    return path


def _rows(name, *paths, **params):
    result = kg.run_query(kg.named_query(name).text, paths=list(paths), params=params or None)
    assert result.kind == "select"
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


def test_bundled_queries_have_headers_and_ship_as_package_data():
    names = {q.name for q in named_queries()}
    assert names == {
        "papers-most-covered",
        "stories-per-journal",
        "tag-cooccurrence",
        "paper-timeline",
        "authors-across-papers",
        "stories-without-paper",
        "journals-by-papers",
        "everything-about-doi",
    }
    for q in named_queries():
        assert (QUERIES_DIR / f"{q.name}.rq").is_file()
        assert q.description
    assert set(kg.named_query("paper-timeline").params) == {"doi"}
    assert set(kg.named_query("everything-about-doi").params) == {"doi"}


def test_papers_most_covered(graph_nq):
    assert _rows("papers-most-covered", graph_nq) == [
        (f"https://doi.org/{doi}", doi, TITLES[doi], "1") for doi in (SEROTONIN, WMH, ECT)
    ]


def test_stories_per_journal(graph_nq):
    assert _rows("stories-per-journal", graph_nq) == [
        (JOURNAL, "Translational Psychiatry", "3", "3")
    ]


def test_journals_by_papers(graph_nq):
    assert _rows("journals-by-papers", graph_nq) == [(JOURNAL, "Translational Psychiatry", "3")]


def test_tag_cooccurrence(graph_nq):
    rows = _rows("tag-cooccurrence", graph_nq)
    # 3 stories with 13 tags each, 2 of them on every story: 3 * C(13, 2) = 234 pairs on
    # stories, of which the shared pair is counted once instead of 3 times.
    assert len(rows) == 232
    assert rows[0] == (
        f"{TAG}neuroimaging_in_psychiatry",
        "neuroimaging in psychiatry",
        f"{TAG}psychology_%26_psychiatry",
        "Psychology & Psychiatry",
        "3",
    )
    assert all(row[4] == "1" for row in rows[1:])
    assert all(row[0] < row[2] for row in rows)  # each pair once


def test_paper_timeline(graph_nq):
    expected = [
        (
            WMH,
            "2025-10-18T05:48:56Z",
            WMH_STORY,
            "White Matter Links to Suicide Attempts in Mood Disorders",
        )
    ]
    assert _rows("paper-timeline", graph_nq, doi=WMH) == expected
    # case and the doi.org form are accepted: the value is bound as the stored DOI
    assert _rows("paper-timeline", graph_nq, doi="https://doi.org/" + WMH.upper()) == expected
    assert _rows("paper-timeline", graph_nq, doi="10.9999/none") == []


def test_authors_across_papers(graph_nq, extra):
    assert _rows("authors-across-papers", graph_nq) == []  # 9 authors, 3 papers, no repeat
    # the seed's "Qian, R." (first author of the ECT paper) matches too: names, not people
    ((family, given, papers, iris),) = _rows("authors-across-papers", graph_nq, extra)
    assert (family, given, papers) == ("Qian", "R.", "3")
    assert set(iris.split()) == {
        "https://doi.org/10.1/a",
        "https://doi.org/10.1/b",
        f"https://doi.org/{ECT}",
    }


def test_stories_without_paper(graph_nq, extra):
    assert _rows("stories-without-paper", graph_nq) == []
    assert _rows("stories-without-paper", graph_nq, extra) == [
        ("https://example.org/lonely", "No paper here", "2026-01-01T00:00:00Z")
    ]


def test_everything_about_doi(graph_nq):
    result = kg.run_query(
        kg.named_query("everything-about-doi").text, paths=[graph_nq], params={"doi": WMH}
    )
    assert result.kind == "graph" and result.graph is not None
    paper = f"https://doi.org/{WMH}"
    subjects = {str(s) for s in result.graph.subjects()}
    assert subjects == (
        {paper, JOURNAL}
        | {f"{paper}#author-{n}" for n in (1, 2, 3)}
        | {f"{paper}#person-{n}" for n in (1, 2, 3)}
    )
    # exactly what the seed graph says about those nodes, nothing about the stories
    seed = Graph().parse(SEED_TTL)
    expected = {t for t in seed if str(t[0]) in subjects}
    assert set(result.graph) == expected
    assert len(expected) == 41  # 17 on the paper, 3 x 3 entries, 3 x 4 persons, 3 on the journal
    assert (URIRef(paper), URIRef("https://schema.org/name"), Literal(TITLES[WMH])) in result.graph


def test_run_query_on_an_rdflib_graph_and_the_golden_turtle():
    seed = Graph().parse(SEED_TTL)
    from_graph = kg.run_query(kg.named_query("journals-by-papers").text, graph=seed)
    from_file = kg.run_query(kg.named_query("journals-by-papers").text, paths=[SEED_TTL])
    assert from_graph.rows == from_file.rows


def test_named_graphs_are_kept_and_unioned(graph_nq):
    result = kg.run_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", paths=[graph_nq])
    assert [str(r[0]) for r in result.rows] == [
        "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/"
    ]
    count = kg.run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", paths=[graph_nq])
    assert str(count.rows[0][0]) == "309"


def test_bind_param_rejects_non_dois_and_keeps_text_out_of_the_query():
    with pytest.raises(kg.QueryError, match="is not a DOI"):
        bind_param("doi", '10.1/x" } ?s ?p ?o {')
    for bad in ("", "11.1234/x", "10.12/x", "doi:", "10.1234/"):
        with pytest.raises(kg.QueryError):
            bind_param("doi", bad)
    # any other parameter is a string literal, whatever it contains
    result = kg.run_query("SELECT ?x WHERE {}", graph=Graph(), params={"x": '" } DROP ALL #'})
    assert result.rows == ((Literal('" } DROP ALL #'),),)


# --- the command ---------------------------------------------------------------------------


def test_list(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 8
    assert out[0].startswith("authors-across-papers  Author names")
    assert any(line.startswith("paper-timeline") and "--param doi=" in line for line in out)


def test_inline_file_and_name_give_the_same_rows(graph_nq, tmp_path, capsys):
    text = kg.named_query("journals-by-papers").text
    rq = tmp_path / "q.rq"
    rq.write_text(text, encoding="utf-8")
    outs = []
    for args in (
        [text],
        ["-f", str(rq)],
        ["--file", str(rq)],
        ["--name", "journals-by-papers"],
    ):
        assert main(["query", *args, "--data", str(graph_nq), "--format", "csv"]) == 0
        outs.append(capsys.readouterr().out)
    assert len(set(outs)) == 1
    assert list(csv.reader(io.StringIO(outs[0]))) == [
        ["journal", "name", "papers"],
        [JOURNAL, "Translational Psychiatry", "3"],
    ]


def test_select_formats_parse_back(graph_nq, capsys):
    base = ["query", "--name", "paper-timeline", "--param", f"doi={WMH}", "--data", str(graph_nq)]
    header = ["doi", "published", "story", "headline"]
    row = [
        WMH,
        "2025-10-18T05:48:56Z",
        WMH_STORY,
        "White Matter Links to Suicide Attempts in Mood Disorders",
    ]

    assert main([*base, "--format", "csv"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [header, row]

    assert main([*base, "--format", "tsv"]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == [f"?{v}" for v in header]
    assert lines[1][0] == f'"{WMH}"' and lines[1][2] == f"<{WMH_STORY}>"
    assert lines[1][1].startswith('"2025-10-18T05:48:56Z"^^<')

    assert main([*base, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"] == header
    (binding,) = doc["results"]["bindings"]
    assert binding["story"] == {"type": "uri", "value": WMH_STORY}
    assert binding["published"]["datatype"] == "http://www.w3.org/2001/XMLSchema#dateTime"

    assert main([*base, "--format", "table"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == header
    assert set(table[1]) <= {"-", " "}
    assert table[2].startswith(f"{WMH}  2025-10-18T05:48:56Z  {WMH_STORY}  White Matter")


def test_default_format_when_piped_is_csv(graph_nq, capsys):
    assert main(["query", "--name", "journals-by-papers", "--data", str(graph_nq)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "journal,name,papers"


def test_construct_gives_turtle(graph_nq, capsys):
    args = ["query", "--name", "everything-about-doi", "--param", f"doi={WMH}"]
    assert main([*args, "--data", str(graph_nq)]) == 0
    parsed = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(parsed) == 41
    assert main([*args, "--data", str(graph_nq), "--format", "turtle"]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == 41
    describe = f"DESCRIBE <https://doi.org/{WMH}>"
    assert main(["query", describe, "--data", str(graph_nq)]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == 17


def test_ask(graph_nq, capsys):
    doi = "PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/> ASK { ?p prism:doi "
    assert main(["query", doi + f'"{WMH}" }}', "--data", str(graph_nq)]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["query", doi + '"10.1/none" }', "--data", str(graph_nq), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"head": {}, "boolean": False}


def test_several_data_files(graph_nq, extra, capsys):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/ScholarlyArticle> }"
    assert main(["query", query, "--data", str(graph_nq), "--data", str(extra)]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "5"]
    # one file per --data, so a query given after it is not taken for a file
    assert main(["query", "--data", str(graph_nq), "--data", str(extra), query]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "5"]


def test_default_data_is_output_graph_nq(graph_nq, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["query", "ASK {}"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "kg: error: output/store: no store here; run kg build first or give --data FILE"
    ]
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "graph.nq").write_bytes(graph_nq.read_bytes())
    assert main(["query", "--name", "journals-by-papers"]) == 0
    assert "Translational Psychiatry" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SELEC ?x"], "kg: error: SPARQL: error at 1:"),
        (["-f", "missing.rq"], "kg: error: missing.rq: no such file"),
        (["--name", "nope"], "kg: error: nope: no such named query; kg query --list shows"),
        ([], "kg: error: kg query: give exactly one of QUERY, -f FILE or --name NAME"),
        (["ASK {}", "--name", "journals-by-papers"], "kg: error: kg query: give exactly one"),
        (
            ["--name", "paper-timeline", "--param", "doi=not-a-doi"],
            "kg: error: --param: doi='not-a-doi' is not a DOI",
        ),
        (["--name", "paper-timeline"], "kg: error: --param: paper-timeline needs --param doi="),
        (
            ["--name", "journals-by-papers", "--param", "doi=10.1038/x"],
            "kg: error: --param: journals-by-papers takes no 'doi'",
        ),
        (["ASK {}", "--param", "novalue"], "kg: error: --param: 'novalue' is not NAME=VALUE"),
        (["SELECT ?s WHERE { ?s ?p ?o }", "--param", "x=1"], "kg: error: SPARQL: "),
        (["ASK {}", "--format", "turtle"], "kg: error: --format: turtle needs a CONSTRUCT"),
        (["CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"], "kg: error: --format: a csv"),
    ],
)
def test_errors_are_one_line_and_exit_2(graph_nq, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["query", *args, "--data", str(graph_nq)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert "Traceback" not in captured.err


def test_bad_data_files(tmp_path, capsys):
    assert main(["query", "ASK {}", "--data", str(tmp_path / "missing.nq")]) == 2
    assert capsys.readouterr().err.strip() == f"kg: error: {tmp_path / 'missing.nq'}: no such file"
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    assert main(["query", "ASK {}", "--data", str(broken)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"kg: error: {broken}: not valid turtle: ")
    odd = tmp_path / "graph.xyz"
    odd.write_text("", encoding="utf-8")
    assert main(["query", "ASK {}", "--data", str(odd)]) == 2
    assert "unknown RDF file extension '.xyz'" in capsys.readouterr().err


def test_rdf_1_2_triple_terms_are_refused_in_one_line(tmp_path, capsys):
    """pyoxigraph reads RDF 1.2 triple terms, which no feedkg output holds and
    neither rdflib nor the property graph has a place for: one line, exit 2
    (the query used to end in an internal error, the export in a bogus node)."""
    star = tmp_path / "star.nt"
    star.write_text(
        "<https://e.org/s> <https://e.org/p> <<( <https://e.org/a> <https://e.org/b> "
        '<https://e.org/c> )>> .\n<https://e.org/s> <https://schema.org/name> "S" .\n',
        encoding="utf-8",
    )
    for command in (
        ["query", "SELECT * WHERE { ?s ?p ?o }", "--data", str(star)],
        ["export", "graphml", "--data", str(star), "--out", str(tmp_path / "g.graphml")],
    ):
        assert main(command) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"kg: error: {star}: holds an RDF 1.2 triple term, which is not supported"]
    assert not (tmp_path / "g.graphml").exists()


def test_default_format_on_a_terminal_is_a_table(graph_nq, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["query", "--name", "journals-by-papers", "--data", str(graph_nq)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["journal", "name", "papers"]
    assert lines[2].split() == [JOURNAL, "Translational", "Psychiatry", "3"]


def test_module_doctests():
    import doctest

    import kg.query

    assert doctest.testmod(kg.query).failed == 0
