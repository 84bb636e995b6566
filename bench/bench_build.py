"""Benchmark: build an N-item feed stage by stage, then end to end (not a test).

Usage: python bench/bench_build.py [--no-stages] [--repeat K] [N ...]   (default: 1000 10000)

The feed is made from the seed by bench/make_feed.py (each item a copy of a
real 13 KB scienmag item with its own title, link, DOI and date).

1. **The lxml floor**: lxml parses the feed and reads each item's fields
   (title, link, guid, date, creator, categories, description, content), and
   nothing else: no real reader can be faster, so every stage is also shown
   as a multiple of it ("x floor").
2. **Stages**, in this process, one after the other as a build runs them:
   seconds, items/s, x floor and the peak RSS so far.  "store (bulk load)"
   is loading the N-Quads file into a new on-disk pyoxigraph database, which
   an ingest does on a second thread while the outputs are written (after
   them, on one CPU).  This process holds every stage's data to the end, so
   its last RSS figures are above a real build's.
3. **End to end**: ``kg build`` as separate processes, timed from outside,
   with the peak RSS from GNU time: into a new store (the default), with
   ``--no-store``, and both again pinned to one core with ``taskset -c 0``.

``--no-stages`` runs only the floor and the end-to-end builds (for 100k
items, where the stages in one process would hold every stage's data).
``--repeat K`` runs each end-to-end build K times and shows the fastest (and
every time): the project's machine is a virtual one whose speed drifts.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "scienmag-neuroimaging-in-psychiatry.rss"
KG = Path(sys.executable).parent / "kg"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_feed(n: int, directory: Path) -> Path:
    path = directory / f"feed-{n}.xml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_feed.py"), str(SEED), str(n), str(path)],
        check=True,
    )
    return path


def lxml_floor(path: Path) -> float:
    """Seconds for lxml to parse the feed and read every item's fields."""
    from lxml import etree

    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    creator = "{http://purl.org/dc/elements/1.1/}creator"
    start = time.perf_counter()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.parse(str(path), parser).getroot()
    fields = [
        (
            item.findtext("title"),
            item.findtext("link"),
            item.findtext("guid"),
            item.findtext("pubDate"),
            item.findtext(creator),
            [c.text for c in item.iterfind("category")],
            item.findtext("description"),
            item.findtext(content),
        )
        for item in root.iter("item")
    ]
    seconds = time.perf_counter() - start
    assert fields
    return seconds


def header(first: str, width: int) -> None:
    names = ("seconds", "items/s", "x floor", "peak RSS MB")
    print(f"| {first:<{width}} | " + " | ".join(names) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * (len(name) + 1) + ":" for name in names) + "|")


Row = tuple[str, float, float]  # stage, seconds, peak RSS MB so far


def stages(path: Path, n: int, out: Path, floor: float) -> None:
    import pyoxigraph as ox

    from kg.export.networkx import property_graph, write_graphml
    from kg.export.rdf import turtle_sorted, write_nquads
    from kg.extract import extract_feed
    from kg.feeds import read_feed
    from kg.mapping import all_triples, map_feeds
    from kg.pipeline import _kept_graphs
    from kg.store import graph_iri
    from kg.terms import sort_triples
    from kg.validate import load_shapes, validate_nt
    from kg.vocab import DEFAULT_BASE_IRI

    out.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = fn()
        rows.append((name, time.perf_counter() - start, rss_mb()))
        return value

    load_shapes()
    raw = timed("read", lambda: read_feed(str(path)))
    record = timed("extract", lambda: extract_feed(raw))
    mapped = timed("map", lambda: map_feeds([record]))
    triples = timed("union of triples", lambda: all_triples(mapped))
    report = timed("validate (SHACL)", lambda: validate_nt(triples))
    ordered = timed("sort (once)", lambda: sort_triples(triples))
    shared = graph_iri(DEFAULT_BASE_IRI, "shared")
    graphs = timed("partition", lambda: _kept_graphs(mapped, set(), ordered, shared))
    nquads = out / "graph.nq"
    timed("n-quads", lambda: write_nquads(graphs, nquads))
    timed("turtle", lambda: turtle_sorted(ordered, out / "graph.ttl"))
    view = timed("property graph", lambda: property_graph(ordered))
    timed("graphml", lambda: write_graphml(view, out / "graph.graphml"))
    db = out / "oxigraph"
    timed(
        "store (bulk load)",
        lambda: ox.Store(str(db)).bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS, lenient=True),
    )
    shutil.rmtree(db, ignore_errors=True)
    total = sum(seconds for _, seconds, _ in rows)
    print(f"\nstages: {n} items, {len(triples)} triples, conforms={report.conforms}")
    header("stage", 20)
    for name, seconds, mem in [("lxml floor", floor, 0.0), *rows]:
        rate = n / seconds if seconds else float("inf")
        memory = f"{mem:>11.0f}" if mem else f"{'':>11}"
        print(
            f"| {name:<20} | {seconds:>7.2f} | {rate:>8.0f} | {seconds / floor:>7.2f} | {memory} |"
        )
    plain = total - sum(seconds for name, seconds, _ in rows if name.startswith("store"))
    for label, seconds in (("sum of stages", total), ("sum without store", plain)):
        print(
            f"| {label:<20} | {seconds:>7.2f} | {n / seconds:>8.0f} | {seconds / floor:>7.2f} "
            f"|{'':>13}|"
        )


