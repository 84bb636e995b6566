"""What the commands print besides their results, and the exit codes."""

from __future__ import annotations

import sys

from kg.export.networkx import curie
from kg.types import Violation

EXIT_OK, EXIT_NONCONFORMING, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
#: Lines of one kind (warnings, reasons) printed before "... and N more".
MAX_LINES = 20


def err(message: str) -> None:
    """One line on stderr, prefixed so that it reads well in a cron mail."""
    print(f"kg: {message}", file=sys.stderr)


def reason(v: Violation) -> str:
    where = f"{short(v.path)} of <{v.focus}>" if v.path else f"<{v.focus}>"
    value = f" (found {v.value!r})" if v.value is not None else ""
    return f"{where}: {v.message}{value}"


def short(iri: str | None) -> str:
    return curie(iri) if iri else ""
