"""Response headers for safety: security headers on HTML pages, CORS on the SPARQL endpoint."""

from __future__ import annotations

from flask import Flask, Response, request

from server.engine import TRUNCATED_HEADER

# The UI loads its scripts, styles and data from this server only; YASGUI sets styles inline.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HTML_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
CORS_PATHS = ("/sparql",)
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": TRUNCATED_HEADER,
}
CORS_PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def add_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        for name, value in HTML_HEADERS.items():
            response.headers.setdefault(name, value)
    if request.path in CORS_PATHS:
        response.headers.update(CORS_HEADERS)
        if request.method == "OPTIONS":
            response.headers.update(CORS_PREFLIGHT_HEADERS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
