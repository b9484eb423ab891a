"""Protégé's view, through the OWL API it is built on (Debian libowlapi-java): the release file and the Turtle
sources load with every module import resolved locally (through catalog-v001.xml, as Protégé does), and the
ontology is in the OWL 2 DL profile. tests/java/ProfileCheck.java is compiled and run in a temporary folder."""
import shutil
import subprocess
from pathlib import Path

import pytest

from sistercity_kg.paths import ONTOLOGY_DIR

JAVA_DIR = Path("/usr/share/java")
SOURCE = Path(__file__).parent / "java" / "ProfileCheck.java"
# the classpath that works with Debian's packages: the OWL API uber-jar and what it needs (not '/usr/share/java/*')
JARS = ["owlapi-distribution", "guava", "caffeine", "atinject-jsr330-api", "commons-rdf-api", "xz", "slf4j-api",
        "slf4j-nop", "commons-io", "commons-lang3", "jackson-core", "jackson-databind", "jackson-annotations",
        "hppcrt", "jsonld-java"]


def owlapi_classpath() -> str | None:
    jars = [JAVA_DIR / f"{name}.jar" for name in JARS]
    if not all(j.is_file() for j in jars):
        return None
    rdf4j = sorted(p for p in JAVA_DIR.glob("rdf4j-*.jar") if not any(c.isdigit() for c in p.stem.split("-")[-1][:1]))
    return ":".join(str(p) for p in jars + rdf4j)


@pytest.fixture(scope="module")
def profile_check(tmp_path_factory):
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("no JDK (javac): run `bash .ci/setup` (apt-get install default-jdk-headless)")
    cp = owlapi_classpath()
    if cp is None:
        pytest.skip(f"the OWL API jars are not in {JAVA_DIR}: run `bash .ci/setup` (apt-get install libowlapi-java)")
    out = tmp_path_factory.mktemp("owlapi")
    compiled = subprocess.run(["javac", "-d", str(out), "-cp", cp, str(SOURCE)], capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr

    def run(*args: str) -> tuple[int, dict[str, list[str]]]:
        result = subprocess.run(["java", "-cp", f"{cp}:{out}", "ProfileCheck", *args], capture_output=True,
                                text=True, timeout=300)
        assert "Exception in thread" not in result.stderr, result.stderr
        files: dict[str, list[str]] = {}
        current = None
        for line in result.stdout.splitlines():
            if line.startswith("FILE "):
                current = files.setdefault(line[5:], [])
            elif current is not None:
                current.append(line)
        return result.returncode, files

    return run


def _report(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line.startswith(("MISSING_IMPORT", "VIOLATION OWL_2_DL")))


def test_release_and_sources_are_owl2_dl_with_local_imports(profile_check):
    owl, ttl = str(ONTOLOGY_DIR / "sistercity-kg.owl"), str(ONTOLOGY_DIR / "sistercity-kg.ttl")
    code, files = profile_check("--catalog-only", owl, ttl)
    assert set(files) == {owl, ttl}
    for path, lines in files.items():
        assert not [l for l in lines if l.startswith("MISSING_IMPORT")], f"{path}: unresolved imports\n{_report(lines)}"
        assert "PROFILE OWL_2_DL inProfile=true violations=0" in lines, \
            f"{path} is not in the OWL 2 DL profile; the axioms that fail:\n{_report(lines)}"
        documents = [l.split()[2] for l in lines if l.startswith("DOCUMENT ")]
        assert documents and all(d.startswith("file:") for d in documents), f"{path}: read from the network"
    ttl_docs = [l for l in files[ttl] if l.startswith("DOCUMENT ")]
    assert len(ttl_docs) == 1 + len(list((ONTOLOGY_DIR / "modules").glob("*.ttl"))), "every module was imported"
    assert code == 0


def test_missing_imports_are_reported(profile_check, tmp_path):
    """An import that resolves nowhere (a closed loopback port, so no network is touched) fails the check."""
    lonely = tmp_path / "lonely.ttl"
    lonely.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                      "<urn:sckg:test> a owl:Ontology ; owl:imports <http://127.0.0.1:1/missing> .\n")
    code, files = profile_check("--catalog-only", str(lonely))
    assert code == 1
    assert any(l.startswith("MISSING_IMPORT http://127.0.0.1:1/missing") for l in files[str(lonely)])
