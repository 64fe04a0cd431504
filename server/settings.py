"""The app's settings, set once by the app factory (`init_app`) and read by the views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app

from kg.errors import ConfigError
from kg.settings import Settings

CONFIG_KEY = "EVALKG"


def init_app(app: Flask, settings: Settings) -> None:
    public_base(settings)  # a public_url that is no base URL fails now, not on the first request
    app.config[CONFIG_KEY] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_kb * 1024


def get_settings() -> Settings:
    """The settings of the app handling the current request."""
    return current_app.config[CONFIG_KEY]


def public_base(settings: Settings, port: int | None = None) -> str:
    """The server's public base URL, ending in `/`: the public_url setting, else the address `kg serve`
    prints (`http://HOST:PORT/`, with `port` the one it listens on when the port setting is 0)."""
    if not settings.public_url:
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        return f"http://{host}:{settings.port or port or 0}/"
    url = settings.public_url.strip()
    parts = urlsplit(url)
    try:
        has_port_number = parts.port is not None or ":" not in parts.netloc.rsplit("]", 1)[-1]
    except ValueError:
        has_port_number = False
    if (parts.scheme not in ("http", "https") or not parts.hostname or not has_port_number or parts.query
            or parts.fragment or parts.username):
        raise ConfigError(f"setting public_url: {url!r} is not a base URL; give one such as "
                          "https://kg.example.org/ or http://203.0.113.5:8000/evalkg/ (no query, fragment or user)")
    return url.rstrip("/") + "/"
