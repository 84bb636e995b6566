"""Decompression with caps: what a feed arrives in (gzip and deflate
``Content-Encoding``, or a saved ``feed.xml.gz``) may expand a thousandfold,
so output is bounded as it is produced, never after.
"""

from __future__ import annotations

import zlib

from kg.errors import FeedError

#: What a compressed feed may expand to: archives are large, bombs larger.
MAX_GUNZIPPED = 512 * 1024 * 1024


class Decoder:
    """Undoes a ``Content-Encoding`` (gzip, deflate; several in turn) with its
    output capped: zlib is asked for at most the bytes still allowed, so a
    small bomb never expands in memory."""

    def __init__(self, url: str, header: str, max_decoded: int) -> None:
        self.url = url
        self.max = max_decoded
        self.out = bytearray()
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        for coding in codings:
            if coding not in ("gzip", "x-gzip", "deflate"):
                raise FeedError(url, f"unsupported Content-Encoding {coding!r}")
        self.codings = codings[::-1]  # the last one applied is undone first
        self.inflaters: list[zlib._Decompress | None] = [None] * len(self.codings)

    def feed(self, chunk: bytes) -> None:
        for i, coding in enumerate(self.codings):
            chunk = self._inflate(i, coding, chunk)
        self.out += chunk
        if len(self.out) > self.max:
            self._too_big()

    def finish(self) -> bytes:
        self.feed(b"")
        for coding, inflater in zip(self.codings, self.inflaters, strict=True):
            if inflater is not None and not inflater.eof:
                raise FeedError(self.url, f"truncated {coding} Content-Encoding")
        return bytes(self.out)

    def _inflate(self, i: int, coding: str, chunk: bytes) -> bytes:
        inflater = self.inflaters[i]
        if inflater is None:
            if not chunk:
                return chunk
            inflater = self.inflaters[i] = inflater_for(coding, chunk)
        room = self.max - len(self.out) + 1
        try:
            data = inflater.decompress(chunk, room)
        except zlib.error as e:
            raise FeedError(self.url, f"corrupt {coding} Content-Encoding ({e})") from e
        if inflater.unconsumed_tail:  # the cap was reached with input left over
            self._too_big()
        return data

    def _too_big(self) -> None:
        raise FeedError(
            self.url, f"too big: the response expands past the {size_text(self.max)} limit"
        )


def inflater_for(coding: str, first: bytes) -> zlib._Decompress:
    if coding != "deflate":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    # "deflate" means zlib-wrapped (RFC 9110 8.4.1.2), but servers send raw DEFLATE too
    wrapped = len(first) < 2 or (first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0)
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


def size_text(n: int) -> str:
    """A byte count the way the caps are set: MiB, KiB or bytes."""
    for unit, name in ((1024 * 1024, "MiB"), (1024, "KiB")):
        if n >= unit:
            return f"{n / unit:.3g} {name}" if n % unit else f"{n // unit} {name}"
    return f"{n} bytes"


def gunzip(data: bytes, source: str, *, max_bytes: int = MAX_GUNZIPPED) -> bytes:
    """The feed inside gzip-compressed bytes (a saved ``feed.xml.gz``, a server
    sending a .gz file); other bytes unchanged.  Expansion is capped, so a
    small "gzip bomb" cannot fill the memory.

    :raises FeedError: the gzip data is corrupt or expands past ``max_bytes``.
    """
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as e:
        raise FeedError(source, f"corrupt gzip data ({e})") from e
    if len(out) > max_bytes:
        raise FeedError(source, f"gzip data expands past the {size_text(max_bytes)} limit")
    return out
