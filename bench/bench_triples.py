"""Experiment: triples as pyoxigraph ``Triple`` objects against tuples of shared
N-Triples term strings, on a built graph (not a test).

The measurement behind the pipeline's triple type: the tuples won, and are
``kg.terms.NTriple`` since 2026-11-29; the ``Triple`` side is what the pipeline
held before.

Usage: python bench/bench_triples.py GRAPH.nq   (e.g. output/graph.nq of a 10k build)

For each representation, in its own process: the memory the triples hold (after
returning freed heap to the system), then the times of the stages that only
move triples around: their union (a frozenset), the one sort, N-Triples text,
and the validator's columns (subjects and objects grouped by predicate).  It
also checks that sorting the string tuples gives the order of the N-Triples
text of each triple (the files' order).
"""

from __future__ import annotations

import ctypes
import gc
import subprocess
import sys
import time
from operator import attrgetter
from pathlib import Path
from typing import Any

import pyoxigraph as ox


def rss_mb() -> int:
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def load(data: bytes, kind: str) -> list[Any]:
    quads = ox.parse(data, format=ox.RdfFormat.N_QUADS)
    if kind == "ox":
        return [q.triple for q in quads]
    shared: dict[str, str] = {}
    out = []
    for q in quads:
        t = q.triple
        terms = (str(t.subject), str(t.predicate), str(t.object))
        out.append(tuple(shared.setdefault(x, x) for x in terms))
    return out


def measure(path: str, kind: str) -> None:
    gc.disable()
    data = Path(path).read_bytes()
    base = rss_mb()
    items = load(data, kind)
    held = rss_mb() - base
    start = time.perf_counter()
    union = frozenset(items)
    t_union = time.perf_counter()
    ordered = sorted(union, key=str) if kind == "ox" else sorted(union)
    t_sort = time.perf_counter()
    if kind == "ox":
        ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES)
    else:
        "".join(f"{s} {p} {o} .\n" for s, p, o in ordered).encode()
    t_text = time.perf_counter()
    buckets: dict[Any, list[Any]] = {}
    if kind == "ox":
        for t in union:
            buckets.setdefault(t.predicate, []).append(t)
        subject, object_ = attrgetter("subject"), attrgetter("object")
        {p: (list(map(subject, b)), list(map(object_, b))) for p, b in buckets.items()}
    else:
        for t in union:
            buckets.setdefault(t[1], []).append(t)
        {p: ([t[0] for t in b], [t[2] for t in b]) for p, b in buckets.items()}
    t_columns = time.perf_counter()
    print(
        f"| {kind:<13} | {len(union):>9} | {held:>7} | {t_union - start:>5.2f} | "
        f"{t_sort - t_union:>5.2f} | {t_text - t_sort:>9.2f} | {t_columns - t_text:>7.2f} | "
        f"{t_columns - start:>5.2f} |"
    )
    if kind == "strings":
        expected = [str(t) for t in sorted(load(data, "ox"), key=str)]
        same = [" ".join(t) for t in ordered] == expected
        print(f"\nsorted string tuples in the order of today's sort key: {same}")


def main() -> None:
    if len(sys.argv) == 3:
        measure(sys.argv[1], sys.argv[2])
        return
    print("| triples as    |   triples | held MB | union |  sort | N-Triples | columns | total |")
    print("|---------------|----------:|--------:|------:|------:|----------:|--------:|------:|")
    for kind in ("ox", "strings"):
        subprocess.run([sys.executable, __file__, sys.argv[1], kind], check=True)


if __name__ == "__main__":
    main()
