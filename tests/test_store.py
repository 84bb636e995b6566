"""The store: feeds as sliding windows, incremental ingest, atomic commits, one writer."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from kg.cli import main
from kg.pipeline import ingest
from kg.store import StoreError, StoreWriter, current_generation, open_readonly

from .conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
SHARED = "https://w3id.org/feedkg/id/graph/shared"
PROVENANCE = "https://w3id.org/feedkg/id/graph/provenance"
FEED = "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/"
ECT = "https://scienmag.com/how-ect-rewires-the-brain-genes-and-circuits/"
WMH = "https://scienmag.com/white-matter-links-to-suicide-attempts-in-mood-disorders/"
SEROTONIN = "https://scienmag.com/mapping-serotonin-1a-receptors-in-resistant-depression/"
NEW = "https://scienmag.com/serotonin-receptors-revisited/"
EDITED = "White Matter and Suicide Attempts: A Meta-Analysis"
PREFIX = "PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"


def _items(text: str) -> tuple[str, list[str], str]:
    start, end = text.index("<item>"), text.rindex("</item>") + len("</item>")
    items = [b + "</item>" for b in text[start:end].split("</item>") if "<item>" in b]
    return text[:start], items, text[end:]


def next_window(path: Path) -> Path:
    """The seed fetched a day later: the ECT story has scrolled away, the WMH story's
    title was edited, and a new story reports on the serotonin story's paper."""
    head, (ect, wmh, serotonin), tail = _items(SEED.read_text(encoding="utf-8"))
    assert ECT in ect and WMH in wmh and SEROTONIN in serotonin
    wmh = wmh.replace(
        "<title>White Matter Links to Suicide Attempts in Mood Disorders</title>",
        f"<title>{EDITED}</title>",
    )
    new = serotonin.replace(SEROTONIN, NEW)
    new = new.replace(
        "<title>Mapping Serotonin 1A Receptors in Resistant Depression</title>",
        "<title>Serotonin Receptors Revisited</title>",
    )
    new = re.sub(
        r"<pubDate>.*?</pubDate>", "<pubDate>Sun, 15 Feb 2026 08:00:00 +0000</pubDate>", new
    )
    new = re.sub(r"(<post-id[^>]*>)\d+", r"\g<1>999999", new)
    path.write_text(head + new + "\n\t" + wmh + "\n\t" + serotonin + tail, encoding="utf-8")
    return path


def rows(store: Path, sparql: str) -> list[tuple[str | None, ...]]:
    result = kg.run_query(f"{PREFIX} {sparql}", store=store)
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


def dump(store: Path) -> set[ox.Quad]:
    return set(open_readonly(store))


@pytest.fixture
def window(tmp_path):
    """A store that has read the seed and then the next day's window."""
    store, out = tmp_path / "store", tmp_path / "out"
    first = ingest([str(SEED)], store=store, out_dir=out)
    second = ingest([str(next_window(tmp_path / "day2.rss"))], store=store, out_dir=out)
    return store, out, first, second


def test_second_window_adds_updates_and_keeps(window):
    store, _out, first, second = window
    (c1,) = first.changes
    assert (c1.new, c1.updated, c1.unchanged, c1.kept) == (3, 0, 0, 0)
    (c2,) = second.changes
    assert (c2.new, c2.updated, c2.unchanged, c2.kept) == (1, 1, 1, 1)
    stories = rows(
        store, "SELECT ?s ?h { ?s a schema:NewsArticle ; schema:headline ?h } ORDER BY ?s"
    )
    assert stories == [
        (ECT, "How ECT Rewires the Brain: Genes and Circuits"),  # left the window, kept
        (SEROTONIN, "Mapping Serotonin 1A Receptors in Resistant Depression"),
        (NEW, "Serotonin Receptors Revisited"),
        (WMH, EDITED),  # only the new title
    ]


