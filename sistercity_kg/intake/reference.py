"""The CC0 Wikidata extracts in data/reference/wikidata/: country codes and Indonesian regions."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import REFERENCE_DIR


@dataclass(frozen=True)
class Country:
    iso: str
    name: str
    wikidata: str


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """ISO 3166-1 alpha-2 → country, from country.csv; TW is accepted as a code (not as a recognised state)."""
    out: dict[str, Country] = {}
    with open(Path(REFERENCE_DIR) / "wikidata" / "country.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["iso"]:
                out[row["iso"]] = Country(row["iso"], row["name"], row["id"])
    out.setdefault("TW", Country("TW", "Taiwan", ""))
    return out
