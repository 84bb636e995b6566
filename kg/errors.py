"""One exception hierarchy for everything a user can get wrong.

Every error carries its subject (the feed, item or file it is about) and
renders as ``subject: message`` so the CLI can print it as one line.  Third-
party exceptions are wrapped once, at their adapter, with ``raise ... from``.
"""

from __future__ import annotations


class KGError(Exception):
    """Root of feedkg's errors; the CLI turns any of them into exit code 2."""

    def __init__(self, subject: str, message: str) -> None:
        super().__init__(f"{subject}: {message}")
        self.subject = subject
        self.message = message


class FeedError(KGError):
    """A feed could not be read at all (missing, not a feed, unreachable)."""


class ShapesError(KGError):
    """The SHACL shapes themselves are unusable (unreadable or not valid SHACL)."""


class RDFInputError(KGError):
    """An RDF file given to ``kg validate`` could not be parsed."""
