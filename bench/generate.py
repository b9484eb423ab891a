"""Generate N synthetic case files in the public case-file format (docs/case-files.md), for benchmarks.

    python bench/generate.py N OUT_DIR [--invalid FRACTION] [--seed S]

Valid files mix the realistic variations the engine must judge: Indonesian cities, regencies and provinces
(named by their Kemendagri code or Wikidata id from data/reference/wikidata, so the intake resolves them), foreign
cities and first-level regions in states with and without recorded diplomatic relations (Japan, Israel, Taiwan…),
signature dates from 1985 to 2025, letters of intent, MoUs and renewals, fields (now and then an absolute affair),
procedural steps dated before or after the signature, explicit findings, and (--links) renewals and
implementing agreements of other files. Invalid files (a share given by
--invalid) carry one error each of the kinds the intake must reject: an unknown key, an impossible date, an
unknown country code or field, a single party, a bad id. Synthetic data: never mistake it for the register.
"""
from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
REF = HOME / "data" / "reference" / "wikidata"

FIELDS = ["science-technology", "culture", "government-capacity", "regional-promotion", "education", "health",
          "tourism", "agriculture", "economy", "trade", "investment", "environment", "youth-sport",
          "disaster-management", "infrastructure", "public-order"]
ABSOLUTE = ["defence", "foreign-policy", "religion"]
KINDS = ["letter-of-intent", "memorandum-of-understanding", "sister-city-agreement", "friendship-agreement",
         "cooperation-agreement"]
STEPS = ["ministers-consulted", "dprd-approval", "mendagri-consideration", "draft-approved", "central-approval",
         "surat-konfirmasi", "report"]
FACTS = ["representative-office-abroad", "interference-in-domestic-affairs", "consistent-with-development-plans",
         "complementarity", "people-to-people", "technology-transferable"]
FOREIGN = [("JP", "municipality", "second"), ("JP", "prefecture", "first"), ("US", "city", None),
           ("KR", "special-municipality", "first"), ("DE", "municipality", "second"), ("AU", "federated-state", "first"),
           ("IL", "municipality", "second"), ("TW", "municipality", "second"), ("FR", "municipality", "second"),
           ("NL", "municipality", "second")]
SOURCE = "{url: 'https://example.org/synthetic', title: 'synthetic benchmark record', grade: unverified}"


def _localities():
    with open(REF / "locality-ID.csv", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["kemendagriCode"]]


def _provinces():
    with open(REF / "province-ID.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _date(rng: random.Random) -> str:
    y = rng.randint(1985, 2025)
    return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def case(n: int, rng: random.Random, localities, provinces) -> str:
    aid = f"synthetic-{n:06d}"
    signed = _date(rng)
    if rng.random() < 0.2:
        p = rng.choice(provinces)
        indonesian = f"  - {{name: \"{p['name_id']}\", kind: province, country: ID, wikidata: {p['id']}}}"
    else:
        loc = rng.choice(localities)
        kind = "city" if loc["place"] == "CITY" else "regency"
        indonesian = (f"  - {{name: \"{'Kota' if kind == 'city' else 'Kabupaten'} {loc['name']}\", kind: {kind}, "
                      f"country: ID, kemendagri-code: \"{loc['kemendagriCode']}\"}}")
    iso, fkind, level = rng.choice(FOREIGN)
    foreign = f"  - {{name: \"Synthetic {fkind} {n}\", kind: {fkind}, country: {iso}" + \
              (f", level: {level}" if level else "") + "}"
    fields = rng.sample(FIELDS, rng.randint(1, 4))
    if rng.random() < 0.05:
        fields.append(rng.choice(ABSOLUTE))
    lines = [f"id: {aid}",
             f"title: {{id: \"Perjanjian sintetis {n}\", en: \"Synthetic agreement {n}\"}}",
             f"designation: {rng.choice(['Memorandum of Understanding', 'Letter of Intent', 'Sister City Agreement'])}",
             f"kind: {rng.choice(KINDS)}",
             f"signed: {{date: {signed}, place: \"Synthetic place\"}}",
             "parties:", indonesian, foreign,
             f"fields: [{', '.join(fields)}]"]
    steps = []
    for step in rng.sample(STEPS, rng.randint(0, 4)):
        y, m, d = map(int, signed.split("-"))
        before = rng.random() < 0.8
        y2 = y - 1 if before else y + 1
        steps.append(f"  - {{step: {step}, date: {y2}-{m:02d}-{d:02d}, source: {SOURCE}}}")
    if steps:
        lines += ["steps:"] + steps
    facts = rng.sample(FACTS, rng.randint(0, 3))
    if facts:
        lines.append("facts:")
        lines += [f"  {k}: {'true' if rng.random() < 0.5 else 'false'}" for k in facts]
    lines.append(f"sources: [{SOURCE}]")
    return "\n".join(lines) + "\n"


def broken(text: str, rng: random.Random) -> str:
    kind = rng.choice(["key", "date", "country", "field", "party", "id"])
    if kind == "key":
        return text.replace("kind:", "knd:", 1)
    if kind == "date":
        return text.replace("signed: {date: ", "signed: {date: 2019-02-30, was: ", 1).replace(", was: ", ", place2: ")
    if kind == "country":
        return text.replace("country: ID", "country: XX", 1)
    if kind == "field":
        return text.replace("fields: [", "fields: [piracy, ", 1)
    if kind == "party":
        lines = text.splitlines()
        i = next(n for n, l in enumerate(lines) if l.startswith("parties:"))
        del lines[i + 2]
        return "\n".join(lines) + "\n"
    return text.replace("id: synthetic-", "id: Synthetic_", 1)


def generate(n: int, out: Path, invalid: float = 0.0, seed: int = 1, links: float = 0.0) -> list[Path]:
    rng = random.Random(seed)
    localities, provinces = _localities(), _provinces()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = case(i, rng, localities, provinces)
        if i and rng.random() < links:   # renews or implements an agreement of another file (before or after it)
            j = rng.randrange(n - 1)
            j += j >= i
            text = text.replace("\nsigned:", f"\n{rng.choice(['renews', 'implements'])}: synthetic-{j:06d}\nsigned:", 1)
        if rng.random() < invalid:
            text = broken(text, rng)
        path = out / f"synthetic-{i:06d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--invalid", type=float, default=0.0, help="share of files with one error (0–1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--links", type=float, default=0.0,
                    help="share of files that renew or implement the agreement of another file (0–1)")
    args = ap.parse_args()
    if not 1 <= args.n <= 200_000:
        ap.error("N must be between 1 and 200,000")
    generate(args.n, args.out, args.invalid, args.seed, args.links)


if __name__ == "__main__":
    main()
