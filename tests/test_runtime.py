"""kg/runtime.py: how a build treats the collector, the heap and the CPUs."""

from __future__ import annotations

import gc
import os
import weakref

from kg.runtime import bulk_allocation, give_back_free_memory, usable_cpus


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_collector_is_off_inside_and_restored_after():
    assert gc.isenabled()
    with bulk_allocation():
        assert not gc.isenabled()
        with bulk_allocation():  # nested: the outer block restores it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk_allocation():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_leaving_does_not_walk_what_was_made_but_cycles_are_still_found():
    """Restored plainly, the collector's next run walks everything made inside
    (and would free this cycle at once); the objects go to the oldest generation
    instead, whose next full collection frees the cycle."""
    with bulk_allocation():
        kept = [{"n": i} for i in range(200_000)]
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, garbage once the names go
        watch = weakref.ref(a)
        del a, b
    more = [{"n": i} for i in range(5_000)]  # enough to start a young collection
    assert watch() is not None  # ... which did not reach the objects made inside
    gc.collect()
    assert watch() is None  # a full collection frees the cycle: nothing leaks
    assert len(kept) + len(more) == 205_000


def test_free_memory_and_cpus():
    give_back_free_memory()  # glibc here; a no-op elsewhere, never an error
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)
