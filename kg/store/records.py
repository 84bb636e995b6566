"""Extracted records to JSON and back, for the store's item history.

The store keeps every item it has seen as the record extraction made of it,
not as triples: an item that has left the feed window must be mapped again
with the items that arrive later (a paper they share is merged from all of
them), and only records can be.  The codec is driven by the dataclasses' own
type hints, so a new field in :mod:`kg.types` needs no change here; a field
the stored JSON lacks takes its default, so older stores stay readable.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass, replace
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from kg.types import FeedRecord, ItemRecord

T = TypeVar("T")


_ATOMS = (str, int, float, bool, type(None))


@cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...] | None:
    """(name, default) of each field of a dataclass, None for any other type."""
    if not is_dataclass(cls):
        return None
    return tuple(
        (f.name, f.default if f.default is not MISSING else _NO_DEFAULT) for f in fields(cls)
    )


_NO_DEFAULT = object()


def encode(value: Any) -> Any:
    """JSON-ready form: dataclasses as objects of their non-default fields."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is tuple or kind is list:
        return [encode(v) for v in value]
    spec = _fields(kind)  # type: ignore[arg-type]
    if spec is not None:
        out: dict[str, Any] = {}
        for name, default in spec:
            v = getattr(value, name)
            if v is not default and (default is _NO_DEFAULT or v != default):
                out[name] = encode(v)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def decode(cls: type[T], data: Any) -> T:
    """The inverse of :func:`encode`, guided by ``cls``'s type hints."""
    return typing.cast(T, _decoder(cls)(data))  # type: ignore[arg-type]


def _identity(data: Any) -> Any:
    return data


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A decoding function per type, built once: a store holds thousands of records."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) != 1:
            return _identity
        inner = _decoder(options[0])
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return tuple if item is _identity else lambda data: tuple(map(item, data))
        parts = [_decoder(a) for a in args]
        return lambda data: tuple(f(v) for f, v in zip(parts, data, strict=True))
    if isinstance(tp, type) and is_dataclass(tp):
        hints = {name: _decoder(hint) for name, hint in typing.get_type_hints(tp).items()}
        return lambda data: tp(**{k: hints[k](v) for k, v in data.items() if k in hints})
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp
    return _identity


def dumps(value: Any) -> str:
    """Canonical JSON: the same record always gives the same text (and hash)."""
    return _canonical(encode(value))


def item_hash(item: ItemRecord) -> str:
    """What an item says, as a digest: equal when nothing in it changed.

    The item's position is left out: a new item pushes every other one down
    the feed, which changes none of them.
    """
    return dumps_with_hash(item)[2]


def dumps_with_hash(item: ItemRecord) -> tuple[int, str, str]:
    """The item's position, its canonical JSON without the position, and the
    digest of that JSON: the item encoded and serialised once, for both the
    store's record line and :func:`item_hash`."""
    data = encode(item)
    index = data.pop("index")
    text = _canonical(data)
    return index, text, _digest(text)


def feed_hash(feed: FeedRecord) -> str:
    """What the channel itself says (its items aside), as a digest."""
    return _digest(dumps(replace(feed, items=())))


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def item_key(item: ItemRecord) -> str:
    """Which stored item a newly read one is a new version of.

    The guid is what feeds promise stays put while an item is edited; without
    one, the link; without either, the content itself (such an item cannot be
    edited, only replaced).
    """
    if item.guid:
        return f"guid:{item.guid}"
    if item.link or item.link_raw:
        return f"link:{item.link or item.link_raw}"
    published = item.published.isoformat() if item.published else item.published_raw or ""
    text = "\x1f".join((item.title or "", published, item.summary or ""))
    return "content:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
