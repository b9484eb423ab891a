"""The results: a condition's status, a test's answer and an assessment, derived from the shapes that reported by
one rule for every engine, with a stated precedence where shapes agree."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .catalogue import Catalogue, Shape, Test, in_statute_order
from .engines import Fired
from .questions import Question


@dataclass(slots=True)
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
    in. A test's statuses and answer depend only on which of its shapes reported: they are worked out once per set
    of shapes (`Plans.decide`), and filled with each assessment's messages."""
    plans = Plans.of(catalogue)
    reported: dict[str, list[str]] = defaultdict(list)   # test IRI → its shapes (whole or conditions') that reported
    for iri in fired:
        for t in plans.bears_on.get(iri, ()):
            reported[t].append(iri)
    results = []
    for test in catalogue.tests:
        key = (test.iri, frozenset(reported.get(test.iri, ())))
        answer, rows = plans.decided.get(key) or plans.decide(test, key[1])
        results.append(TestResult(test, answer, [
            ConditionResult(cond.iri, cond.cid, status, list(provisions), fired[shape.iri] if shape else cond.satisfied,
                            shape=shape.iri if shape else None, labels=cond.labels)
            for cond, status, provisions, shape in rows]))
    return results


#: The statuses that decide, in order: a test's own shapes (a whole test is decided only by these), a condition's.
WHOLE_ORDER = ("not-applicable", "not-evidenced")
OWN_ORDER = ("not-applicable", "violated", "not-evidenced", "satisfied")


class Plans:
    """What `derive` works out once per catalogue (kept on it: the same shapes, the same choices): the tests each
    shape bears on (as a whole, or through one of its conditions), and per test and set of its shapes that reported,
    the answer and each condition's status, provisions and deciding shape."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        tests_of = defaultdict(set)   # condition → the tests it belongs to
        for t in catalogue.tests:
            for c in t.conditions:
                tests_of[c].add(t.iri)
        self.bears_on = {s.iri: tuple(sorted(set(s.tests).union(*(tests_of[c] for c in s.conditions))))
                         for s in catalogue.shapes}
        self.decided: dict[tuple, tuple] = {}

    @classmethod
    def of(cls, catalogue: Catalogue) -> "Plans":
        plans = catalogue.__dict__.get("_plans")
        if plans is None:
            plans = catalogue.__dict__["_plans"] = cls(catalogue)
        return plans

    def decide(self, test: Test, reported: frozenset) -> tuple[str, tuple]:
        shapes = [self.catalogue.by_iri[iri] for iri in reported]
        over = _first_of([s for s in shapes if test.iri in s.tests], WHOLE_ORDER)
        rows = []
        for cond in (self.catalogue.conditions[c] for c in test.conditions):
            decided = over or _first_of([s for s in shapes if cond.iri in s.conditions], OWN_ORDER)
            if decided is None:
                rows.append((cond, "satisfied", tuple(in_statute_order(cond.provisions)), None))
            else:
                rows.append((cond, decided.outcome,
                             tuple(in_statute_order(set(cond.provisions) | set(decided.provisions))), decided))
        statuses = {status for _, status, _, _ in rows}
        if (over is not None and over.outcome == "not-applicable") or statuses == {"not-applicable"}:
            answer = "not-applicable"
        elif "violated" in statuses:
            answer = "no"
        elif "not-evidenced" in statuses:
            answer = "undetermined"
        else:
            answer = "yes"
        self.decided[(test.iri, reported)] = (answer, tuple(rows))
        return answer, tuple(rows)


def _first_of(shapes: list[Shape], order: tuple[str, ...]) -> Shape | None:
    """Of the shapes that reported, the one that decides: the first status in `order` that one of them gives, and of
    the shapes that give it, the one of lowest rank; None when none gives a status in `order`."""
    shapes = [s for s in shapes if s.outcome in order]
    return min(shapes, key=lambda s: (order.index(s.outcome), s.rank)) if shapes else None


def still_open(catalogue: Catalogue, fired: Fired, assessments: list[str]) -> dict[str, list[str]]:
    """After the whole-test shapes (`fired`: what they reported), the assessments each condition's shape must still
    be asked of: those where one of the tests its conditions belong to is not yet decided as a whole. By `derive`'s
    rule a test decided as a whole (not applicable, not evidenced) reads none of its conditions' shapes, so asking
    only these changes no status. Shape IRI → assessments; a shape asked of every assessment is left out."""
    decided: dict[str, set] = defaultdict(set)   # assessment → the tests decided as a whole on it
    for focus, iri in fired:
        shape = catalogue.by_iri.get(iri)
        if shape is not None and shape.outcome in WHOLE_ORDER:
            decided[focus].update(shape.tests)
    groups: dict[frozenset, list[str]] = defaultdict(list)   # the assessments with the same tests decided
    for a in assessments:
        groups[frozenset(decided.get(a, ()))].append(a)
    focus_of = {}
    for shape in catalogue.shapes:
        if shape.tests:
            continue
        tests = set(Plans.of(catalogue).bears_on[shape.iri])
        needed = [group for closed, group in groups.items() if not tests <= closed]
        if len(needed) < len(groups):
            focus_of[shape.iri] = sorted(a for group in needed for a in group)
    return focus_of
