"""Bad input stops with the file, the line and what was expected — exit status 2, one line, no traceback."""
import subprocess
import sys

import pytest

from sistercity_kg.dataset import load
from sistercity_kg.errors import InputError
from sistercity_kg.intake.turtle import check_declared, declared_terms, parse_turtle
from sistercity_kg.dataset import load_ontology
from rdflib import Graph

from .conftest import FIXTURES

INPUT = FIXTURES / "input"


def test_malformed_turtle_names_file_and_line():
    with pytest.raises(InputError) as err:
        parse_turtle(INPUT / "malformed.ttl")
    assert err.value.file.endswith("malformed.ttl")
    assert err.value.line == 7
    assert "malformed Turtle" in err.value.message


def test_undeclared_term_names_file_line_and_term():
    onto = load_ontology(Graph())
    path = INPUT / "undeclared-term.ttl"
    with pytest.raises(InputError) as err:
        check_declared(path, parse_turtle(path), declared_terms(onto))
    assert err.value.line == 9
    assert "sckg:signedOnn" in err.value.message


CASES = [
    ("case-unknown-key.yaml", 4, "unknown key 'signd'"),
    ("case-bad-date.yaml", 6, "no such day"),
    ("case-one-party.yaml", 6, "at least two parties"),
    ("case-unknown-country.yaml", 11, "unknown country code 'XX'"),
    ("case-unknown-field.yaml", 14, "unknown field 'piracy'"),
    ("case-bad-id.yaml", 1, "[a-z0-9-]+"),
    ("case-malformed.yaml", 5, "malformed YAML"),
    # the partner's side: register entries, the partner council's step and fact
    ("case-register-unknown.yaml", 12, "register 'jetro' is not one of: clair"),
    ("case-register-listed-not-boolean.yaml", 13, "listed must be true or false"),
    ("case-register-unlisted-with-date.yaml", 14, "not listed has no registration date"),
    ("case-partner-fact-not-boolean.yaml", 13, "partner-council-matter: value must be true or false"),
    ("case-partner-step-dated-no-record.yaml", 14, "partner-council-approval: a step with no record has no date"),
]


@pytest.mark.parametrize("name,line,text", CASES, ids=[c[0] for c in CASES])
def test_bad_case_file_is_rejected_with_its_line(name, line, text):
    with pytest.raises(InputError) as err:
        load(case_files=[INPUT / name], include_register=False)
    assert err.value.file.endswith(name)
    assert err.value.line == line, str(err.value)
    assert text in err.value.message


@pytest.mark.parametrize("name", ["case-bad-date.yaml", "undeclared-term.ttl", "malformed.ttl"])
def test_cli_reports_one_line_and_exits_2(name):
    proc = subprocess.run([sys.executable, "-m", "sistercity_kg", "validate", str(INPUT / name)],
                          capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert name in lines[0] and "Traceback" not in proc.stderr
