"""Write a synthetic corpus in one input form: `python -m benchmarks.generate --records N --form F`.

Records are streamed to disk: one file per record for `json`, `text` and `html` (in folders of
1,000 files), and files of 1,000 records for `jsonl`, so any size up to millions of records
runs in constant memory.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.corpus import records

FORMS = ("json", "jsonl", "text", "html")
SUFFIX = {"json": ".json", "jsonl": ".jsonl", "text": ".txt", "html": ".html"}
FILES_PER_FOLDER = 1_000
RECORDS_PER_JSONL_FILE = 1_000
_EVALUATION_KEYS = ("eval_number", "eval_url", "location", "eval_title", "recommendations")


def _flatten(value: Any, key: str) -> Iterator[tuple[str, str | None]]:
    """(key, value) pairs in page order; a nested object's keys follow its parent key."""
    if isinstance(value, list):
        yield key, None
        for item in value:
            for name, inner in item.items():
                yield from _flatten(inner, name)
    else:
        yield key, "" if value is None else str(value)


def _pairs(data: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    for key in _EVALUATION_KEYS:
        yield from _flatten(data[key], key)


def render_text(data: dict[str, Any]) -> str:
    """The flattened text rendering of a record page (`- key:` / `- value` lines)."""
    lines = ["Back to index", data["eval_title"]]
    for key, value in _pairs(data):
        lines.append(f"- {key}:")
        if value:
            lines.append(f"- {value}")
    lines.append("Skip to top")
    return "\n".join(lines) + "\n"


def render_html(data: dict[str, Any]) -> str:
    """The nested-list (`ul.record`) HTML layout of a record page."""
    parts: list[str] = []

    def emit(value: Any, key: str) -> None:
        parts.append(f"<li>{key}:<ul>")
        if isinstance(value, list):
            for item in value:
                for name, inner in item.items():
                    emit(inner, name)
        elif value not in (None, ""):
            parts.append(f"<li>{html.escape(str(value))}</li>")
        parts.append("</ul></li>")

    for key in _EVALUATION_KEYS:
        emit(data[key], key)
    title = html.escape(data["eval_title"])
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title} | i-eval Discovery | ILO</title>\n</head>\n<body>\n"
        '<header class="site-header"><p class="site-name">i-eval Discovery</p></header>\n'
        '<main id="content">\n<p class="back"><a href="/ievaldiscovery/recommendations">Back to index</a></p>\n'
        f'<h1>{title}</h1>\n<ul class="record">{"".join(parts)}</ul>\n</main>\n'
        '<footer><a href="#top">Skip to top</a></footer>\n</body>\n</html>\n'
    )


def _record_path(out: Path, index: int, form: str) -> Path:
    return out / f"{index // FILES_PER_FOLDER:05d}" / f"record-{index:07d}{SUFFIX[form]}"


def generate(out: Path, count: int, form: str, seed: int) -> list[Path]:
    """Write `count` records of the corpus of `seed` under `out` (emptied first); return the files."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")
    if out.exists():
        shutil.rmtree(out)
    written: list[Path] = []
    if form == "jsonl":
        out.mkdir(parents=True)
        handle = None
        for index, data in enumerate(records(seed, count)):
            if index % RECORDS_PER_JSONL_FILE == 0:
                if handle:
                    handle.close()
                path = out / f"records-{index // RECORDS_PER_JSONL_FILE:05d}.jsonl"
                handle = open(path, "w", encoding="utf-8")
                written.append(path)
            handle.write(json.dumps(data, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
        if handle:
            handle.close()
        return written
    render = {"json": lambda d: json.dumps(d, ensure_ascii=False, indent=2) + "\n",
              "text": render_text, "html": render_html}[form]
    for index, data in enumerate(records(seed, count)):
        path = _record_path(out, index, form)
        if index % FILES_PER_FOLDER == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, required=True, help="number of evaluation records")
    parser.add_argument("--form", choices=FORMS, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    args = parser.parse_args(argv)
    files = generate(args.out, args.records, args.form, args.seed)
    print(f"{args.records} {args.form} records in {len(files)} files under {args.out}")


if __name__ == "__main__":
    main()
