"""The one place the site's URLs are built: dataset IRIs mapped onto `/id/`, documents, pages.

A dataset IRI `{base}{rest}` is served at `/id/{rest}` on this server, its documents at
`/id/{rest}.{extension}`. Views and templates ask here; none assembles a URL by hand. An
explicit `?lang=` of the current request is carried along, so a reader's choice sticks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from flask import request, url_for

from kg.void import Site
from server.ld.formats import Format
from server.ld.language import valid_tag
from server.settings import get_settings

RESOURCE_PREFIX = "/id/"


def base_iri() -> str:
    return get_settings().base_iri


def rest_of(iri: str) -> str | None:
    """The part of a dataset IRI after the base, or None for an IRI outside the dataset."""
    base = base_iri()
    return iri[len(base):] if iri.startswith(base) else None


def carried_parameters() -> dict[str, str]:
    """The parameters of the current request that every link keeps: an explicit `?lang=`."""
    lang = valid_tag(request.args.get("lang"))
    return {"lang": lang} if lang else {}


def _query(params: dict[str, object]) -> str:
    for name, value in carried_parameters().items():
        params.setdefault(name, value)
    present = {k: v for k, v in params.items() if v is not None}
    return "?" + urlencode(present, doseq=True) if present else ""


def resource_url(iri: str, format: Format | None = None) -> str | None:
    """Where this server serves a dataset IRI (or one of its documents); None for other IRIs."""
    rest = rest_of(iri)
    if rest is None:
        return None
    fragment = ""
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
        fragment = "#" + fragment
    extension = f".{format.extension}" if format else ""
    return f"{request.script_root}{RESOURCE_PREFIX}{rest}{extension}{_query({})}{fragment}"


def link_target(iri: str) -> str | None:
    """The href for an IRI: its page here, the IRI itself if it is http(s), else None (shown as text)."""
    local = resource_url(iri)
    if local is not None:
        return local
    return iri if iri.lower().startswith(("http://", "https://")) else None


def home_url() -> str:
    return url_for("ld.home") + _query({})


def browse_url(kind: str | None = None, page: int | None = None,
               predicate: str | None = None, target: str | None = None) -> str:
    """A browse page: the kinds, one kind's members, or the resources linking to `target` by `predicate`."""
    params: dict[str, object] = {"p": predicate, "o": target, "page": page if page and page > 1 else None}
    path = url_for("ld.browse_kind", kind=kind) if kind else url_for("ld.browse_index")
    return path + _query(params)


def language_url(language: str) -> str:
    """The current page in another language."""
    params = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*params, ("lang", language)])


def search_action() -> str:
    """Where search forms submit (their hidden fields carry `carried_parameters`)."""
    return url_for("search.search")


def search_url(params: Mapping[str, Sequence[str]] | None = None, external: bool = False) -> str:
    """The search page (or API) for these parameters, each with its values in order; absolute
    (from the public address) when `external`."""
    query = _query({name: tuple(values) for name, values in (params or {}).items()})
    return url_for("search.search", _external=external) + query


def void_url(format: Format | None = None) -> str:
    """The dataset description, negotiated, or as one document (`/void.ttl`)."""
    if format:
        return url_for("void.document", extension=format.extension) + _query({})
    return url_for("void.description") + _query({})


def dumps_url(name: str | None = None) -> str:
    return url_for("dumps.file", name=name) if name else url_for("dumps.listing") + _query({})


def sparql_url() -> str:
    return request.script_root + "/sparql"


def site() -> Site:
    """The absolute URLs of this server, for the dataset description."""
    root = request.url_root
    return Site(home=root, sparql=root + "sparql", dumps=root + "dumps/")
