"""Data-quality validation: the shapes of ontology/shapes/data-quality.ttl over the graph or given files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from . import paths
from .errors import InputError
from .intake.turtle import check_declared, declared_terms, parse_turtle
from .namespaces import SH, bind_prefixes

DATA_QUALITY_SHAPES = "data-quality.ttl"


@dataclass
class Violation:
    focus: str
    path: str | None
    shape: str
    severity: str
    message: str

    def as_row(self) -> tuple:
        return (self.severity, self.focus, self.path or "", self.shape, self.message)


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    graph: Graph


def data_quality_shapes(home: Path | None = None) -> Graph:
    return parse_turtle(Path(home or paths.HOME) / "ontology" / "shapes" / DATA_QUALITY_SHAPES)


def _message(report: Graph, result, lang: str) -> str:
    best = None
    for m in report.objects(result, SH.resultMessage):
        if isinstance(m, Literal) and m.language == lang:
            return str(m)
        best = best or str(m)
    return best or ""


def read_report(report: Graph, lang: str = "en") -> list[Violation]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        def one(p):
            v = report.value(result, p)
            return str(v) if v is not None else None
        shape = report.value(result, SH.sourceShape)
        if isinstance(shape, BNode):  # an anonymous property shape: named by its path, stable across runs
            shape = f"[{report.value(shape, SH.path)}]"
        out.append(Violation(one(SH.focusNode), one(SH.resultPath), str(shape or ""),
                             one(SH.resultSeverity).rsplit("#", 1)[-1], _message(report, result, lang)))
    return sorted(out, key=lambda v: v.as_row())


def validate_graph(data: Graph, shapes: Graph, lang: str = "en") -> ValidationReport:
    import pyshacl

    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                           allow_warnings=True)
    bind_prefixes(report)
    return ValidationReport(bool(conforms), read_report(report, lang), report)


def graph_of_files(files: list[Path]) -> Graph:
    """The whole graph with the given files in it: case files through the intake (with the register, which they
    may refer to), Turtle files as they are, checked for undeclared terms."""
    from .dataset import load

    yaml_files = [Path(f) for f in files if Path(f).suffix in (".yaml", ".yml")]
    kg = load(case_files=yaml_files)
    declared = declared_terms(kg.layer("ontology"))
    union = kg.union()
    for f in files:
        f = Path(f)
        if f.suffix in (".yaml", ".yml"):
            continue
        if not f.exists():
            raise InputError(f, None, "no such file")
        part = parse_turtle(f)
        check_declared(f, part, declared)
        for t in part:
            union.add(t)
    return union
