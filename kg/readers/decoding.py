"""Bytes to text for readers: refuse binary data, honour a BOM, fall back from UTF-8 to cp1252."""

from __future__ import annotations

import codecs
import re

from kg.errors import ReadError


def check_content(source: str, content: bytes) -> None:
    """Reject what no reader can use, with a reason a user can act on."""
    if not content.strip():
        raise ReadError(source, "file is empty")
    head = content[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(source, "binary content (NUL bytes); expected a text, HTML or JSON record")


def decode_text(source: str, content: bytes) -> str:
    """Decode a text or JSON source: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Saved pages without a declared encoding are most often UTF-8 or Windows' Western code page;
    cp1252 is a superset of Latin-1 for printable text, so accented Spanish and French read right.
    """
    check_content(source, content)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


_LINE_END = re.compile(r"\r\n|\r|\n")


def lines(text: str) -> list[str]:
    """The lines of a text split at `\n`, `\r\n` and `\r` only: `str.splitlines` also splits at
    U+2028, U+2029, U+0085 and form feeds, which record texts may hold."""
    return _LINE_END.split(text)
