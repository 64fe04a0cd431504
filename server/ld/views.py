"""The linked-data site: `/id/{rest}` for every dataset IRI, the home page and the browse pages.

Resource IRIs name things, not documents, so `/id/{rest}` answers `303 See Other` to the
document in the negotiated format, `/id/{rest}.{html,ttl,jsonld,nt,rdf}` ("Cool URIs for the
Semantic Web", §4.3). Documents carry `Link: rel="alternate"` to their other forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from flask import Blueprint, Response, current_app, has_request_context, redirect, request
from pyoxigraph import NamedNode, Store

from kg.iris import Iris
from server.ld import browse, cache, urls
from server.ld.description import describe, exists, names
from server.ld.formats import FORMATS, HTML, Format, negotiate, split_extension
from server.ld.language import preferred_languages, ui_language, valid_tag
from server.ld.messages import messages, term_label
from server.ld.page import PageBuilder
from server.ld.render import allow_any_origin, error_document, html_response, not_acceptable, rdf_response
from server.store import get_store

blueprint = Blueprint("ld", __name__)
blueprint.after_request(allow_any_origin)

DATASET_REST = "dataset"
MINTED_SAFE = "/-._~"


@blueprint.app_context_processor
def _page_context() -> dict[str, object]:
    """What every page's template uses: the interface's words, its language, the URL helper."""
    if not has_request_context():
        return {}
    languages = reader_languages()
    language = ui_language(languages)
    return {"t": messages(language), "lang": language, "urls": urls, "formats": FORMATS,
            "browse_kinds": browse.KINDS}


def reader_languages() -> tuple[str, ...]:
    """The reader's languages: `?lang=`, then Accept-Language by quality, then English."""
    accepted = [tag for tag, quality in request.accept_languages if quality > 0 and tag != "*"]
    return preferred_languages(request.args.get("lang"), accepted)


def _node(iri: str) -> NamedNode | None:
    try:
        return NamedNode(iri)
    except ValueError:
        return None


def _candidates(rest: str) -> list[str]:
    """The `rest` of the requested IRI: as sent (percent-encoding kept) when the server tells us,
    then re-encoded the way `kg.iris` mints IRIs, then as decoded."""
    found = []
    raw = (request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or "").split("?", 1)[0]
    prefix = request.script_root + urls.RESOURCE_PREFIX
    if raw.startswith(prefix):
        found.append(raw[len(prefix):])
    for candidate in (quote(rest, safe=MINTED_SAFE), rest):
        if candidate not in found:
            found.append(candidate)
    return found


def _alternates(iri: str, offered: tuple[Format, ...] = FORMATS) -> list[tuple[Format, str]]:
    return [(fmt, urls.resource_url(iri, fmt) or "") for fmt in offered]


@blueprint.get("/id/", defaults={"rest": ""})
@blueprint.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    store = get_store()
    base = urls.base_iri()
    candidates = _candidates(rest)
    for candidate in candidates:
        node = _node(base + candidate)
        if node is not None and exists(store, node):
            return _see_other(node)
    for candidate in candidates:
        split = split_extension(candidate)
        if split is None:
            continue
        stem, fmt = split
        node = _node(base + stem)
        if node is not None and exists(store, node):
            return _document(store, node, fmt)
        if stem == DATASET_REST:
            return redirect(urls.void_url(fmt), 303)
    if candidates[0] in ("", DATASET_REST):
        target = urls.home_url() if candidates[0] == "" else urls.void_url()
        return redirect(target, 303)
    split = split_extension(candidates[0])
    fmt = split[1] if split else negotiate(request.headers.get("Accept")) or HTML
    response = error_document(fmt, 404, f"there is no resource <{base + candidates[0]}> in this dataset",
                              iri=base + candidates[0])
    response.vary.add("Accept")
    return response


def _see_other(node: NamedNode) -> Response:
    """303 from the thing to its description in the format the client prefers."""
    fmt = negotiate(request.headers.get("Accept"))
    if fmt is None:
        response = not_acceptable(_alternates(node.value))
    else:
        response = redirect(urls.resource_url(node.value, fmt) or "", 303)
    response.vary.add("Accept")
    return response


