"""Writes (SPARQL Update, Graph Store PUT/POST/DELETE) need the configured bearer token."""

from __future__ import annotations

import hmac

from server.errors import Forbidden, Unauthorized

CHALLENGE = 'Bearer realm="evalkg"'


def require_update_token(configured: str, authorization: str | None) -> None:
    """Pass a request bearing `Authorization: Bearer <configured>`; refuse any other (401/403).

    The token is compared in constant time, so response timing does not leak it.
    """
    if not configured:
        raise Forbidden("updates are disabled on this server; its operator enables them by setting an "
                        "update token (kg serve --update-token, or KG_UPDATE_TOKEN)")
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("updates need the server's update token: send Authorization: Bearer <token>",
                           headers={"WWW-Authenticate": CHALLENGE})
    if not hmac.compare_digest(token.strip().encode("utf-8"), configured.encode("utf-8")):
        raise Unauthorized("the bearer token is not this server's update token",
                           headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
