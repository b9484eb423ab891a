"""The condition catalogue in docs/conditions.md is the one the shapes give, and it says what they say."""
from __future__ import annotations

from sistercity_kg import paths
from sistercity_kg.assess import catalogue_of
from sistercity_kg.docs import condition_catalogue

from .conftest import UPDATE_GOLDEN

DOC = paths.HOME / "docs" / "conditions.md"


def test_the_catalogue_in_the_repository_is_current(kg):
    text = condition_catalogue(kg)
    if UPDATE_GOLDEN:
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, "docs/conditions.md is stale: sistercity-kg docs --conditions-only --out docs"


def test_every_test_and_condition_is_in_the_catalogue_with_its_kind(kg):
    text = DOC.read_text(encoding="utf-8")
    catalogue = catalogue_of(kg)
    for test in catalogue.tests:
        assert f"## `{test.tid}` — {test.kind}" in text
    for cond in catalogue.conditions.values():
        assert f"| `{cond.cid}`<br>" in text
    for shape in catalogue.shapes:
        assert f"`{shape.iri.rsplit('/', 1)[-1]}`" in text, shape.iri
