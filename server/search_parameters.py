"""The parameters of `/search`, read once into a typed value that also writes them back into URLs.

`q` is the search; `kind`, `language` (of the texts) and one parameter per facet (`region`,
`country`, ...) may repeat: the values of one are ORed, different ones ANDed. `page` (1-based)
and `per_page` (at most the `search_max_per_page` setting) choose the page of results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from werkzeug.datastructures import MultiDict

from kg.search.index import FACETS, KINDS
from kg.search.searching import SearchRequest
from server.errors import BadRequest
from server.ld.language import valid_tag

DEFAULT_PER_PAGE = 20
KIND_NAMES = tuple(KINDS.values())
FILTER_FACETS = tuple(facet for facet in FACETS if facet != "kind")  # kinds are a parameter of their own


@dataclass(frozen=True)
class SearchParameters:
    text: str
    kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @classmethod
    def read(cls, args: MultiDict, max_per_page: int) -> SearchParameters:
        """The parameters of a request; 400 naming the one that is wrong."""
        kinds = _values(args, "kind")
        if unknown := [kind for kind in kinds if kind not in KIND_NAMES]:
            raise BadRequest(f"kind={unknown[0]!r} is no kind; use {', '.join(KIND_NAMES)}")
        languages = _values(args, "language")
        if wrong := [tag for tag in languages if valid_tag(tag) is None]:
            raise BadRequest(f"language={wrong[0]!r} is no language tag; use one such as en, es or fr")
        filters = {facet: values for facet in FILTER_FACETS if (values := _values(args, facet))}
        page = _number(args, "page", 1, None)
        per_page = _number(args, "per_page", DEFAULT_PER_PAGE, max_per_page, "the search_max_per_page setting")
        return cls(args.get("q", "").strip(), kinds, tuple(valid_tag(tag) or "" for tag in languages), filters,
                   page, per_page)

    def request(self) -> SearchRequest:
        return SearchRequest(self.text, self.kinds, self.languages, dict(self.filters), self.per_page,
                             (self.page - 1) * self.per_page)

    def selections(self) -> dict[str, tuple[str, ...]]:
        """The values chosen to narrow the search, by parameter (`kind`, `language`, the facets)."""
        chosen = {"kind": self.kinds, "language": self.languages, **self.filters}
        return {name: values for name, values in chosen.items() if values}

    def as_url_parameters(self) -> dict[str, tuple[str, ...]]:
        """The parameters as a URL carries them (the defaults left out)."""
        params = {"q": (self.text,), **self.selections()}
        if self.page != 1:
            params["page"] = (str(self.page),)
        if self.per_page != DEFAULT_PER_PAGE:
            params["per_page"] = (str(self.per_page),)
        return params

    def at_page(self, page: int) -> SearchParameters:
        return replace(self, page=page)

    def toggled(self, name: str, value: str) -> SearchParameters:
        """The search with `value` of parameter `name` chosen, or no longer chosen; from its first page."""
        chosen = self.selections().get(name, ())
        values = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
        if name == "kind":
            return replace(self, kinds=values, page=1)
        if name == "language":
            return replace(self, languages=values, page=1)
        filters = {facet: vs for facet, vs in {**self.filters, name: values}.items() if vs}
        return replace(self, filters=filters, page=1)


def _values(args: MultiDict, name: str) -> tuple[str, ...]:
    """A parameter's values in order, each once, blanks dropped."""
    return tuple(dict.fromkeys(value.strip() for value in args.getlist(name) if value.strip()))


def _number(args: MultiDict, name: str, default: int, most: int | None, setting: str = "") -> int:
    text = args.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1 or (most is not None and int(text) > most):
        bound = f"between 1 and {most} ({setting})" if most is not None else "a whole number from 1"
        raise BadRequest(f"{name}={text!r}: give {bound}")
    return int(text)
