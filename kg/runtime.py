"""How a build uses the process it runs in: the one place that tunes it.

A build makes millions of small, long-lived objects, hands a large file to
pyoxigraph's bulk loader on another thread, and may read feeds in worker
processes.  What CPython and glibc do by default costs it time and memory,
and each switch for that is here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Python's cycle collector off while a build makes its data.

    A build makes millions of small, acyclic, long-lived objects (records,
    terms, triples, property-graph dicts); each full collection walks all of
    them, which made the later stages grow faster than linearly with the
    feed.  Reference counting still frees everything; the collector is
    restored afterwards (and its first collection then walks what the build
    made, 0.6 s after 10,000 items: see :func:`collector_off_until_exit`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collector_off_until_exit() -> None:
    """For a process that makes one build and then exits (the ``kg build``
    command): the cycle collector stays off to the end.

    Turned back on, its first collection would walk every object the build
    made, 0.6 s after 10,000 items, just before the process ends and frees
    them all anyway.  Not for library callers or a server: cycles they make
    would never be freed.  (Moving the objects to the oldest generation with
    ``gc.freeze``/``gc.unfreeze`` instead would undo a caller's own freeze and
    let cycles from repeated builds pile up.)
    """
    gc.disable()


def give_back_free_memory() -> None:
    """Return the heap's free pages to the system (glibc's ``malloc_trim``).

    glibc keeps what Python frees (the parsed feed documents, the sort keys,
    the validator's columns) for later mallocs of the same thread; the bulk
    loader allocates on another thread, from another arena, and cannot reuse
    it, so without this the two add up at a build's peak.  A no-op where the
    C library is not glibc.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


#: cgroup v2's CPU limit of this process's group, as a container sees it.
CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def usable_cpus() -> int:
    """CPUs this process may use: the ones it may run on (``taskset``, a
    container's cpuset), fewer if its cgroup's quota allows less (``docker
    --cpus``, rounded down, at least 1); not the machine's count."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    quota = _cpu_quota()
    return min(cpus, quota) if quota is not None else cpus


def _cpu_quota() -> int | None:
    """``cpu.max`` holds "QUOTA PERIOD" (microseconds), or "max PERIOD" for none."""
    try:
        quota, period = CPU_MAX.read_text(encoding="ascii").split()
        return max(1, int(quota) // int(period))
    except (OSError, ValueError, ZeroDivisionError):  # no cgroup v2, "max", or garbage
        return None
