"""``kg build``: read feeds into the store (or into files alone), then say how it went."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from kg.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_NONCONFORMING,
    EXIT_OK,
    MAX_LINES,
    err,
    reason,
)
from kg.errors import KGError
from kg.feeds.sources import read_feed_list, read_opml
from kg.pipeline import BuildResult, FeedSummary, IngestResult, convert, ingest, report_dict


def build_command(args: argparse.Namespace) -> int:
    base = args.base_iri
    if not base.startswith(("http://", "https://")) or not base.endswith("/"):
        raise KGError("--base-iri", f"{base!r} must be an http(s) IRI ending in '/'")
    if args.no_store and args.store is not None:
        raise KGError("kg build", "give --store PATH or --no-store, not both")
    listed = [*args.feeds]
    for path in args.feed_lists:
        listed += read_feed_list(path)
    for path in args.opml:
        listed += read_opml(path)
    args.feeds = list(dict.fromkeys(listed))  # a feed named twice is read once
    if not args.feeds:
        raise KGError("kg build", "no feeds: give FEED..., --feeds FILE or --opml FILE")
    bar = ProgressBar(sys.stderr)
    try:
        if args.no_store:
            result = convert(
                args.feeds,
                out_dir=args.out,
                base_iri=base,
                shapes=args.shapes,
                progress=bar,
                jobs=args.jobs,
            )
            bar.clear()
            return _finish_build(args, result.errors, result, report_dict(result))
        ingested = ingest(
            args.feeds,
            store=args.store or args.out / "store",
            out_dir=args.out,
            base_iri=base,
            shapes=args.shapes,
            wait=args.wait,
            progress=bar,
            jobs=args.jobs,
        )
    finally:
        bar.clear()
    return _finish_build(args, ingested.failed, ingested.build, ingested.report, ingested)


class ProgressBar:
    """One line on stderr, redrawn in place, when stderr is a terminal; silent
    otherwise, so logs from cron and pipes get only the summary."""

    WIDTH = 24

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self._drawn_at = 0.0
        self._shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if 0 < done < total and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r\x1b[2Kkg: {stage} [{bar}] {done}/{total}")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False


def _finish_build(
    args: argparse.Namespace,
    errors: Sequence[FeedSummary],
    result: BuildResult | None,
    report: dict[str, Any],
    ingested: IngestResult | None = None,
) -> int:
    read = len(args.feeds) - len(errors)
    if not read:  # nothing could be read: nothing written
        for feed in errors:
            err(f"error: {feed.error}")
        return EXIT_BAD_INPUT
    if result is not None:
        _print_details(result)
    else:
        for feed in errors:
            err(f"error: {feed.error}")
    err(_summary_line(read, len(errors), report, ingested))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    if errors:
        return EXIT_BAD_INPUT
    conforms = result.conforms if result else bool(report.get("conforms", True))
    clean = result.clean if result else bool(report.get("clean", True))
    if not conforms or (args.strict and not clean):
        return EXIT_NONCONFORMING
    return EXIT_OK


def _summary_line(
    ok: int, failed: int, report: dict[str, Any], ingested: IngestResult | None
) -> str:
    """The one line a run ends with: what was read, what it changed, what is wrong."""
    s = report.get("summary", {})
    if ingested is not None:
        c = ingested.changes
        items = (
            f"items: {sum(x.new for x in c)} new, {sum(x.updated for x in c)} updated, "
            f"{sum(x.unchanged for x in c)} unchanged, {sum(x.kept for x in c)} kept from "
            f"earlier reads, {s.get('items_rejected', 0)} set aside"
        )
    else:
        items = (
            f"items: {s.get('items', 0)} read, {s.get('items_kept', 0)} kept, "
            f"{s.get('items_rejected', 0)} set aside"
        )
    conforms = report.get("conforms", True)
    verdict = "conforms" if conforms else "does not conform (see report.json)"
    tail = ""
    if ingested is not None:
        tail = "; unchanged, nothing to build" if ingested.build is None else ""
        tail += f"; store {ingested.store}"
    return (
        f"{ok} feed(s) ok, {failed} failed; {items}; {s.get('papers', 0)} papers; "
        f"{s.get('warnings', 0)} warnings; {verdict}{tail}"
    )


def _print_details(result: BuildResult) -> None:
    for warning in result.warnings[:MAX_LINES]:
        err(f"warning: {warning}")
    if len(result.warnings) > MAX_LINES:
        err(f"warning: ... and {len(result.warnings) - MAX_LINES} more (see report.json)")
    for feed in result.errors:
        err(f"error: {feed.error}")
    lines = [f"set aside: {r.label}: {reason(v)}" for r in result.rejected for v in r.reasons]
    for line in lines[:MAX_LINES]:
        err(line)
    if len(lines) > MAX_LINES:
        err(f"set aside: ... and {len(lines) - MAX_LINES} more reasons (see report.json)")
