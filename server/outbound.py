"""SERVICE and LOAD make the server fetch a URL a user names; only allow-listed hosts may be named.

Oxigraph's parser is lenient about where keywords end (`SERVICE:x`, `SERVICESILENT<...>` and even
`services:x` with a prefix `s:` are all read as SERVICE calls), so the check is deliberately wider
than the grammar: any word or prefix that contains "service" or "load" must be a plain SERVICE or
LOAD keyword followed by an IRI whose host is allowed, or the request is refused. A prefix
declaration glued to its keyword (`PREFIXex:`) makes the prefixes unknowable, so it is refused
too when there is any SERVICE or LOAD to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from server.errors import BadRequest, Forbidden
from server.lexer import LexError, Token, tokenize

_MENTIONED = re.compile(r"service|load", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_DECLARATION = ("prefix", "base")


@dataclass(frozen=True)
class OutboundCall:
    """A SERVICE or LOAD in a request: the IRI it would fetch, or why that cannot be known."""

    keyword: str
    iri: str | None
    problem: str | None = None


def outbound_calls(text: str, base_iri: str | None, prefixes: Mapping[str, str]) -> list[OutboundCall]:
    """Every SERVICE and LOAD the text may hold, with the IRI each would fetch."""
    if not _MENTIONED.search(text):
        return []
    try:
        tokens = list(tokenize(text))
    except LexError as error:
        return [OutboundCall("SERVICE or LOAD", None, f"the text cannot be checked ({error})")]
    calls: list[OutboundCall] = []
    scope = _Scope(base_iri, dict(prefixes))
    ambiguous_declaration = False
    for index, token in enumerate(tokens):
        scope.declare(tokens, index)
        if token.kind == "WORD" and _MENTIONED.search(token.text):
            keyword = token.text.upper()
            if keyword in ("SERVICE", "LOAD"):
                calls.append(scope.target(keyword, tokens, index + 1))
            else:
                calls.append(OutboundCall(keyword, None, f"`{token.text}` joins a keyword to another word"))
        elif token.kind == "PNAME" and _MENTIONED.search(token.prefix):
            calls.append(OutboundCall("SERVICE or LOAD", None,
                                      f"the prefixed name `{token.text}` can be read as a SERVICE or LOAD; "
                                      "rename its prefix"))
        elif token.kind == "PNAME" and token.prefix.lower().startswith(_DECLARATION):
            ambiguous_declaration = True
    if calls and ambiguous_declaration:
        calls.append(OutboundCall("SERVICE or LOAD", None,
                                  "a PREFIX or BASE declaration is joined to its name; put a space after the keyword"))
    return calls


class _Scope:
    """The base IRI and prefixes in force at a point of the text, as its declarations set them."""

    def __init__(self, base_iri: str | None, prefixes: dict[str, str]) -> None:
        self.base_iri = base_iri
        self.prefixes = prefixes

    def resolve(self, iri: str) -> str:
        """The IRI as the engine uses it: one with a scheme as written (RFC 3986; `http:////h/` is not
        made relative to the base, as Python's urljoin would), a relative one resolved against the base."""
        if _SCHEME.match(iri) or not self.base_iri:
            return iri
        try:
            return urljoin(self.base_iri, iri)
        except ValueError as error:
            raise BadRequest(f"the IRI <{iri}> cannot be resolved: {error}") from None

    def declare(self, tokens: list[Token], index: int) -> None:
        token = tokens[index]
        following = tokens[index + 1: index + 3]
        if token.is_word("base") and following and following[0].kind == "IRI":
            self.base_iri = self.resolve(following[0].iri)
        elif (token.is_word("prefix") and len(following) == 2 and following[0].kind == "PNAME"
              and following[1].kind == "IRI"):
            self.prefixes[following[0].prefix] = self.resolve(following[1].iri)

    def target(self, keyword: str, tokens: list[Token], index: int) -> OutboundCall:
        if index < len(tokens) and tokens[index].is_word("silent"):
            index += 1
        if index >= len(tokens):
            return OutboundCall(keyword, None, f"{keyword} names no IRI")
        token = tokens[index]
        if token.kind == "IRI":
            return OutboundCall(keyword, self.resolve(token.iri))
        if token.kind == "PNAME" and not token.prefix.lower().startswith("silent"):
            if token.prefix not in self.prefixes:
                return OutboundCall(keyword, None, f"the prefix of `{token.text}` is not declared")
            return OutboundCall(keyword, self.prefixes[token.prefix] + token.local)
        if token.kind == "VAR":
            return OutboundCall(keyword, None, f"{keyword} {token.text} names its target with a variable, "
                                               "which cannot be checked before the query runs; write the IRI")
        return OutboundCall(keyword, None, f"{keyword} is followed by `{token.text}`, not an IRI")


def host_allowed(iri: str, allowlist: Iterable[str]) -> bool:
    """Whether an http(s) IRI's host (or host:port) is on the allow-list; an IRI without a host
    (`http:////h/`, which a URL parser may still read as reaching h) never is."""
    try:
        parts = urlsplit(iri)
        host, port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    for entry in allowlist:
        allowed = urlsplit("//" + entry.strip().lower())
        try:
            allowed_host, allowed_port = (allowed.hostname or "").rstrip("."), allowed.port
        except ValueError:
            continue
        if allowed_host == host and allowed_port in (None, port):
            return True
    return False


def check_outbound(text: str, allowlist: tuple[str, ...], base_iri: str | None,
                   prefixes: Mapping[str, str]) -> None:
    """Refuse (403) a query or update whose SERVICE or LOAD would reach a host not on the allow-list."""
    for call in outbound_calls(text, base_iri, prefixes):
        if call.iri is None:
            raise Forbidden(f"{call.keyword} refused: {call.problem}")
        try:
            urlsplit(call.iri).port  # noqa: B018 - raises for a host in brackets that is no IPv6 address
        except ValueError as error:
            raise BadRequest(f"{call.keyword} <{call.iri}> is not a URL: {error}") from None
        if not host_allowed(call.iri, allowlist):
            if not allowlist:
                raise Forbidden(f"{call.keyword} <{call.iri}> refused: this server reaches no other host "
                                "(its service_allowlist setting is empty; start it with --allow-service HOST)")
            raise Forbidden(f"{call.keyword} <{call.iri}> refused: its host is not on the allow-list "
                            f"({', '.join(allowlist)})")
