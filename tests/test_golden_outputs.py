"""Golden outputs of `assess` for every agreement of the register (data/cases/), as of signing, in English and in
Indonesian, read once by a person against the article texts before they were checked in. A change in the shapes,
the engine or the wording shows here as a diff to read (regenerate with SCKG_UPDATE_GOLDEN=1)."""
from __future__ import annotations

import datetime
import re

import pytest

from sistercity_kg.assess import assess
from sistercity_kg.render import Citations, as_text

from .conftest import FIXTURES, UPDATE_GOLDEN

HERE = FIXTURES / "assess"

#: An agreement with no signing date is judged as of today: its checklists hold the run's date, kept in the goldens
#: as `<today>` (each run checks it is today's date).
TODAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})( \((?:today|hari ini)\))")


def _today_masked(text: str) -> str:
    for found in TODAY.finditer(text):
        assert found.group(1) == datetime.date.today().isoformat(), found.group(0)
    return TODAY.sub(r"<today>\2", text)


@pytest.fixture(scope="module")
def checklists(kg):
    results = assess(kg, write=False)
    citations = Citations(kg.layer("legislation"))
    out = {}
    for a in results:
        for lang in ("en", "id"):
            out[f"{a.question.aid}.{lang}.txt"] = _today_masked(as_text(a, citations, lang)) + "\n"
    if UPDATE_GOLDEN:
        HERE.mkdir(exist_ok=True)
        for old in HERE.glob("*.txt"):
            if old.name not in out:
                old.unlink()
        for name, text in out.items():
            (HERE / name).write_text(text, encoding="utf-8")
    return out


def test_every_agreement_has_its_golden_checklists(checklists):
    assert {p.name for p in HERE.glob("*.txt")} == set(checklists)


def test_the_checklists_are_the_golden_ones(checklists):
    changed = [name for name, text in sorted(checklists.items())
               if (HERE / name).read_text(encoding="utf-8") != text]
    assert not changed, f"{len(changed)} checklists differ from tests/fixtures/assess/ (first: {changed[:3]}); " \
                        "read the diff, then SCKG_UPDATE_GOLDEN=1"


def test_the_checklists_read_as_a_lawyer_would_sign_them(checklists):
    """No unfilled placeholder, no raw vocabulary id in prose, and no English in the Indonesian checklists (the
    checker of tests/language.py, also run on the answers)."""
    from .language import problems

    found = [f"{name}: {p}" for name, text in sorted(checklists.items())
             for p in problems(text, name.rsplit(".", 2)[1])]
    assert not found, "\n".join(found[:20])
