"""Run ``kg build`` on every file of the corpus, one process each (not a test).

Usage: python bench/corpus_build.py [CORPUS_DIR] [--json] [--timeout S] [--jobs N]

CORPUS_DIR defaults to ``../shared/corpus`` next to the repository.  Every
file under it is built on its own, folders recursively (feedparser-tests and
malformed included; ``.gz`` files are passed as they are, reading them is the
CLI's business), except ``*.md`` documentation.  Each build is the real CLI
(``python -m kg build FILE --out DIR``, run from the repository root so the
working tree's ``kg`` is the one measured) with a timeout, because what this
looks for is what a user meets: exit codes, crashes, hangs, messages.

Per file it reports the exit code, wall-clock seconds, stories kept and set
aside and ``conforms`` (from the build's report.json, when one was written)
and the first line of stderr.  The summary counts exit codes, lists files
whose stderr holds a Python traceback, the timeouts, and every non-zero exit
grouped by folder with its message: the first stderr line that says
``error``, else the last line of a traceback, else the first line.

Two builds run at a time (``--jobs``): the work is in the child processes, so
a pool of threads that each wait on one child is enough.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
TIMEOUT = 60.0
TIMED_OUT = "timeout"


def run_one(path: Path, corpus: Path, out: Path, timeout: float) -> dict[str, Any]:
    """Build one file in its own process; never raises."""
    command = [sys.executable, "-m", "kg", "build", str(path), "--out", str(out)]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, errors="replace", timeout=timeout
        )
        code: int | str = done.returncode
        stderr = done.stderr
    except subprocess.TimeoutExpired as e:  # subprocess.run has killed the child
        code = TIMED_OUT
        raw = e.stderr or ""
        stderr = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    seconds = time.perf_counter() - start
    # paths relative to the corpus: shorter, and the same on every machine
    stderr = stderr.replace(f"{corpus}/", "")
    lines = [line for line in stderr.splitlines() if line.strip()]
    row: dict[str, Any] = {
        "file": str(path.relative_to(corpus)),
        "folder": str(path.parent.relative_to(corpus)),
        "exit": code,
        "seconds": round(seconds, 2),
        "kept": None,
        "set_aside": None,
        "conforms": None,
        "stderr_first": lines[0] if lines else "",
        "message": f"timed out after {timeout:g} s" if code == TIMED_OUT else _message(lines),
        "traceback": "Traceback" in stderr,
    }
    report = out / "report.json"
    if report.exists():
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
            row["kept"] = data["summary"]["items_kept"]
            row["set_aside"] = data["summary"]["items_rejected"]
            row["conforms"] = data["conforms"]
        except (ValueError, KeyError, TypeError) as e:
            row["message"] = f"report.json unreadable: {e}"
    return row


def _message(lines: list[str]) -> str:
    """The line that best says why a build failed (see the module docstring)."""
    for line in lines:
        if "error" in line.lower() and not line.startswith("kg: warning"):
            return line
    if any(line.startswith("Traceback") for line in lines):
        return lines[-1]
    return lines[0] if lines else ""


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    codes = Counter(str(r["exit"]) for r in rows)
    failing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["exit"] != 0:
            failing[r["folder"]].append(
                {"file": r["file"], "exit": r["exit"], "message": r["message"]}
            )
    return {
        "files": len(rows),
        "exit_codes": dict(sorted(codes.items())),
        "stories_kept": sum(r["kept"] or 0 for r in rows),
        "stories_set_aside": sum(r["set_aside"] or 0 for r in rows),
        "files_with_set_aside": sum(1 for r in rows if r["set_aside"]),
        "not_conforming": [r["file"] for r in rows if r["conforms"] is False],
        "tracebacks": [r["file"] for r in rows if r["traceback"]],
        "timeouts": [r["file"] for r in rows if r["exit"] == TIMED_OUT],
        "seconds": round(sum(r["seconds"] for r in rows), 1),
        "slowest": [
            (r["file"], r["seconds"]) for r in sorted(rows, key=lambda r: -r["seconds"])[:5]
        ],
        "non_zero_by_folder": dict(sorted(failing.items())),
    }


def _show(value: Any) -> str:
    return "-" if value is None else str(value)


def print_table(rows: list[dict[str, Any]], totals: dict[str, Any]) -> None:
    print(f"{'file':<62}{'exit':>8}{'s':>7}{'kept':>6}{'aside':>6}{'conf':>6}  stderr (first line)")
    for r in rows:
        conforms = {True: "yes", False: "NO", None: "-"}[r["conforms"]]
        print(
            f"{r['file'][-61:]:<62}{r['exit']!s:>8}{r['seconds']:>7.2f}{_show(r['kept']):>6}"
            f"{_show(r['set_aside']):>6}{conforms:>6}  {r['stderr_first'][:100]}"
        )
    codes = ", ".join(f"exit {code}: {n}" for code, n in totals["exit_codes"].items())
    print(f"\n{totals['files']} files, {totals['seconds']} s of builds; {codes}")
    print(
        f"stories: {totals['stories_kept']} kept, {totals['stories_set_aside']} set aside "
        f"(in {totals['files_with_set_aside']} files); not conforming "
        f"({len(totals['not_conforming'])}): {', '.join(totals['not_conforming']) or 'none'}"
    )
    slowest = ", ".join(f"{f} {s:.1f} s" for f, s in totals["slowest"])
    print(f"slowest: {slowest}")
    print(f"tracebacks ({len(totals['tracebacks'])}): {', '.join(totals['tracebacks']) or 'none'}")
    print(f"timeouts ({len(totals['timeouts'])}): {', '.join(totals['timeouts']) or 'none'}")
    for folder, failed in totals["non_zero_by_folder"].items():
        print(f"\nnon-zero in {folder}/ ({len(failed)}):")
        for f in failed:
            print(f"  {f['exit']!s:>7}  {Path(f['file']).name}: {f['message'][:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per file")
    parser.add_argument("--jobs", type=int, default=2, help="builds at a time (default 2)")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix != ".md")
    if not paths:
        sys.exit(f"no files under {corpus}")
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        outs = [Path(tmp) / str(i) for i in range(len(paths))]
        rows = list(pool.map(lambda p, o: run_one(p, corpus, o, args.timeout), paths, outs))
    totals = summary(rows)
    if args.json:
        print(json.dumps({"files": rows, "summary": totals}, indent=2, ensure_ascii=False))
    else:
        print_table(rows, totals)


if __name__ == "__main__":
    main()
