"""kg/runtime.py: how a build treats the collector, the heap and the CPUs."""

from __future__ import annotations

import gc
import os
import weakref

from kg.cli import main
from kg.runtime import bulk_allocation, give_back_free_memory, usable_cpus

from .conftest import SEED


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


def test_a_callers_frozen_objects_stay_frozen_and_cycles_are_freed():
    """A library caller's process is left as it was: what it froze stays frozen,
    and a cycle made during a build is freed by the collector afterwards."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with bulk_allocation():
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle, garbage once the names go
            watch = weakref.ref(a)
            del a, b
        assert gc.get_freeze_count() == frozen > 0
        gc.collect()
        assert watch() is None
    finally:
        gc.unfreeze()


def test_the_kg_executable_leaves_the_collector_off_after_a_build(tmp_path):
    """Only the executable (the process ends next) skips the collection that
    would walk everything the build made; ``main`` called from Python does not."""
    out = tmp_path / "out"
    try:
        assert main(["build", str(SEED), "--out", str(out), "--no-store"]) == 0
        assert gc.isenabled()
        assert main(["build", str(SEED), "--out", str(out), "--no-store"], exits=True) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def test_freed_heap_goes_back_to_the_system():
    """glibc keeps what was freed below a block still in use; handing it back
    is what lets the store's loader thread use the memory."""
    blocks = [bytes(1000) + i.to_bytes(4, "little") for i in range(200_000)]  # ~200 MB
    pinned = blocks[-1]  # the top of the heap stays in use: free() alone cannot shrink it
    del blocks
    held = _rss_mb()
    give_back_free_memory()
    assert held - _rss_mb() > 100
    assert pinned


def test_usable_cpus_are_at_most_those_this_process_may_run_on():
    assert 1 <= usable_cpus() <= len(os.sched_getaffinity(0))  # a cgroup quota may lower it


def test_a_containers_cpu_quota_caps_the_cpus(tmp_path, monkeypatch):
    import kg.runtime

    cpu_max = tmp_path / "cpu.max"
    monkeypatch.setattr(kg.runtime, "CPU_MAX", cpu_max)
    cpus = len(os.sched_getaffinity(0))
    assert usable_cpus() == cpus  # no such file: no cgroup v2 limit
    for text, expected in [
        ("max 100000\n", cpus),
        ("100000 100000\n", 1),
        ("50000 100000\n", 1),  # half a CPU: still one
        ("150000 100000\n", 1),  # rounded down
        (f"{100000 * (cpus + 3)} 100000\n", cpus),  # the affinity is the smaller
        ("garbage\n", cpus),
    ]:
        cpu_max.write_text(text)
        assert usable_cpus() == expected, text
