"""Content negotiation for every view: the Accept header (with q-values) or an explicit format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return (self.type in ("*", kind)) and (self.subtype in ("*", sub))

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """Media ranges of an Accept header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges: list[MediaRange] = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            media = "*/*" if media == "*" else media
            if "/" not in media:
                continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        kind, _, sub = media.partition("/")
        ranges.append(MediaRange(kind, sub, q, order))
    return ranges


def choose(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers most, or None when it accepts none of them.

    For each offer the most specific matching range sets its quality (RFC 9110 §12.5.1). Among
    offers of equal quality, one the client named beats one it only reached by a wildcard
    (`text/html, */*` is a request for HTML), and then the order of `offered`, the server's
    preference, decides.
    """
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for position, media_type in enumerate(offered):
        matching = [r for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        top = max(matching, key=lambda r: (r.specificity, r.q))
        if top.q <= 0:
            continue
        key = (top.q, top.specificity, -position)
        if best is None or key > best:
            best, chosen = key, media_type
    return chosen


def prefers_html(header: str | None) -> bool:
    """Whether a client asked for HTML explicitly (a browser), not merely accepting anything."""
    return any(r.type == "text" and r.subtype == "html" and r.q > 0 for r in parse_accept(header)) or any(
        r.type == "application" and r.subtype == "xhtml+xml" and r.q > 0 for r in parse_accept(header)
    )
