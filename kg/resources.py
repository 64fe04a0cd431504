"""Where the bundled files live: the ontology, shapes and gazetteers, and the sample corpus."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def ontology_dir() -> Path:
    """The repository's `ontology/` folder, reached through the `kg/ontology` link (package data)."""
    return Path(str(files("kg"))) / "ontology"


def ontology_file(name: str) -> Path:
    return ontology_dir() / name


def sample_dir() -> Path:
    """The bundled sample corpus that `kg build` ingests when given no source."""
    return Path(str(files("kg"))) / "sample"
