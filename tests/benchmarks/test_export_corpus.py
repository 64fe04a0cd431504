"""The export generator: the real sample repeated, read back by the export reader as that many copies."""

from __future__ import annotations

from pathlib import Path

from benchmarks.export_corpus import main, read_sample, shift_for, shifted_row, write_export
from kg.readers import read_records
from kg.records import EvaluationRecord

# The sample (kg/sample/README.md): 247 evaluations, 198 recommendations, 250 lessons, 135 good practices.
SAMPLE_COUNTS = {"evaluations": 247, "recommendations": 198, "lessons": 250, "good_practices": 135}


def _read(path: Path) -> list[EvaluationRecord]:
    read = list(read_records(path.name, path.read_bytes(), "xlsx"))
    problems = [item for item in read if not isinstance(item, EvaluationRecord)]
    assert not problems, problems
    return read  # type: ignore[return-value]


def _counts(records: list[EvaluationRecord]) -> dict[str, int]:
    return {"evaluations": len({r.eval_number for r in records})} | {
        kind: len({item.id for r in records for item in getattr(r, kind)})
        for kind in ("recommendations", "lessons", "good_practices")
    }


def test_the_sample_repeated_reads_back_as_that_many_copies_with_unique_ids(tmp_path: Path) -> None:
    repeat = 2
    out = tmp_path / "export.xlsx"
    written = write_export(out, repeat)
    records = _read(out)
    assert _counts(records) == {kind: count * repeat for kind, count in SAMPLE_COUNTS.items()}
    for kind in ("recommendations", "lessons", "good_practices"):
        ids = [item.id for r in records for item in getattr(r, kind)]
        assert len(ids) == len(set(ids)) == SAMPLE_COUNTS[kind] * repeat, kind
    assert written == {"Data": 11 * repeat, "Data (2)": 348 * repeat, "Data (3)": 183 * repeat,
                       "Data (4)": 298 * repeat, "Data (5)": 294 * repeat}


def test_a_copy_keeps_sheets_columns_texts_and_project_symbols_and_shifts_only_numbers(tmp_path: Path) -> None:
    out = tmp_path / "export.xlsx"
    main(["--repeat", "2", "--out", str(out)])
    sample = read_sample()
    copies = read_sample(out)
    assert [(s.title, s.header) for s in copies] == [(s.title, s.header) for s in sample]
    shift = shift_for(sample)
    for original, copied in zip(sample, copies):
        assert copied.rows[: len(original.rows)] == original.rows
        for before, after in zip(original.rows, copied.rows[len(original.rows):]):
            changed = {name for name, a, b in zip(original.header, before, after) if a != b}
            assert changed <= {"Evaluation number", "Url", "Recommendation ID", "Lessons learned ID",
                               "Good practices ID"}, changed
            row = dict(zip(original.header, after))
            assert int(row["Evaluation number"]) == int(dict(zip(original.header, before))["Evaluation number"]) + shift
            assert f"eval_id={row['Evaluation number']}" in row["Url"]


def test_the_shift_is_above_every_number_of_the_sample() -> None:
    sample = read_sample()
    shift = shift_for(sample)
    assert shift == 10_000_000  # the sample's largest number, evaluation 2343076, has seven digits
    header = ("Evaluation number", "Url", "Project symbol(s)", "Recommendation ID")
    row = ("2467", "https://webapps.ilo.org/ievaldiscovery/#eval_id=2467&source=planned", "RLA/14/03/SPA", "11077")
    assert shifted_row(header, row, 2 * shift) == [
        "20002467", "https://webapps.ilo.org/ievaldiscovery/#eval_id=20002467&source=planned", "RLA/14/03/SPA",
        "20011077"]



def test_a_folder_of_workbooks_holds_every_copy_once(tmp_path: Path) -> None:
    main(["--repeat", "3", "--per-file", "2", "--out", str(tmp_path / "exports")])
    files = sorted((tmp_path / "exports").iterdir())
    assert [f.name for f in files] == ["export-00000.xlsx", "export-00001.xlsx"]
    each = [_read(f) for f in files]
    assert [_counts(records)["evaluations"] for records in each] == [247 * 2, 247]
    every = [record for records in each for record in records]
    assert _counts(every) == {kind: count * 3 for kind, count in SAMPLE_COUNTS.items()}