def test_no_shared_node_is_duplicated(window):
    store, *_ = window
    # one node per paper, journal, tag and byline, each with one name
    papers = rows(
        store,
        "SELECT ?p (COUNT(?n) AS ?c) { ?p a schema:ScholarlyArticle ; schema:name ?n } GROUP BY ?p",
    )
    assert len(papers) == 3 and {c for _, c in papers} == {"1"}
    assert rows(store, "SELECT (COUNT(DISTINCT ?j) AS ?n) { ?j a schema:Periodical }") == [("1",)]
    tags = rows(
        store, "SELECT ?t (COUNT(?l) AS ?c) { ?t a skos:Concept ; skos:prefLabel ?l } GROUP BY ?t"
    )
    assert len(tags) == 35 and {c for _, c in tags} == {"1"}
    bylines = rows(store, "SELECT DISTINCT ?b { ?s a schema:NewsArticle ; schema:author ?b }")
    assert len(bylines) == 1
    covered = rows(
        store,
        "SELECT (COUNT(?s) AS ?n) "
        "{ ?s schema:about|schema:citation <https://doi.org/10.1038/s41398-025-03406-3> }",
    )
    assert covered == [("2",)]  # the old and the new serotonin stories: one paper
    # every triple is in one named graph only: the union counts each fact once
    total = rows(
        store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{PROVENANCE}>) }}"
    )
    distinct = rows(
        store,
        "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o "
        f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{PROVENANCE}>) }} }}",
    )
    assert total == distinct


def test_outputs_show_the_whole_store(window):
    store, out, _, second = window
    assert second.build is not None
    written = {q.triple for q in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    stored = {q.triple for q in dump(store) if q.graph_name.value != PROVENANCE}
    assert written == stored
    assert (
        len(
            {
                t.subject
                for t in written
                if t.object == ox.NamedNode("https://schema.org/NewsArticle")
            }
        )
        == 4
    )
    nq = {q for q in ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)}
    assert nq == {q for q in dump(store) if q.graph_name.value != PROVENANCE}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["ingest"] == [
        {
            "feed": FEED,
            "source": second.changes[0].source,
            "new": 1,
            "updated": 1,
            "unchanged": 1,
            "kept": 1,
        }
    ]


def test_provenance_graph_says_when_and_what(window):
    store, *_ = window
    facts = dict(rows(store, f"SELECT ?p ?o {{ GRAPH <{PROVENANCE}> {{ <{FEED}> ?p ?o }} }}"))
    vocab = "https://w3id.org/feedkg/vocab#"
    assert facts[vocab + "itemsInWindow"] == "3" and facts[vocab + "itemsStored"] == "4"
    assert facts[vocab + "source"].endswith("day2.rss")
    assert (
        facts[vocab + "firstFetched"]
        <= facts[vocab + "lastChanged"]
        == facts[vocab + "lastFetched"]
    )


def test_reading_the_same_window_again_changes_nothing(window, tmp_path):
    store, out, _, _ = window
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.nq", "report.json")}
    graph_before = {q for q in dump(store) if q.graph_name.value != PROVENANCE}
    again = ingest([str(tmp_path / "day2.rss")], store=store, out_dir=out)
    assert again.build is None  # nothing to build
    (c,) = again.changes
    assert (c.new, c.updated, c.unchanged, c.kept) == (0, 0, 3, 1)
    assert {name: (out / name).read_bytes() for name in before} == before
    assert {q for q in dump(store) if q.graph_name.value != PROVENANCE} == graph_before
    assert again.conforms and again.report["ingest"][0]["unchanged"] == 3
    # missing outputs are written again from a full build
    (out / "graph.ttl").unlink()
    rebuilt = ingest([str(tmp_path / "day2.rss")], store=store, out_dir=out)
    assert rebuilt.build is not None and (out / "graph.ttl").read_bytes() == before["graph.ttl"]


