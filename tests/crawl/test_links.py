"""Which links a crawl follows: normalisation, extraction, and the default i-eval URL patterns."""

from __future__ import annotations

import pytest

from kg.crawl import LinkPatterns, PageKind
from kg.crawl.links import extract_links, normalize_url
from kg.errors import ConfigError
from kg.settings import Settings

DEFAULTS = LinkPatterns.compile(Settings().crawl_record_patterns, Settings().crawl_index_patterns)


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://WebApps.ILO.org:443/ievaldiscovery/eval/3471#top", "https://webapps.ilo.org/ievaldiscovery/eval/3471"),
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765/"),
    ("http://example.org:80/a?page=2", "http://example.org/a?page=2"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize("path, kind", [
    ("/ievaldiscovery/recommendations/16089", PageKind.RECORD),
    ("/ievaldiscovery/eval/3471", PageKind.RECORD),
    ("/ievaldiscovery/lessons/149804", PageKind.RECORD),
    ("/ievaldiscovery/good-practices/51234", PageKind.RECORD),
    ("/ievaldiscovery/goodpractices/51234", PageKind.RECORD),
    ("/ievaldiscovery/lessons", PageKind.INDEX),
    ("/ievaldiscovery/good-practices/?page=2", PageKind.INDEX),
    ("/ievaldiscovery/lessons?offset=20", None),
    ("/ievaldiscovery/lessons/149804/report.pdf", None),
    ("/ievaldiscovery/", PageKind.INDEX),
    ("/ievaldiscovery/?page=2", PageKind.INDEX),
    ("/ievaldiscovery/recommendations?page=3", PageKind.INDEX),
    ("/ievaldiscovery/evaluations/?lang=en&page=4", PageKind.INDEX),
    ("/ievaldiscovery/?lang=fr", None),
    ("/ievaldiscovery/recommendations/16089?lang=en", None),
    ("/ievaldiscovery/search", None),
    ("/ievaldiscovery/eval/3471/report.pdf", None),
])
def test_default_patterns_know_the_i_eval_url_shapes(path, kind):
    assert DEFAULTS.kind("https://webapps.ilo.org" + path) is kind


def test_links_are_resolved_against_the_base_and_kept_once_in_order():
    page = b"""<html><head><base href="/ievaldiscovery/"></head><body>
    <a href="eval/1">one</a> <a href="#top">top</a> <a href="mailto:x@y.org">mail</a>
    <a href="javascript:void(0)">js</a> <a href="/ievaldiscovery/eval/1#details">one again</a>
    <link rel="next" href="?page=2"><a href="https://other.example/ievaldiscovery/eval/2">elsewhere</a></body></html>"""
    links = extract_links("https://webapps.ilo.org/ievaldiscovery/recommendations/5", page)
    assert list(links.links) == [
        "https://webapps.ilo.org/ievaldiscovery/eval/1",
        "https://webapps.ilo.org/ievaldiscovery/?page=2",
        "https://other.example/ievaldiscovery/eval/2",
    ]
    assert DEFAULTS.follow("https://webapps.ilo.org/ievaldiscovery/", links) == [
        ("https://webapps.ilo.org/ievaldiscovery/eval/1", PageKind.RECORD),
        ("https://webapps.ilo.org/ievaldiscovery/?page=2", PageKind.INDEX),
    ]


def test_a_bad_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match="index pattern '\\[' is not a valid regular expression"):
        LinkPatterns.compile([], ["["])


def test_an_index_pages_rel_next_link_is_followed_as_an_index_page_whatever_its_url():
    page = b"""<html><head><link rel="next" href="/ievaldiscovery/lessons?offset=20"></head><body>
    <a href="/ievaldiscovery/lessons/149804">a lesson</a> <a href="?offset=0&amp;sort=title">sort</a>
    <a rel="Next nofollow" href="/ievaldiscovery/good-practices?cursor=b2">more</a>
    <a rel="next" href="https://other.example/ievaldiscovery/lessons?offset=20">elsewhere</a></body></html>"""
    links = extract_links("https://webapps.ilo.org/ievaldiscovery/lessons", page)
    assert links.next == {
        "https://webapps.ilo.org/ievaldiscovery/lessons?offset=20",
        "https://webapps.ilo.org/ievaldiscovery/good-practices?cursor=b2",
        "https://other.example/ievaldiscovery/lessons?offset=20",
    }
    assert DEFAULTS.follow("https://webapps.ilo.org/ievaldiscovery/", links) == [
        ("https://webapps.ilo.org/ievaldiscovery/lessons?offset=20", PageKind.INDEX),
        ("https://webapps.ilo.org/ievaldiscovery/lessons/149804", PageKind.RECORD),
        ("https://webapps.ilo.org/ievaldiscovery/good-practices?cursor=b2", PageKind.INDEX),
    ]
