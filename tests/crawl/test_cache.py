"""The cache: bodies by content, one crawl at a time, no partial files after a failure."""

from __future__ import annotations

import pytest

from kg.crawl import Cache, CachedPage
from kg.errors import CrawlError


def _page(url: str, sha256: str) -> CachedPage:
    return CachedPage(url, sha256, 200, "text/html", '"e"', None, url, "2024-01-01T00:00:00Z",
                      "2024-01-01T00:00:00Z", {"content-type": "text/html"})


def test_bodies_are_stored_once_by_content(tmp_path):
    with Cache(tmp_path) as cache:
        shas = []
        for _ in range(2):
            writer = cache.blob_writer()
            writer.write(b"<html>same</html>")
            shas.append(writer.commit())
        assert shas[0] == shas[1] and cache.read_blob(shas[0]) == b"<html>same</html>"
        with cache.transaction():
            cache.save_page(_page("http://a/1", shas[0]))
            cache.save_page(_page("http://a/2", shas[0]))
        assert cache.page("http://a/2") == _page("http://a/2", shas[0])
        assert len([p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]) == 1


def test_a_page_whose_body_is_gone_is_not_in_the_cache(tmp_path):
    with Cache(tmp_path) as cache:
        writer = cache.blob_writer()
        writer.write(b"x")
        sha = writer.commit()
        with cache.transaction():
            cache.save_page(_page("http://a/1", sha))
        cache.blob_path(sha).unlink()
        assert cache.page("http://a/1") is None


def test_one_crawl_at_a_time_and_leftovers_are_cleared(tmp_path):
    with Cache(tmp_path) as cache:
        cache.blob_writer().write(b"partial")
        with pytest.raises(CrawlError, match="another `kg crawl` is using this cache"):
            Cache(tmp_path)
    assert list((tmp_path / "tmp").iterdir())
    with Cache(tmp_path):
        assert list((tmp_path / "tmp").iterdir()) == []