def test_same_inputs_give_the_same_files_with_or_without_history(tmp_path):
    """A store that read the seed twice writes what a store that read it once writes."""
    for name in ("a", "b"):
        ingest([str(SEED)], store=tmp_path / name / "store", out_dir=tmp_path / name)
    (tmp_path / "b" / "graph.nq").unlink()
    ingest([str(SEED)], store=tmp_path / "b" / "store", out_dir=tmp_path / "b")
    for name in ("graph.ttl", "graph.nq", "graph.graphml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    no_store = kg.convert([str(SEED)], out_dir=tmp_path / "c")
    assert (tmp_path / "c" / "graph.nq").read_bytes() == (tmp_path / "a" / "graph.nq").read_bytes()
    assert no_store.conforms


def test_feeds_merge_in_the_store_across_builds(tmp_path):
    """Two feeds read in two builds give what one build of both gives."""
    other = tmp_path / "other.rss"
    other.write_text(
        SEED.read_text(encoding="utf-8").replace(FEED, "https://scienmag.com/tag/psychiatry/feed/"),
        encoding="utf-8",
    )
    ingest([str(SEED)], store=tmp_path / "s", out_dir=tmp_path / "one")
    ingest([str(other)], store=tmp_path / "s", out_dir=tmp_path / "one")
    kg.convert([str(SEED), str(other)], out_dir=tmp_path / "both")
    assert (tmp_path / "one" / "graph.nq").read_bytes() == (
        tmp_path / "both" / "graph.nq"
    ).read_bytes()
    graphs = {q.graph_name.value for q in dump(tmp_path / "s")}
    assert graphs == {FEED, "https://scienmag.com/tag/psychiatry/feed/", SHARED, PROVENANCE}


def test_bundled_queries_agree_on_store_and_files(tmp_path):
    ingest([str(SEED)], store=tmp_path / "store", out_dir=tmp_path)
    for query in kg.named_queries():
        params = {"doi": "10.1038/s41398-025-03626-7"} if query.params else None
        results = [
            kg.run_query(query.text, params=params, store=tmp_path / "store"),
            kg.run_query(query.text, params=params, paths=[tmp_path / "graph.ttl"]),
            kg.run_query(query.text, params=params, paths=[tmp_path / "graph.nq"]),
        ]
        if results[0].kind == "select":
            empty_on_seed = {"stories-without-paper", "authors-across-papers"}
            assert bool(results[0].rows) != (query.name in empty_on_seed), query.name
            assert results[0].rows == results[1].rows == results[2].rows, query.name
        else:
            assert results[0].graph is not None and len(results[0].graph) > 0
            assert set(results[0].graph) == set(results[1].graph) == set(results[2].graph)


def test_a_second_writer_gets_a_clear_error_or_waits(tmp_path, capsys):
    store = tmp_path / "store"
    ingest([str(SEED)], store=store)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from kg.store import StoreWriter\n"
            "with StoreWriter.open(Path(sys.argv[1])):\n"
            "    print('locked', flush=True); time.sleep(float(sys.argv[2]))",
            str(store),
            "1.5",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code = main(["build", str(SEED), "--out", str(tmp_path / "out"), "--store", str(store)])
        assert code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [
            f"kg: error: {store}: the store is being written by process {holder.pid} "
            "(another kg build); try again when it ends, or give --wait SECONDS"
        ]
        # readers need no lock
        assert rows(store, "SELECT (COUNT(*) AS ?n) { ?s a schema:NewsArticle }") == [("3",)]
        # a patient writer waits for the first one and then succeeds
        code = main(
            [
                "build",
                str(SEED),
                "--out",
                str(tmp_path / "out"),
                "--store",
                str(store),
                "--wait",
                "30",
            ]
        )
        assert code == 0
    finally:
        holder.wait(timeout=30)
    # a second writer in the same process is refused too
    with StoreWriter.open(store), pytest.raises(StoreError, match="being written"):
        StoreWriter.open(store).__enter__()


def test_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a feedkg store"):
        ingest([str(SEED)], store=tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(StoreError, match="no store here"):
        open_readonly(tmp_path / "nothing")


def _kg_build(feed: Path, store: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(feed), "--store", str(store), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_killed_ingest_leaves_the_store_unchanged(tmp_path):
    """SIGKILL while a new generation is being written, and before: the store is as it was."""
    store, out = tmp_path / "store", tmp_path / "out"
    ingest([str(SEED)], store=store, out_dir=out)
    before, gen = dump(store), current_generation(store)
    big = tmp_path / "big.rss"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_feed.py"), str(SEED), "400", str(big)],
        check=True,
    )

    # 1. killed while writing the new generation (its directory exists, unfinished)
    proc = _kg_build(big, store, out)
    pending = store / f"gen-{int(gen.name.split('-')[1]) + 1:06d}.tmp"
    deadline = time.monotonic() + 120
    while not pending.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert pending.exists(), "the build ended before it began writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert current_generation(store) == gen
    assert dump(store) == before
    assert rows(store, "SELECT (COUNT(*) AS ?n) { ?s a schema:NewsArticle }") == [("3",)]

    # 2. killed early, while reading and mapping
    proc = _kg_build(big, store, out)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert dump(store) == before

    # the next build clears what the killed ones left and commits
    result = ingest([str(big)], store=store, out_dir=out)
    assert result.changes[0].new == 400 and result.changes[0].kept == 3
    assert not list(store.glob("gen-*.tmp"))
    assert rows(store, "SELECT (COUNT(*) AS ?n) { ?s a schema:NewsArticle }") == [("403",)]


def test_cli_build_and_query_use_the_store_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(SEED)]) == 0
    assert (tmp_path / "output" / "store" / "current").is_symlink()
    day2 = next_window(tmp_path / "day2.rss")
    capsys.readouterr()
    assert main(["build", str(day2)]) == 0
    err = capsys.readouterr().err
    assert "items: 1 new, 1 updated, 1 unchanged, 1 kept from earlier reads, 0 set aside" in err
    assert main(["build", str(day2)]) == 0
    assert "unchanged, nothing to build" in capsys.readouterr().err
    (tmp_path / "output" / "graph.nq").unlink()  # the store is the default source
    assert main(["query", "SELECT (COUNT(*) AS ?n) { ?s a <https://schema.org/NewsArticle> }"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "4"]
    assert main(["build", str(SEED), "--no-store", "--out", "plain"]) == 0
    assert not (tmp_path / "plain" / "store").exists()


@pytest.mark.parametrize("limit", [0.0, 1.0])
def test_difference_and_fresh_load_give_the_same_store(tmp_path, monkeypatch, limit):
    """A new generation is the old one plus the difference, or a fresh bulk load: the
    same quads either way, equal to what a store that read only the end state holds."""
    import kg.store.contents

    monkeypatch.setattr(kg.store.contents, "DELTA_LIMIT", limit)
    store = tmp_path / "store"
    ingest([str(SEED)], store=store, out_dir=tmp_path / "out")
    day2 = next_window(tmp_path / "day2.rss")
    ingest([str(day2)], store=store, out_dir=tmp_path / "out")
    graph = {q for q in dump(store) if q.graph_name.value != PROVENANCE}
    written = set(ox.parse(path=str(tmp_path / "out" / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    assert graph == written
    assert len({q for q in dump(store) if q.graph_name.value == PROVENANCE}) == 6
    # the generation's own copy of its graph is what the next difference starts from
    gen = current_generation(store)
    assert (
        gen is not None
        and (gen / "graph.nq").read_bytes() == (tmp_path / "out" / "graph.nq").read_bytes()
    )


def test_on_one_cpu_the_database_loads_after_the_outputs(tmp_path, monkeypatch):
    """With one usable CPU the load waits for the outputs (the two would only take
    turns, and their memory would add up); the store and files are the same."""
    import kg.pipeline
    import kg.store.contents
    import kg.store.writer

    events: list[str] = []
    write_outputs, load_database = kg.pipeline.write_outputs, kg.store.contents.load_database

    def outputs(*args, **kwargs):
        events.append("outputs")
        result = write_outputs(*args, **kwargs)
        events.append("outputs written")
        return result

    def load(*args, **kwargs):
        events.append("load")
        return load_database(*args, **kwargs)

    monkeypatch.setattr(kg.pipeline, "write_outputs", outputs)
    monkeypatch.setattr(kg.store.contents, "load_database", load)
    stores = {}
    for cpus in (1, 2):
        monkeypatch.setattr(kg.store.writer, "usable_cpus", lambda cpus=cpus: cpus)
        events.clear()
        store, out = tmp_path / f"store{cpus}", tmp_path / f"out{cpus}"
        ingest([str(SEED)], store=store, out_dir=out)
        assert sorted(events) == ["load", "outputs", "outputs written"]
        if cpus == 1:
            assert events == ["outputs", "outputs written", "load"]
        stores[cpus] = {q for q in dump(store) if q.graph_name.value != PROVENANCE}
        assert stores[cpus] == set(
            ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
        )
    assert stores[1] == stores[2] and len(stores[1]) > 100
    for name in ("graph.ttl", "graph.nq", "graph.graphml", "rejected.nq"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


def test_records_with_the_position_inside_still_read(tmp_path):
    """A store of format 1, whose item records held their position ("index") inside
    them, builds the next window as a new store does."""
    import json

    day2 = next_window(tmp_path / "day2.rss")
    for name in ("new", "old"):
        store, out = tmp_path / f"store-{name}", tmp_path / f"out-{name}"
        ingest([str(SEED)], store=store, out_dir=out)
        records = current_generation(store) / "records.jsonl"
        lines = [json.loads(line) for line in records.read_text("utf-8").splitlines()]
        assert all("index" in row for row in lines if "item" in row)
        if name == "old":
            for row in lines:
                if "item" in row:
                    row["item"]["index"] = row.pop("index")
            records.write_text("".join(json.dumps(r) + "\n" for r in lines), "utf-8")
            state = records.with_name("state.json")
            data = json.loads(state.read_text("utf-8"))
            assert data["format"] == 2
            state.write_text(json.dumps({**data, "format": 1}), "utf-8")
        ingest([str(day2)], store=store, out_dir=out)
    for name in ("graph.ttl", "graph.nq", "rejected.nq"):
        assert (tmp_path / "out-old" / name).read_bytes() == (
            tmp_path / "out-new" / name
        ).read_bytes()
    stories = rows(tmp_path / "store-old", "SELECT ?s { ?s a schema:NewsArticle }")
    assert len(stories) == 4  # the story that left the window came back from the records


def test_a_store_from_a_newer_feedkg_is_a_clear_error(tmp_path, capsys):
    import json

    store = tmp_path / "store"
    assert main(["build", str(SEED), "--out", str(tmp_path / "out"), "--store", str(store)]) == 0
    state = current_generation(store) / "state.json"
    state.write_text(json.dumps({**json.loads(state.read_text("utf-8")), "format": 3}), "utf-8")
    capsys.readouterr()
    assert main(["build", str(SEED), "--out", str(tmp_path / "out"), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "store format 3 (written by a newer feedkg: upgrade feedkg)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("cpus", [1, 2])
def test_a_failed_commit_lets_go_of_its_database(tmp_path, monkeypatch, cpus):
    """A commit that fails while the database loads (on two CPUs) or before it
    (on one) leaves the store as it was, and the same process can ingest again
    at once: the unfinished database is not kept open by the error."""
    import kg.store.contents
    import kg.store.writer

    monkeypatch.setattr(kg.store.writer, "usable_cpus", lambda: cpus)
    write_records = kg.store.contents.write_records

    def broken(*args, **kwargs):
        raise OSError("disk full (simulated)")

    store = tmp_path / "store"
    monkeypatch.setattr(kg.store.contents, "write_records", broken)
    with pytest.raises(OSError, match="simulated"):
        ingest([str(SEED)], store=store, out_dir=tmp_path / "out")
    assert current_generation(store) is None and not list(store.glob("gen-*"))
    monkeypatch.setattr(kg.store.contents, "write_records", write_records)
    result = ingest([str(SEED)], store=store, out_dir=tmp_path / "out")
    assert result.build is not None and result.build.conforms
    assert len(rows(store, "SELECT ?s { ?s a schema:NewsArticle }")) == 3


def test_kg_serve_answers_from_the_store_and_sees_the_next_build(tmp_path):
    import threading

    import httpx

    from kg.serve import make_server

    store = tmp_path / "store"
    ingest([str(SEED)], store=store)
    server = make_server(store=store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    query = "SELECT (COUNT(*) AS ?n) { ?s a <https://schema.org/NewsArticle> }"
    try:
        with httpx.Client(timeout=30) as client:

            def count() -> str:
                response = client.get(
                    server.url, params={"query": query}, headers={"Accept": "text/csv"}
                )
                assert response.status_code == 200, response.text
                return response.text.splitlines()[1]

            assert count() == "3"
            ingest([str(next_window(tmp_path / "day2.rss"))], store=store)  # while serving
            assert count() == "4"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
