"""Benchmark: build an N-item feed stage by stage, then end to end (not a test).

Usage: python bench/bench_build.py [N ...]   (default: 1000 10000)

The feed is made from the seed by bench/make_feed.py (each item a copy of a
real 13 KB scienmag item with its own title, link, DOI and date).  For each
stage it prints seconds, items/s and the process's peak RSS so far; the end
to end figure is a separate ``kg build`` process (parse -> extract -> map ->
validate -> Turtle + N-Quads + GraphML + report), timed from outside.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "scienmag-neuroimaging-in-psychiatry.rss"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_feed(n: int, directory: Path) -> Path:
    path = directory / f"feed-{n}.xml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_feed.py"), str(SEED), str(n), str(path)],
        check=True,
    )
    return path


def stages(path: Path, n: int, out: Path) -> None:
    from kg.export.networkx import networkx_of_sorted, property_graph, write_graphml
    from kg.export.rdf import nquads_of_graphs, turtle_sorted
    from kg.extract import extract_feed
    from kg.feeds import read_feed
    from kg.mapping import all_triples, map_feeds
    from kg.pipeline import _kept_graphs
    from kg.store import graph_iri
    from kg.terms import sort_key
    from kg.validate import load_shapes, validate
    from kg.vocab import DEFAULT_BASE_IRI

    out.mkdir(parents=True, exist_ok=True)
    timed_rows: list[tuple[str, float, float, float]] = []

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
        rate = n / seconds if seconds else float("inf")
        timed_rows.append((name, seconds, rate, rss_mb()))
        return value

    timed("load shapes (once)", load_shapes)
    raw = timed("read", lambda: read_feed(str(path)))
    record = timed("extract", lambda: extract_feed(raw))
    mapped = timed("map", lambda: map_feeds([record]))
    triples = timed("union of triples", lambda: all_triples(mapped))
    report = timed("validate (SHACL)", lambda: validate(triples))
    ordered = timed("sort (once)", lambda: sorted(triples, key=sort_key))
    timed("turtle", lambda: turtle_sorted(ordered, out / "graph.ttl"))
    graphs = _kept_graphs(mapped, set(), ordered, graph_iri(DEFAULT_BASE_IRI, "shared"))
    timed("n-quads", lambda: nquads_of_graphs(graphs, out / "graph.nq"))
    view = timed("property graph", lambda: property_graph(ordered))
    timed("graphml", lambda: write_graphml(view, out / "graph.graphml"))
    timed("(api) networkx", lambda: networkx_of_sorted(ordered))
    total = sum(r[1] for r in timed_rows[1:-1])  # the build does not make the networkx graph
    floor = timed_rows[1][1]
    print(f"\n{n} items, {len(triples)} triples, conforms={report.conforms}")
    print(f"{'stage':<22}{'seconds':>9}{'items/s':>10}{'x read':>8}{'peak RSS MB':>13}")
    for name, seconds, rate, mem in timed_rows:
        print(f"{name:<22}{seconds:>9.2f}{rate:>10.0f}{seconds / floor:>8.2f}{mem:>13.0f}")
    print(f"{'sum of stages':<22}{total:>9.2f}{n / total:>10.0f}")


def end_to_end(path: Path, n: int, out: Path) -> None:
    kg = Path(sys.executable).parent / "kg"
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = subprocess.run(
        [str(kg), "build", str(path), "--out", str(out), "--no-store"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    status = "ok" if run.returncode == 0 else f"exit {run.returncode}: {run.stderr.strip()[-300:]}"
    print(
        f"end to end `kg build`: {seconds:.2f} s, {n / seconds:.0f} items/s, "
        f"peak RSS {max(peak, before) / 1024:.0f} MB ({status})"
    )


def main() -> None:
    from kg.pipeline import _bulk

    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for n in sizes:
            path = make_feed(n, directory)
            size = path.stat().st_size / 1e6
            print(f"\n=== {n} items ({size:.1f} MB), python {sys.version.split()[0]}")
            out = directory / f"out-{n}"
            end_to_end(path, n, out)
            with _bulk():  # as in the pipeline: no cycle collector during a build
                stages(path, n, directory / f"stages-{n}")


if __name__ == "__main__":
    main()
