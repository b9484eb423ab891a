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


@dataclass(frozen=True)
class Region:
    """A region as the CC0 Wikidata extract gives it."""

    wikidata: str
    name: str
    kind: str            # city | regency | province | first-level (a foreign first-level region)
    iso: str             # the country's ISO 3166-1 code
    kemendagri: str = ""
    subdivision: str = ""  # ISO 3166-2
    within: str = ""     # the Wikidata id of the province it lies in
    source: str = ""     # the id of the extract in data/sources


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """Indonesian provinces, regencies and cities, and first-level regions worldwide, by Wikidata id."""
    folder = Path(REFERENCE_DIR) / "wikidata"
    country_of = {c.wikidata: c.iso for c in countries().values() if c.wikidata}
    out: dict[str, Region] = {}
    with open(folder / "state.id.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            iso = country_of.get(row["countryId"], "")
            out[row["id"]] = Region(row["id"], row["name"], "first-level", iso, subdivision=row["stateIso"],
                                    source="wd-state")
    with open(folder / "province-ID.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["id"]] = Region(row["id"], row["name_id"], "province", "ID", subdivision=row["provinceIso"],
                                    source="wd-province-id")
    with open(folder / "locality-ID.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kind = {"CITY": "city", "TOWN": "regency"}.get(row["place"], "")
            out[row["id"]] = Region(row["id"], row["name"], kind, "ID", kemendagri=row["kemendagriCode"],
                                    within=row["stateId"], source="wd-locality-id")
    return out


@lru_cache(maxsize=1)
def by_kemendagri() -> dict[str, Region]:
    return {r.kemendagri: r for r in regions().values() if r.kemendagri}


_PREFIX = ("kota administrasi ", "kota ", "kabupaten ", "kab. ", "provinsi ", "prov. ", "city of ", "regency of ")


def find_indonesian(name: str, kind: str) -> Region | None:
    """An Indonesian region by its name and kind ("Kota Bandung", city), when exactly one matches; a kota and a
    kabupaten can share a name (Bogor), so the kind decides, and an ambiguous name resolves to nothing."""
    key = name.strip().lower()
    for p in _PREFIX:
        if key.startswith(p):
            key = key[len(p):]
            break
    matches = [r for r in regions().values()
               if r.iso == "ID" and r.kind == kind and r.name.lower() == key]
    return matches[0] if len(matches) == 1 else None
