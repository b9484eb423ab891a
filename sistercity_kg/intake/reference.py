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
    """ISO 3166-1 alpha-2 → country: the codes of the ISO standard (pycountry), named and given a Wikidata id by
    the CC0 extract country.csv where it has them (it misses a few states, the Netherlands among them). TW is a
    code like any other here; whether Indonesia recognises it as a state is said by the actors layer."""
    import pycountry

    out: dict[str, Country] = {c.alpha_2: Country(c.alpha_2, getattr(c, "common_name", None) or c.name, "")
                               for c in pycountry.countries}
    with open(Path(REFERENCE_DIR) / "wikidata" / "country.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["iso"]:
                out[row["iso"]] = Country(row["iso"], row["name"], row["id"])
    return out