def _document(store: Store, node: NamedNode, fmt: Format) -> Response:
    description = describe(store, node)
    alternates = [(f, url) for f, url in _alternates(node.value) if f != fmt]
    if fmt.rdf is not None:
        return rdf_response(description.triples(), fmt, alternates, subject=node)
    predicates = {t.predicate for t in description.statements} | {g.predicate for g in description.incoming}
    page = _page_builder(store, predicates).build(
        description, lambda predicate: urls.browse_url(predicate=predicate.value, target=node.value))
    return html_response("resource.html", alternates, page=page)


def _page_builder(store: Store, predicates: Iterable[NamedNode]) -> PageBuilder:
    languages = reader_languages()
    language = ui_language(languages)
    return PageBuilder(
        languages,
        link=urls.link_target,
        fallback_name=lambda iri: urls.rest_of(iri) or iri,
        property_names=names(store, predicates),
        term_label=lambda iri: term_label(iri, language),
        class_link=_class_link,
    )


def _class_link(iri: str) -> str | None:
    """The browse page of a class that has one."""
    kind = browse.KINDS_BY_CLASS.get(NamedNode(iri))
    return urls.browse_url(kind.slug) if kind else None


@blueprint.get("/")
def home() -> Response:
    store = get_store()
    figures = cache.per_generation("figures", lambda: _figures(store))
    return html_response("home.html", figures=figures)


def _figures(store: Store) -> dict[str, int]:
    counts = {kind.slug: browse.count(store, kind) for kind in browse.KINDS}
    counts["statements"] = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    sources = Iris(urls.base_iri()).source_graph("").value  # the graphs of sources, not metadata or reference
    counts["sources"] = sum(1 for graph in store.named_graphs() if graph.value.startswith(sources))
    return counts


@blueprint.get("/browse/")
def browse_index() -> Response:
    link = _link_filter()
    if link is None:
        store = get_store()
        figures = cache.per_generation("figures", lambda: _figures(store))
        return html_response("browse_index.html", figures=figures)
    return _listing(None, link)


@blueprint.get("/browse/<kind>")
def browse_kind(kind: str) -> Response:
    if kind not in browse.KINDS_BY_SLUG:
        return error_document(HTML, 404, f"there is no list of {kind}")
    return _listing(browse.KINDS_BY_SLUG[kind], _link_filter())


def _link_filter() -> browse.LinkFilter | None:
    predicate, target = _node(request.args.get("p", "")), _node(request.args.get("o", ""))
    return browse.LinkFilter(predicate, target) if predicate and target else None


def _listing(kind: browse.Kind | None, link: browse.LinkFilter | None) -> Response:
    """One page of a kind's members (or of the resources stating `link`), with their tallies."""
    store = get_store()
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 0
    total = browse.count(store, kind, link)
    last = browse.pages(total)
    if not 1 <= page <= last:
        return error_document(HTML, 404, f"page {request.args.get('page')} is not between 1 and {last}")
    members = browse.members(store, kind, reader_languages(), page, link)
    builder = _page_builder(store, [link.predicate] if link else [])
    member_names = names(store, members)
    tallies = browse.tallies(store, kind, members) if kind else {}
    items = [(builder.resource_value(member, member_names), tallies.get(member, 0)) for member in members]
    heading = None
    if link is not None:
        heading = (builder.label_of_property(link.predicate),
                   builder.resource_value(link.target, names(store, [link.target])))
    return html_response(
        "browse.html", kind=kind, items=items, total=total, page=page, pages=last,
        first=(page - 1) * browse.PAGE_SIZE + 1, last_shown=(page - 1) * browse.PAGE_SIZE + len(members),
        heading=heading, pager_links=_pager_links(kind, link, page, last),
    )


def _pager_links(kind: browse.Kind | None, link: browse.LinkFilter | None, page: int, last: int) -> dict:
    def url(number: int) -> str:
        return urls.browse_url(kind.slug if kind else None, number,
                               link.predicate.value if link else None, link.target.value if link else None)

    earlier, later = page > 1, page < last
    return {"first": url(1) if earlier else None, "prev": url(page - 1) if earlier else None,
            "next": url(page + 1) if later else None, "last": url(last) if later else None}


@blueprint.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it on pages that name no icon (an RDF document shown as text)."""
    return current_app.send_static_file("favicon.svg")


@blueprint.app_template_filter("lang_tag")
def _lang_tag(tag: str | None) -> str:
    """A language tag safe to put in a `lang` attribute (the literal's tag, or nothing)."""
    return valid_tag(tag) or ""

