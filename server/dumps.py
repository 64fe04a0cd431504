"""`/dumps/`: the files `kg dump` wrote, listed, and served with their media types, a strong
ETag (their SHA-256) and byte ranges, so downloads resume and caches revalidate cheaply."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_file, url_for

from kg.dump import GZIP, published_files
from kg.store import StoreDirectory, generation_id
from kg.void import Distribution
from server.errors import NotFound
from server.ld.render import allow_any_origin, html_response
from server.settings import get_settings

blueprint = Blueprint("dumps", __name__)
blueprint.after_request(allow_any_origin)


def dump_folder() -> Path:
    """The folder of the `dumps` setting (relative to where the server was started)."""
    return Path(get_settings().dumps).resolve()


def dump_files() -> list[Distribution]:
    """The dump files of the served store's live generation, with absolute download URLs on
    this server; none while the folder holds dumps of other data."""
    return published_files(dump_folder(), lambda name: url_for("dumps.file", name=name, _external=True),
                           generation_id(StoreDirectory(get_settings().store).live_generation()))


@blueprint.get("/dumps/")
def listing() -> Response:
    return html_response("dumps.html", files=dump_files())


@blueprint.get("/dumps/<name>")
def file(name: str) -> Response:
    published = {f.name: f for f in dump_files()}
    if name not in published:
        raise NotFound(f"no dump file {name!r}; the list is at /dumps/")
    dump = published[name]
    media_type = GZIP if dump.compress_format else dump.media_type
    return send_file(dump_folder() / name, mimetype=media_type, conditional=True, etag=dump.sha256,
                     download_name=name, as_attachment=False)
