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
    from kg.export import to_networkx, to_nquads, to_turtle, write_graphml
    from kg.extract import extract_feed
    from kg.feeds import read_feed
    from kg.mapping import map_feeds
    from kg.pipeline import _quads, _union
    from kg.validate import load_shapes, validate

    load_shapes()
    rows = []

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
        rows.append((name, seconds, n / seconds if seconds else float("inf"), rss_mb()))
        return value

    raw = timed("read (feedparser)", lambda: read_feed(str(path)))
    record = timed("extract", lambda: extract_feed(raw))
    mapped = timed("map", lambda: map_feeds([record]))
    graph = timed("union graph (rdflib)", lambda: _union(mapped, exclude=set()))
    report = timed("validate (pyshacl)", lambda: validate(graph))
    timed("turtle (pyoxigraph)", lambda: to_turtle(graph, out / "graph.ttl"))
    timed(
        "n-quads (pyoxigraph)",
        lambda: to_nquads(_quads(mapped, set(), kept=True), out / "graph.nq"),
    )
    timed("networkx + graphml", lambda: write_graphml(to_networkx(graph), out / "graph.graphml"))
    total = sum(r[1] for r in rows)
    print(f"\n{n} items, {len(graph)} triples, conforms={report.conforms}")
    print(f"{'stage':<24}{'seconds':>10}{'items/s':>12}{'peak RSS MB':>14}")
    for name, seconds, rate, mem in rows:
        print(f"{name:<24}{seconds:>10.2f}{rate:>12.0f}{mem:>14.0f}")
    print(f"{'sum of stages':<24}{total:>10.2f}{n / total:>12.0f}")


def end_to_end(path: Path, n: int, out: Path) -> None:
    kg = Path(sys.executable).parent / "kg"
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = subprocess.run(
        [str(kg), "build", str(path), "--out", str(out)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    status = "ok" if run.returncode == 0 else f"exit {run.returncode}: {run.stderr.strip()[-300:]}"
    print(
        f"end to end `kg build`: {seconds:.2f} s, {n / seconds:.0f} items/s, "
        f"peak RSS {max(peak, before) / 1024:.0f} MB ({status})"
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for n in sizes:
            path = make_feed(n, directory)
            size = path.stat().st_size / 1e6
            print(f"\n=== {n} items ({size:.1f} MB), python {sys.version.split()[0]}")
            out = directory / f"out-{n}"
            end_to_end(path, n, out)
            stages(path, n, directory / f"stages-{n}")


if __name__ == "__main__":
    main()