def end_to_end(
    label: str, args: list[str], n: int, floor: float, *, one_core: bool, out: Path, repeat: int
) -> None:
    """``kg build`` as its own process, ``repeat`` times from an empty ``out``: the
    fastest wall time (the machine's drift only ever adds) and the highest peak
    RSS (GNU time's %M)."""
    gnu_time = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
    command = [str(KG), "build", *args]
    if gnu_time:
        command = [gnu_time, "-f", "%M", *command]
    if one_core:
        command = ["taskset", "-c", "0", *command]
    times, peaks, status = [], [], ""
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        lines = run.stderr.strip().splitlines()
        if gnu_time and lines and lines[-1].isdigit():
            peaks.append(int(lines[-1]) / 1024)
        if run.returncode != 0:
            status = f"  (exit {run.returncode}: {run.stderr[-200:]})"
    seconds = min(times)
    peak = f"{max(peaks):.0f}" if peaks else "?"
    spread = f"  ({', '.join(f'{t:.2f}' for t in times)})" if repeat > 1 else ""
    print(
        f"| {label:<30} | {seconds:>7.2f} | {n / seconds:>8.0f} | {seconds / floor:>7.2f} "
        f"| {peak:>11} |{status}{spread}"
    )


def main() -> None:
    from kg.runtime import bulk_allocation

    args = sys.argv[1:]
    if {"-h", "--help"} & set(args):
        print(__doc__)
        return
    run_stages = "--no-stages" not in args
    repeat = 1
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at : at + 2]
    sizes = [int(a) for a in args if a != "--no-stages"] or [1000, 10000]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for n in sizes:
            path = make_feed(n, directory)
            size = path.stat().st_size / 1e6
            floor = min(lxml_floor(path) for _ in range(2))
            print(
                f"\n=== {n} items ({size:.1f} MB), python {sys.version.split()[0]}, "
                f"{os.cpu_count()} cores; lxml floor {floor:.2f} s = {n / floor:.0f} items/s"
            )
            print()
            header("end to end", 30)
            for cores in (2, 1):
                for store in (True, False):
                    out = directory / f"out-{n}"
                    where = ["--store", str(out / "store")] if store else ["--no-store"]
                    kind = "store" if store else "--no-store"
                    label = f"kg build, {kind}, {cores} core{'s' if cores > 1 else ''}"
                    build = [str(path), "--out", str(out), *where]
                    end_to_end(label, build, n, floor, one_core=cores == 1, out=out, repeat=repeat)
            shutil.rmtree(directory / f"out-{n}", ignore_errors=True)
            if run_stages:
                with bulk_allocation():  # as in the pipeline: no cycle collector during a build
                    stages(path, n, directory / f"stages-{n}", floor)
                shutil.rmtree(directory / f"stages-{n}", ignore_errors=True)
            path.unlink()


if __name__ == "__main__":
    main()
