"""Where the project's files are: the repository this package belongs to (or SISTERCITY_KG_HOME)."""
from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("SISTERCITY_KG_HOME") or Path(__file__).resolve().parent.parent)
ONTOLOGY_DIR = HOME / "ontology"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
HYGIENE_DIR = ONTOLOGY_DIR / "hygiene"
DATA_DIR = HOME / "data"
REFERENCE_DIR = DATA_DIR / "reference"
QUERIES_DIR = HOME / "queries"
