"""The results: a condition's status, a test's answer and an assessment, derived from the shapes that reported by
one rule for every engine, with a stated precedence where shapes agree."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .catalogue import Catalogue, Condition, Shape, Test, in_statute_order
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
    in. Which shape decides depends only on which of the test's (or the condition's) shapes reported: that choice
    is worked out once per set of shapes (`_decider`), and filled with each assessment's messages."""
    plans = _plans(catalogue)
    whole: dict[str, list[str]] = defaultdict(list)   # test IRI → its whole-test shapes that reported
    own: dict[str, list[str]] = defaultdict(list)     # condition IRI → its shapes that reported
    for iri in fired:
        shape = catalogue.by_iri.get(iri)
        if shape is None:
            continue
        for t in shape.tests:
            whole[t].append(iri)
        for c in shape.conditions:
            own[c].append(iri)
    results = []
    for test in catalogue.tests:
        over = _decider(catalogue, plans, test.iri, whole.get(test.iri), WHOLE_ORDER)
        conditions = []
        for cond in plans[test.iri]:
            decided = over or _decider(catalogue, plans, cond.iri, own.get(cond.iri), OWN_ORDER)
            status, provisions = _row(plans, cond, decided)
            conditions.append(ConditionResult(cond.iri, cond.cid, status, list(provisions),
                                              fired[decided.iri] if decided else cond.satisfied,
                                              shape=decided.iri if decided else None, labels=cond.labels))
        statuses = {c.status for c in conditions}
        if (over is not None and over.outcome == "not-applicable") or statuses == {"not-applicable"}:
            answer = "not-applicable"
        elif "violated" in statuses:
            answer = "no"
        elif "not-evidenced" in statuses:
            answer = "undetermined"
        else:
            answer = "yes"
        results.append(TestResult(test, answer, conditions))
    return results


def _plans(catalogue: Catalogue) -> dict:
    """The choices already worked out for this catalogue (kept on it: the same shapes, the same choices)."""
    plans = catalogue.__dict__.get("_plans")
    if plans is None:
        plans = catalogue.__dict__["_plans"] = {t.iri: [catalogue.conditions[c] for c in t.conditions]
                                                 for t in catalogue.tests}
    return plans


#: The statuses that decide, in order: a test's own shapes (a whole test is decided only by these), a condition's.
WHOLE_ORDER = ("not-applicable", "not-evidenced")
OWN_ORDER = ("not-applicable", "violated", "not-evidenced", "satisfied")


def _decider(catalogue: Catalogue, plans: dict, owner: str, reported: list[str] | None,
             order: tuple[str, ...]) -> Shape | None:
    """Of the shapes of a test (or a condition) that reported, the one that decides: the first status in `order`
    that one of them gives, and of the shapes that give it, the one of lowest rank; None when none reported."""
    if not reported:
        return None
    key = (owner, order, frozenset(reported))
    if key not in plans:
        shapes = [s for s in map(catalogue.by_iri.__getitem__, reported) if s.outcome in order]
        plans[key] = min(shapes, key=lambda s: (order.index(s.outcome), s.rank)) if shapes else None
    return plans[key]


def _row(plans: dict, cond: Condition, decided: Shape | None) -> tuple[str, tuple]:
    """A condition's status and the provisions it cites, decided by `decided` (None: satisfied, no shape reported)."""
    key = (cond.iri, decided.iri if decided else None)
    if key not in plans:
        if decided is None:
            plans[key] = ("satisfied", tuple(in_statute_order(cond.provisions)))
        else:
            plans[key] = (decided.outcome, tuple(in_statute_order(set(cond.provisions) | set(decided.provisions))))
    return plans[key]
