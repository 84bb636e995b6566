"""Build kg/data/journals.tsv.gz from the CC0 JabRef journal abbreviation lists.

Usage: python tools/build_journal_list.py DIR_WITH_CSV_FILES

Each line of the output is ``key<TAB>full title``: the key is the normalised
form (kg.extract.journals.journal_key) of an abbreviation or of a full title.
A key that names two different journals is left out: it cannot be resolved.
The full title kept for a journal is the spelling most lists agree on.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.extract.journals import journal_key

#: Most careful lists first: they win ties between spellings of a full title.
ORDER = ["general", "lifescience", "ubc", "medicus", "entrez"]


def main() -> None:
    source = Path(sys.argv[1])
    spellings: dict[str, Counter[str]] = defaultdict(Counter)  # key(full) -> spellings
    first_seen: dict[str, int] = {}
    names: dict[str, set[str]] = defaultdict(set)  # key(any name) -> key(full)
    rank = 0
    for name in ORDER:
        with (source / f"journal_abbreviations_{name}.csv").open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if len(row) < 2 or not row[0].strip() or not row[1].strip():
                    continue
                full = " ".join(row[0].split())
                full_key = journal_key(full)
                spellings[full_key][full] += 1
                first_seen.setdefault(full, rank := rank + 1)
                for alias in (full, row[1]):
                    names[journal_key(alias)].add(full_key)
    lines = []
    for key, targets in sorted(names.items()):
        if len(targets) != 1 or not key:
            continue
        (target,) = targets
        title = max(spellings[target], key=lambda s: (spellings[target][s], -first_seen[s]))
        lines.append(f"{key}\t{title}\n")
    out = Path(__file__).resolve().parent.parent / "kg" / "data" / "journals.tsv.gz"
    out.write_bytes(gzip.compress("".join(lines).encode("utf-8"), mtime=0))
    print(f"{len(lines)} keys -> {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
