"""Benchmark: ingest an N-item feed into a store, then read it again (not a test).

Usage: python bench/bench_ingest.py [N]   (default: 10000)

Each step is a separate ``kg build`` process, timed from outside, with its
own peak RSS (from GNU time's %M where installed: a child's ru_maxrss from
wait4 was seen to repeat an earlier, larger child's figure):

1. ``--no-store``: the plain build, for comparison;
2. first ingest into an empty store;
3. the same feed again: nothing changed, so the build is skipped;
4. the next "day": 1% of the items edited, 1% new, 1% gone from the window
   (kept by the store): a full rebuild from every stored item;
5. that day's feed again: unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "scienmag-neuroimaging-in-psychiatry.rss"
KG = Path(sys.executable).parent / "kg"


def run(label: str, args: list[str], n: int) -> None:
    gnu_time = shutil.which("time") if Path("/usr/bin/time").exists() else None
    prefix = [gnu_time, "-f", "%M"] if gnu_time else []
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*prefix, str(KG), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    peak_kb = usage.ru_maxrss
    if gnu_time and err.strip().splitlines()[-1:][0].isdigit():
        peak_kb = int(err.strip().splitlines()[-1])
    code = os.waitstatus_to_exitcode(status)
    note = "" if code == 0 else f"  exit {code}: {err.strip()[-200:]}"
    last = [line for line in err.splitlines() if line.startswith("kg: store")][-1:] or [""]
    print(
        f"{label:<34}{seconds:>8.2f} s{n / seconds:>9.0f} items/s"
        f"{peak_kb / 1024:>9.0f} MB  {last[0][:90]}{note}"
    )


def next_day(feed: Path, dest: Path, n: int) -> None:
    """1% of items edited, 1% new (copies of edited ones with new links), 1% dropped."""
    text = feed.read_text(encoding="utf-8")
    start, end = text.index("<item>"), text.rindex("</item>") + len("</item>")
    items = [b + "</item>" for b in text[start:end].split("</item>") if "<item>" in b]
    k = max(1, n // 100)
    edited = [
        re.sub(r"<title>(.*?)</title>", r"<title>\1 (updated)</title>", i, count=1)
        for i in items[:k]
    ]
    new = [i.replace("scienmag.com/", "scienmag.com/new-", 2) for i in edited]
    kept = items[k : len(items) - k]
    dest.write_text(text[:start] + "\n\t".join(new + edited + kept) + text[end:], "utf-8")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        feed, day2 = d / "feed.xml", d / "day2.xml"
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "make_feed.py"), str(SEED), str(n), str(feed)],
            check=True,
        )
        next_day(feed, day2, n)
        print(f"{n} items, {feed.stat().st_size / 1e6:.0f} MB, python {sys.version.split()[0]}")
        out, store = d / "out", d / "out" / "store"
        run("build --no-store", ["build", str(feed), "--out", str(d / "plain"), "--no-store"], n)
        run("ingest into an empty store", ["build", str(feed), "--out", str(out)], n)
        run("same feed again (unchanged)", ["build", str(feed), "--out", str(out)], n)
        run("next day (1% edited/new/gone)", ["build", str(day2), "--out", str(out)], n)
        run("next day again (unchanged)", ["build", str(day2), "--out", str(out)], n)
        size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
        print(f"store on disk: {size / 1e6:.0f} MB (current and previous generation)")


if __name__ == "__main__":
    main()
