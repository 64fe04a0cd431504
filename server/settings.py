"""The app's settings, set once by the app factory (`init_app`) and read by the views."""

from __future__ import annotations

from flask import Flask, current_app

from kg.settings import Settings

CONFIG_KEY = "EVALKG"


def init_app(app: Flask, settings: Settings) -> None:
    app.config[CONFIG_KEY] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_kb * 1024


def get_settings() -> Settings:
    """The settings of the app handling the current request."""
    return current_app.config[CONFIG_KEY]
