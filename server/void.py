"""The dataset description (VoID and DCAT) at `/.well-known/void` and `/void`.

`/void` negotiates (Turtle for programs, a page for browsers) and names the variant it chose in
`Content-Location`; `/void.{ttl,jsonld,nt,rdf,html}` are the variants themselves. Figures come
from the live store, once per store generation; the dumps are those in the `dumps` folder.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from kg.dump import DATA_DUMPS
from kg.iris import Iris
from kg.void import describe, example_resources, store_statistics
from server.dumps import dump_files
from server.ld import cache, urls
from server.ld.formats import FORMATS, HTML, Format, negotiate
from server.ld.render import allow_any_origin, error_document, html_response, not_acceptable, rdf_response
from server.store import get_store

blueprint = Blueprint("void", __name__)
blueprint.after_request(allow_any_origin)
_BY_EXTENSION = {fmt.extension: fmt for fmt in FORMATS}


@blueprint.get("/.well-known/void")
@blueprint.get("/void")
def description() -> Response:
    fmt = negotiate(request.headers.get("Accept"))
    alternates = [(f, urls.void_url(f)) for f in FORMATS]
    if fmt is None:
        response = not_acceptable(alternates)
    else:
        response = _render(fmt, [(f, u) for f, u in alternates if f != fmt])
        response.headers["Content-Location"] = urls.void_url(fmt)
    response.vary.add("Accept")
    return response


@blueprint.get("/void.<extension>")
def document(extension: str) -> Response:
    fmt: Format | None = _BY_EXTENSION.get(extension)
    if fmt is None:
        return error_document(HTML, 404, f"the dataset description has no .{extension} form")
    return _render(fmt, [(f, urls.void_url(f)) for f in FORMATS if f != fmt])


def _render(fmt: Format, alternates: list[tuple[Format, str]]) -> Response:
    store = get_store()
    iris = Iris(urls.base_iri())
    statistics = cache.per_generation("void-statistics", lambda: store_statistics(store))
    files = dump_files()
    if fmt.rdf is None:
        return html_response("void.html", alternates, statistics=statistics, files=files, dataset=iris.dataset.value)
    examples = cache.per_generation("void-examples", lambda: example_resources(store))
    data = [f for f in files if f.name in DATA_DUMPS]
    triples = describe(iris, statistics, urls.site(), data, examples)
    return rdf_response(triples, fmt, alternates, subject=iris.dataset)
