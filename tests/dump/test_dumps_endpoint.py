"""`/dumps/`: the files with their media types, a content ETag (304), and byte ranges (206)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kg.settings import Settings
from server.app import create_app


@pytest.mark.parametrize("name, media_type", [
    ("evalkg.ttl.gz", "application/gzip"), ("evalkg.nq.gz", "application/gzip"), ("void.ttl", "text/turtle"),
    ("ontology.ttl", "text/turtle"), ("shapes.ttl", "text/turtle"), ("SHA256SUMS", "text/plain"),
])
def test_each_file_is_served_whole_with_its_media_type(client, sample_dumps, name, media_type):
    response = client.get(f"/dumps/{name}")
    content = (sample_dumps / name).read_bytes()
    assert response.status_code == 200 and response.mimetype == media_type
    assert response.data == content
    assert response.headers["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unchanged_file_is_not_sent_again(client):
    etag = client.get("/dumps/evalkg.ttl.gz").headers["ETag"]
    again = client.get("/dumps/evalkg.ttl.gz", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    stale = client.get("/dumps/evalkg.ttl.gz", headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200


def test_a_download_resumes_with_a_byte_range(client, sample_dumps):
    content = (sample_dumps / "evalkg.nq.gz").read_bytes()
    response = client.get("/dumps/evalkg.nq.gz", headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.data == content[100:200]
    assert response.headers["Content-Range"] == f"bytes 100-199/{len(content)}"
    tail = client.get("/dumps/evalkg.nq.gz", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == content[-10:]
    beyond = client.get("/dumps/evalkg.nq.gz", headers={"Range": f"bytes={len(content) + 5}-"})
    assert beyond.status_code == 416


def test_the_listing_links_every_file_with_its_checksum(client, sample_dumps):
    response = client.get("/dumps/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = BeautifulSoup(response.data, "html.parser")
    links = {a["href"] for a in page.select("table.dumps a")}
    assert links == {f"/dumps/{p.name}" for p in sample_dumps.iterdir() if p.name != "GENERATION"}
    digest = hashlib.sha256((sample_dumps / "evalkg.ttl.gz").read_bytes()).hexdigest()
    assert digest in page.get_text()


@pytest.mark.parametrize("path", ["/dumps/nothing.gz", "/dumps/..%2Fsettings.py", "/dumps/.hidden",
                                  "/dumps/SHA256SUMS.partial"])
def test_other_names_are_404(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_without_dumps_the_listing_says_how_to_make_them(sample_store, tmp_path):
    app = create_app(Settings(store=str(sample_store.path), dumps=str(tmp_path / "none")))
    response = app.test_client().get("/dumps/")
    assert response.status_code == 200 and b"kg dump" in response.data


def test_dumps_of_other_data_are_neither_listed_served_nor_in_void(sample_store, tmp_path):
    """The repository's dumps/ (of the bundled sample) served beside the test corpus's store."""
    repository_dumps = Path(__file__).resolve().parents[2] / "dumps"
    client = create_app(Settings(store=str(sample_store.path), dumps=str(repository_dumps))).test_client()
    assert (repository_dumps / "evalkg.nq.gz").is_file()
    assert client.get("/dumps/evalkg.nq.gz").status_code == 404
    assert "evalkg.nq.gz" not in client.get("/dumps/").get_data(as_text=True)
    void = client.get("/void.ttl").get_data(as_text=True)
    assert "dataDump" not in void and "evalkg.nq.gz" not in void
