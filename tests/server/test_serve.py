"""`kg serve`: its settings from flags, environment and TOML; the address it prints; its access log;
a clean stop; and the `--debug` development server."""

from __future__ import annotations

import re

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.settings import Settings
from tests.server.running import running_server

ACCESS_LINE = re.compile(r'evalkg\.access: 127\.0\.0\.1 "(?P<method>GET|POST) (?P<target>\S+) HTTP/1\.1" '
                         r"(?P<status>\d{3}) (?P<size>\d+) bytes (?P<ms>[\d.]+) ms")


@pytest.fixture
def captured(monkeypatch):
    """The settings and mode `kg serve` would start the server with (nothing is started)."""
    calls: list[tuple[Settings, bool]] = []
    monkeypatch.setattr("server.serving.serve", lambda settings, debug, on_ready: calls.append((settings, debug)))
    return calls


def test_serve_settings_come_from_flags_then_environment_then_toml(tmp_path, captured) -> None:
    config = tmp_path / "evalkg.toml"
    config.write_text('[evalkg]\nport = 9001\nworkers = 5\nquery_timeout = 12.5\nmax_rows = 77\n'
                      'service_allowlist = ["a.example"]\n')
    env = {"KG_WORKERS": "3", "KG_UPDATE_TOKEN": "from-env", "KG_SERVICE_ALLOWLIST": "b.example,c.example:8080"}
    result = CliRunner().invoke(main, ["--config", str(config), "serve", "--store", str(tmp_path), "--workers", "4",
                                       "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 0, result.output
    settings, debug = captured[0]
    assert (settings.host, settings.port, settings.workers) == ("0.0.0.0", 9001, 4)
    assert (settings.query_timeout, settings.max_rows, settings.update_token) == (12.5, 77, "from-env")
    assert settings.service_allowlist == ("b.example", "c.example:8080")
    assert debug is False
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path), "--allow-service", "d.example",
                                       "--allow-service", "e.example", "--query-timeout", "3", "--update-token",
                                       "from-flag", "--debug"], env=env)
    settings, debug = captured[1]
    assert settings.service_allowlist == ("d.example", "e.example")
    assert (settings.query_timeout, settings.update_token, debug) == (3.0, "from-flag", True)


def test_serve_refuses_a_missing_store(tmp_path) -> None:
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "kg build --store" in str(result.exception) + result.output


@pytest.mark.slow
def test_kg_serve_prints_its_address_logs_each_request_and_stops_cleanly(tmp_path, served_store) -> None:
    with running_server(served_store.path, tmp_path, "--workers", "2") as server:
        assert (tmp_path / "serve.out").read_text().startswith(f"evalkg is serving {served_store.path} at "
                                                               f"{server.url}/sparql")
        with httpx.Client(base_url=server.url) as client:
            ok = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
            bad = client.post("/sparql", data={"query": "SELECT * WHERE {"})
        assert (ok.status_code, bad.status_code) == (200, 400)
    lines = [m.groupdict() for m in ACCESS_LINE.finditer(server.log_text())]
    sparql = [line for line in lines if line["target"].startswith("/sparql")]
    assert [(line["method"], line["status"]) for line in sparql] == [("GET", "200"), ("POST", "400")]
    assert int(sparql[0]["size"]) == len(ok.content) and int(sparql[1]["size"]) == len(bad.content)
    assert all(float(line["ms"]) > 0 for line in sparql)
    assert "Booting worker" in server.log_text()  # gunicorn, several workers
    assert server.process.returncode == 0
    assert "SIGSEGV" not in server.log_text() and "SIGABRT" not in server.log_text()


@pytest.mark.slow
def test_kg_serve_debug_runs_the_development_server(tmp_path, served_store) -> None:
    with running_server(served_store.path, tmp_path, "--debug") as server:
        response = httpx.get(server.endpoint, params={"query": "ASK { ?s ?p ?o }"})
        assert response.json()["boolean"] is True
    assert "gunicorn" not in server.log_text()
