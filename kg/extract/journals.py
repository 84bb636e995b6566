"""Journal names: one key per journal, and its full title when the lists know it.

"Transl Psychiatry" (NLM style, as PubMed and many news footers write it),
"Transl. Psychiatry" (ISO 4) and "Translational Psychiatry" are one journal.
The lookup table is built by tools/build_journal_list.py from the CC0 JabRef
abbreviation lists (kg/data/JOURNALS-LICENSE.md) and loaded on first use.
"""

from __future__ import annotations

import gzip
from functools import cache, lru_cache
from importlib.resources import files


def journal_key(name: str) -> str:
    """Journal names equal up to dots, case and spacing are one journal.

    >>> journal_key("Transl. Psychiatry") == journal_key("transl  psychiatry")
    True
    """
    return " ".join(name.replace(".", " ").split()).casefold()


@cache
def _titles() -> dict[str, str]:
    data = gzip.decompress(files("kg").joinpath("data/journals.tsv.gz").read_bytes())
    return dict(line.split("\t", 1) for line in data.decode("utf-8").splitlines() if "\t" in line)


@lru_cache(maxsize=4096)
def full_title(name: str) -> str | None:
    """The journal's full title when the abbreviation lists know ``name``.

    >>> full_title("Transl Psychiatry")
    'Translational Psychiatry'
    >>> full_title("Journal of Things Nobody Publishes") is None
    True

    Remembered per name: a feed's stories cite a few journals, over and over.
    """
    return _titles().get(journal_key(name))
