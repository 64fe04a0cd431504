"""`/search`: the text index as a page (a form, ranked results with snippets, facets that narrow
them) and as an API (JSON, CSV), negotiated by `Accept` or `?format=html|json|csv`.

The search runs in a query process (`server.engine.RunSearch`, under the query time limit), which
answers JSON or CSV as `kg search` writes them; the page is rendered here from the JSON. Pages of
results advertise their JSON and CSV twins with `Link: rel="alternate"`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from kg.search.index import FACETS
from server.engine import RunSearch
from server.errors import BadRequest, HTTPError, NotAcceptable
from server.ld import urls
from server.ld.formats import HTML, Format, negotiate
from server.ld.language import ui_language
from server.ld.render import allow_any_origin, alternates_header, html_response
from server.ld.views import reader_languages
from server.pool import get_pool
from server.search_parameters import SearchParameters
from server.settings import get_settings

blueprint = Blueprint("search", __name__)
blueprint.after_request(allow_any_origin)

JSON = Format("json", "JSON", "application/json", "json")
CSV = Format("csv", "CSV", "text/csv", "csv")
OFFERED = (JSON, HTML, CSV)  # the first answers `*/*`: a client that accepts anything is a program
_BY_NAME = {name: fmt for fmt in OFFERED for name in (fmt.name, fmt.media_type)}
TEXT_LANGUAGES = {"en": "English", "es": "Español", "fr": "Français"}


@blueprint.get("/search")
def search() -> Response:
    """Fetch the page of results once, then hand it to the renderer of the negotiated format."""
    fmt = _negotiated_format()
    language = ui_language(reader_languages())
    try:
        params = SearchParameters.read(request.args, get_settings().search_max_per_page)
    except BadRequest as error:
        if fmt != HTML:
            raise
        return _render_html(SearchParameters(request.args.get("q", "").strip()), None, error.message)
    if not params.text:
        if fmt != HTML:
            raise BadRequest("give the search in q=, e.g. /search?q=social+protection")
        return _render_html(params, None, None)
    media_type = CSV.media_type if fmt == CSV else JSON.media_type
    reply = get_pool().run(RunSearch(params.request(), media_type, language), get_settings().query_timeout)
    if reply.error is not None:
        if fmt == HTML and reply.status == 400:
            return _render_html(params, None, reply.error)
        raise HTTPError(reply.error, status=reply.status)
    return _RENDERERS[fmt](params, reply.body)


def _negotiated_format() -> Format:
    """`?format=` (a name or media type), else the Accept header; 400 or 406 when neither fits."""
    named = request.args.get("format", "").strip().lower()
    if named:
        if named not in _BY_NAME:
            raise BadRequest(f"format={named!r} is not offered here; use html, json or csv")
        return _BY_NAME[named]
    fmt = negotiate(request.headers.get("Accept"), OFFERED)
    if fmt is None:
        raise NotAcceptable(f"/search is available as {', '.join(f.media_type for f in OFFERED)}")
    return fmt


def _alternates(params: SearchParameters, shown: Format) -> list[tuple[Format, str]]:
    return [(fmt, urls.search_url({**params.as_url_parameters(), "format": (fmt.name,)}))
            for fmt in OFFERED if fmt != shown]


def _finish(response: Response, params: SearchParameters, fmt: Format) -> Response:
    response.headers["Link"] = alternates_header(_alternates(params, fmt))
    response.vary.update(("Accept", "Accept-Language"))
    return response


def _render_json(params: SearchParameters, body: bytes) -> Response:
    """`kg search --format json`'s object, with the URLs of the next and previous pages."""
    document = json.loads(body)
    last = _last_page(document["total"], params.per_page)
    document["next"] = _page_url(params, params.page + 1) if params.page < last else None
    document["prev"] = _page_url(params, min(params.page - 1, last)) if params.page > 1 else None
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return _finish(Response(text, content_type=JSON.content_type), params, JSON)


def _render_csv(params: SearchParameters, body: bytes) -> Response:
    return _finish(Response(body, content_type=CSV.content_type), params, CSV)


def _render_html(params: SearchParameters, body: bytes | None, message: str | None = None) -> Response:
    """The page: the form, and for a search its results, pager and facets; a search that could
    not be run shows why, with status 400."""
    kept = [(name, value) for name, values in params.as_url_parameters().items() if name not in ("q", "page")
            for value in values]  # what a new search from the page's form keeps
    context: dict[str, Any] = {"params": params, "message": message, "kept": kept,
                               "languages": _language_choices(params)}
    alternates: list[tuple[Format, str]] = []
    facets: list[dict[str, Any]] = []
    if body is not None:
        document = json.loads(body)
        pages = _last_page(document["total"], params.per_page)
        facets = _facets(params, document["facets"])
        context.update(document=document, first=document["offset"] + 1, pages=pages,
                       last_shown=document["offset"] + len(document["results"]),
                       pager_links=_pager_links(params, pages))
        alternates = _alternates(params, HTML)
    context.update(facets=facets, selected=_selected(params, facets))
    response = html_response("search.html", alternates, status=400 if message else 200, **context)
    response.vary.add("Accept")
    return response


_RENDERERS: dict[Format, Callable[[SearchParameters, bytes], Response]] = {
    JSON: _render_json, CSV: _render_csv, HTML: _render_html}


def _last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _page_url(params: SearchParameters, page: int) -> str:
    return urls.search_url(params.at_page(page).as_url_parameters(), external=True)


def _pager_links(params: SearchParameters, pages: int) -> dict[str, str | None]:
    def url(page: int) -> str:
        return urls.search_url(params.at_page(page).as_url_parameters())

    earlier, later = params.page > 1, params.page < pages
    return {"first": url(1) if earlier else None, "prev": url(min(params.page - 1, pages)) if earlier else None,
            "next": url(params.page + 1) if later else None, "last": url(pages) if later else None}


def _toggle_url(params: SearchParameters, name: str, value: str) -> str:
    return urls.search_url(params.toggled(name, value).as_url_parameters())


def _facets(params: SearchParameters, found: dict[str, list[dict]]) -> list[dict[str, Any]]:
    """Each facet with its values among the hits: value, label (in the page's language; a kind's
    is the template's), count, whether chosen, and the URL that chooses it or no longer does."""
    chosen = params.selections()
    return [{"name": facet, "values": [
                {"value": value["value"], "label": value["label"], "count": value["count"],
                 "selected": value["value"] in chosen.get(facet, ()),
                 "url": _toggle_url(params, facet, value["value"])} for value in found[facet]]}
            for facet in FACETS if found.get(facet)]


def _selected(params: SearchParameters, facets: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The chosen values, each with the URL that drops it, named by their label among the facets
    where it is there, else by the end of their IRI (a kind's name is the template's)."""
    labels = {(facet["name"], value["value"]): value["label"] for facet in facets for value in facet["values"]}
    labels.update((("language", code), name) for code, name in TEXT_LANGUAGES.items())
    return [{"name": name, "value": value, "url": _toggle_url(params, name, value),
             "label": labels.get((name, value)) or value.rstrip("/").rsplit("/", 1)[-1]}
            for name, values in params.selections().items() for value in values]


def _language_choices(params: SearchParameters) -> list[dict[str, Any]]:
    """The languages texts may be kept to, each a link that chooses it or no longer does."""
    return [{"code": code, "label": label, "selected": code in params.languages,
             "url": _toggle_url(params, "language", code)} for code, label in TEXT_LANGUAGES.items()]
