"""The results: a condition's status, a test's answer and an assessment, derived from the shapes that reported by
one rule for every engine, with a stated precedence where shapes agree."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .catalogue import Catalogue, Shape, Test, in_statute_order
from .engines import Fired
from .questions import Question


@dataclass
class ConditionResult:
    condition: str
    cid: str
    status: str
    provisions: list[str]
    messages: dict[str, str]
    grade: str | None = None
    sources: list[str] = field(default_factory=list)
    shape: str | None = None          # the shape that decided the status (None: satisfied, no shape reported)
    labels: dict[str, str] = field(default_factory=dict)   # the condition's name, per language


@dataclass
class TestResult:
    test: Test
    answer: str
    conditions: list[ConditionResult]


@dataclass
class Assessment:
    question: Question
    tests: list[TestResult]
    in_force: str                     # yes | no | not-evidenced
    notes: dict[str, str]
    engine: str
    titles: dict[str, str] = field(default_factory=dict)
    in_force_reason: dict[str, str] = field(default_factory=dict)

    @property
    def lawful(self) -> str:
        """The lawfulness tests together: no when one answers no, else undetermined when one does, else yes
        (not-applicable when none applies). Classification tests do not count: not being a treaty breaks nothing."""
        answers = {tr.answer for tr in self.tests if tr.test.kind == "lawfulness"} - {"not-applicable"}
        return ("no" if "no" in answers else "undetermined" if "undetermined" in answers
                else "yes" if answers else "not-applicable")


def by_assessment(fired: Fired) -> dict[str, dict[str, dict]]:
    """The reports grouped by assessment: assessment IRI → shape IRI → messages."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for (focus, shape), msg in fired.items():
        out[focus][shape] = msg
    return out


def derive(question: Question, catalogue: Catalogue, fired: dict[str, dict]) -> list[TestResult]:
    """Statuses and answers from the shapes that reported on this assessment (`fired`: shape IRI → messages),
    by one rule for every engine.

    A condition's status: the test as a whole first (not applicable, then not evidenced: the framework's window, the
    signature date, the scope), then the condition's own shapes (not applicable, violated, not evidenced), else
    satisfied. When several shapes give the same status, the one of lowest sckg:precedence (then of first IRI)
    gives the provisions, citation and message shown, so the answer does not depend on the order an engine reports
    in. Which shape decides what in a test depends only on which of its shapes reported: that plan is worked out
    once per set of shapes (`_plan`), and filled with each assessment's messages."""
    results = []
    reported = fired.keys()
    for test, relevant in _relevant(catalogue):
        answer, rows = _plan(catalogue, test, frozenset(relevant & reported))
        conditions = [ConditionResult(cond.iri, cond.cid, status, list(provisions),
                                      fired[shape] if shape else cond.satisfied, shape=shape, labels=cond.labels)
                      for cond, status, provisions, shape in rows]
        results.append(TestResult(test, answer, conditions))
    return results


def _relevant(catalogue: Catalogue) -> list[tuple[Test, set[str]]]:
    """Each test with the shapes that can decide it or one of its conditions."""
    cached = catalogue.__dict__.get("_relevant")
    if cached is None:
        cached = catalogue.__dict__["_relevant"] = [
            (test, {s.iri for s in catalogue.shapes
                    if test.iri in s.tests or any(c in test.conditions for c in s.conditions)})
            for test in catalogue.tests]
    return cached


def _plan(catalogue: Catalogue, test: Test, fired: frozenset) -> tuple[str, list[tuple]]:
    """For the shapes of a test that reported: its answer, and per condition (condition, status, provisions,
    deciding shape or None)."""
    plans = catalogue.__dict__.setdefault("_plans", {})
    key = (test.iri, fired)
    if key in plans:
        return plans[key]
    by_condition: dict[str, dict[str, Shape]] = defaultdict(dict)
    whole: dict[str, Shape] = {}
    shapes = catalogue.by_iri

    def keep(table: dict, shape: Shape):
        held = table.get(shape.outcome)
        if held is None or shape.rank < held.rank:
            table[shape.outcome] = shape

    for iri in fired:
        shape = shapes[iri]
        for c in shape.conditions:
            keep(by_condition[c], shape)
        if test.iri in shape.tests:
            keep(whole, shape)
    rows = []
    for c_iri in test.conditions:
        cond = catalogue.conditions[c_iri]
        own = by_condition.get(c_iri, {})
        decided = next((whole[st] for st in ("not-applicable", "not-evidenced") if st in whole), None)
        decided = decided or next((own[st] for st in ("not-applicable", "violated", "not-evidenced")
                                   if st in own), None)
        if decided is None and "satisfied" in own:
            # satisfied, in the words of the shape that read the record (the interval of a diplomatic relation
            # that covers the date), citing what it cites
            decided = own["satisfied"]
        if decided is None:
            rows.append((cond, "satisfied", tuple(in_statute_order(cond.provisions)), None))
        else:
            rows.append((cond, decided.outcome, tuple(in_statute_order(set(cond.provisions) | set(decided.provisions))),
                         decided.iri))
    statuses = {r[1] for r in rows}
    if "not-applicable" in whole or statuses == {"not-applicable"}:
        answer = "not-applicable"
    elif "violated" in statuses:
        answer = "no"
    elif "not-evidenced" in statuses:
        answer = "undetermined"
    else:
        answer = "yes"
    plans[key] = (answer, rows)
    return plans[key]
