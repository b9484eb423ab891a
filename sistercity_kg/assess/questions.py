"""The questions: an agreement as of a date, judged by the law of its signature date (as precise as its source)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..errors import InputError
from ..namespaces import ID, SCKG


@dataclass
class Question:
    """One assessment: an agreement as of a date, judged by the law of its signature date."""

    iri: URIRef
    agreement: URIRef
    aid: str
    as_of: dt.date
    rule: str
    judged_on: dt.date | None
    precision: str = "day"            # of the signature date: day | month | year (judged at its earliest day)

    @property
    def signed_text(self) -> str | None:
        return date_text(self.judged_on, self.precision) if self.judged_on else None


def date_text(d: dt.date, precision: str = "day") -> str:
    """A date as precise as its source: 2016-11-18, or 2016-11 for a month, 2016 for a year (never the 1st)."""
    iso = d.isoformat()
    return iso[:4] if precision == "year" else iso[:7] if precision == "month" else iso


def assessment_iri(aid: str, as_of: dt.date) -> URIRef:
    return ID[f"assessment/{aid}/{as_of.isoformat()}"]


def parse_as_of(value: str | None) -> str | dt.date:
    """'signing' (default), 'today', or a date YYYY-MM-DD that exists."""
    if value in (None, "", "signing"):
        return "signing"
    if value == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(None, None, f"--as-of {value!r}: expected signing, today or a date YYYY-MM-DD that exists") from None


def questions(signed: dict[str, dt.date | None], agreement_ids: dict[str, URIRef], as_of,
              precision: dict[str, str] | None = None) -> list[Question]:
    """One question per agreement: as of its signature (or today when it has none), or as of the date given."""
    out = []
    today = dt.date.today()
    for aid, node in agreement_ids.items():
        d = signed.get(aid)
        if as_of == "signing":
            date, rule = (d or today), ("signing" if d else "today")
        else:
            date, rule = as_of, ("today" if as_of == today else "date")
        out.append(Question(assessment_iri(aid, date), node, aid, date, rule, d, (precision or {}).get(aid, "day")))
    return out


def question_triples(qs: list[Question]) -> list[tuple]:
    triples = []
    for q in qs:
        triples += [(q.iri, RDF.type, SCKG.Assessment), (q.iri, SCKG.assessedAgreement, q.agreement),
                    (q.iri, SCKG.asOf, Literal(q.as_of.isoformat(), datatype=XSD.date))]
        if q.judged_on:
            triples.append((q.iri, SCKG.judgedOn, Literal(q.judged_on.isoformat(), datatype=XSD.date)))
    return triples
