"""The issue 20 plots of `benchmarks.plot`: their ratios from result rows of the real shape, and
the PNGs they write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.ingest import FLOOR, FLOOR_ALL
from benchmarks.plot import (
    FloorRatio,
    endpoint_ratios,
    lookup_p50s,
    main,
    named_floor_ratios,
    plot_endpoint_ratios,
    plot_named_floor,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _row(contender: str, records: int, seconds: float, ended: str, **more: object) -> dict:
    return {"records": records, "contender": contender, "seconds": seconds, "ended_utc": f"{ended}+00:00", **more}


INGEST_ROWS = [
    _row("kg build", 10000, 60.0, "2026-12-06T03:20:10", form="json"),
    _row("kg build", 10000, 90.0, "2026-12-06T03:21:35", form="text"),
    _row("kg build", 10000, 99.0, "2026-12-06T03:23:00", form="html"),
    _row(FLOOR, 10000, 30.0, "2026-12-06T03:24:00", form="json"),
    _row(FLOOR_ALL, 10000, 45.0, "2026-12-06T03:25:00", form="json"),
]
EXPORT_ROWS = [  # an export result's rows have a repeat and no form
    _row("kg build", 6640, 6.0, "2026-12-05T23:35:51", repeat=8),
    _row(FLOOR, 6640, 1.5, "2026-12-05T23:36:00", repeat=8),
    _row("kg build", 49800, 40.0, "2026-12-05T23:27:00", repeat=60),
    _row(FLOOR, 49800, 8.0, "2026-12-05T23:28:00", repeat=60),
]


def _endpoint(kg: float, oxigraph: float, kg_lookup: float) -> dict:
    rows = []
    for mix in ("light", "heavy"):
        for repeats in ("repeated", "unique"):
            for concurrency in (1, 8, 32):
                rows.append({"server": "kg serve", "mix": mix, "repeats": repeats, "concurrency": concurrency,
                             "throughput": kg * concurrency, "lookup_p50_ms": kg_lookup * concurrency})
                rows.append({"server": "oxigraph serve-read-only", "mix": mix, "repeats": repeats,
                             "concurrency": concurrency, "throughput": oxigraph * concurrency, "lookup_p50_ms": 0.5})
    return {"rows": rows, "answers_differ": [], "mix": {}}


def test_named_floor_ratios_divide_each_build_by_the_named_floor_of_its_size() -> None:
    assert named_floor_ratios(INGEST_ROWS, "ingest-10k-issue20-stop23") == [
        FloorRatio("json", 10000, 2.0, "2026-12-06T03:20:10+00:00", "ingest-10k-issue20-stop23"),
        FloorRatio("text", 10000, 3.0, "2026-12-06T03:21:35+00:00", "ingest-10k-issue20-stop23"),
        FloorRatio("html", 10000, 3.3, "2026-12-06T03:23:00+00:00", "ingest-10k-issue20-stop23"),
    ]
    assert [(r.form, r.records, r.ratio) for r in named_floor_ratios(EXPORT_ROWS, "export")] == [
        ("export", 6640, 4.0), ("export", 49800, 5.0)]


def test_a_result_without_the_named_floor_gives_no_ratio() -> None:
    older = [{"records": 1000, "contender": "kg build", "form": "json", "seconds": 6.7},
             {"records": 1000, "contender": "floor: pyoxigraph bulk_load", "form": "json", "seconds": 4.4}]
    assert named_floor_ratios(older, "ingest-1k") == []


def test_endpoint_ratios_divide_kg_serve_by_oxigraph_in_the_same_run() -> None:
    result = _endpoint(kg=300.0, oxigraph=1200.0, kg_lookup=0.4)
    ratios = endpoint_ratios(result)
    assert len(ratios) == 12
    assert set(ratios.values()) == {0.25}
    assert lookup_p50s(result, "kg serve")["heavy", "unique", 32] == pytest.approx(12.8)
    assert lookup_p50s(result, "oxigraph serve-read-only")["light", "repeated", 1] == 0.5


def _is_png(path: Path) -> bool:
    return path.stat().st_size > 1000 and path.read_bytes()[:8] == PNG_SIGNATURE


def test_the_plots_are_written(tmp_path: Path) -> None:
    ratios = named_floor_ratios(INGEST_ROWS, "ingest-10k-issue20-stop23") + named_floor_ratios(EXPORT_ROWS, "export-8")
    assert _is_png(plot_named_floor(ratios, tmp_path))
    runs = {"endpoint-kept-run1": _endpoint(300.0, 1200.0, 0.4), "endpoint-kept-run2": _endpoint(2400.0, 1200.0, 0.3)}
    assert _is_png(plot_endpoint_ratios(runs, tmp_path))


def test_the_command_line_draws_only_the_plots_asked_for(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (results / "ingest-10k.json").write_text(json.dumps(INGEST_ROWS), encoding="utf-8")
    (results / "export-8.json").write_text(json.dumps(EXPORT_ROWS), encoding="utf-8")
    (results / "endpoint-run1.json").write_text(json.dumps(_endpoint(300.0, 1200.0, 0.4)), encoding="utf-8")
    out = tmp_path / "docs"
    out.mkdir()
    main(["--floor-results", str(results / "ingest-10k.json"), str(results / "export-8.json"),
          "--endpoint-ratios", str(results / "endpoint-run1.json"), "--out", str(out)])
    assert sorted(p.name for p in out.iterdir()) == ["bench-issue20-endpoint.png", "bench-issue20-ingest-floor.png"]
    assert all(_is_png(path) for path in out.iterdir())


def test_results_without_the_named_floor_are_refused(tmp_path: Path) -> None:
    older = tmp_path / "ingest-1k.json"
    older.write_text(json.dumps([_row("kg build", 1000, 6.7, "2026-12-03T21:20:00", form="json")]), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--floor-results", str(older), "--out", str(tmp_path)])
    assert not list(tmp_path.glob("*.png"))
