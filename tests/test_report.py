"""The dossier (sistercity-kg report): its facts, its matrix, its sources, the index, and the page in a browser."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from markupsafe import escape
from rdflib import URIRef

from sistercity_kg import report
from sistercity_kg.cli import main
from sistercity_kg.dataset import load
from sistercity_kg.namespaces import ID, SCKG
from sistercity_kg.render import Citations

from .cdp import Browser, chromium_path
from .conftest import FIXTURES, UPDATE_GOLDEN

HOME = Path(__file__).resolve().parent.parent
CASE = "bogor-kisarazu-2016"
SCREENSHOT = FIXTURES / "report" / "dossier-screenshot.png"


def esc(text: str) -> str:
    return str(escape(text))


@pytest.fixture(scope="module")
def kg():
    return load()   # its own graph: the report adds assessments as of today to it


@pytest.fixture(scope="module")
def run(kg):
    return report.prepare(kg, [CASE])


@pytest.fixture(scope="module")
def out(run, tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("report")
    monkeypatch_module.setattr(report, "prepare", lambda *a, **k: run)
    report.build_report(folder, [CASE])
    monkeypatch_module.undo()
    return folder


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def pages(out):
    return {lang: (out / f"{CASE}.{lang}.html").read_text("utf-8") for lang in ("en", "id")}


def case_yaml(name: str = CASE) -> dict:
    return yaml.safe_load((HOME / "data" / "cases" / f"{name}.yaml").read_text("utf-8"))


def row(page: str, tid: str, cid: str) -> str:
    m = re.search(rf'<tr id="cond-{re.escape(tid.replace("/", "--"))}-{re.escape(cid.replace("/", "--"))}">(.*?)</tr>',
                  page, re.S)
    assert m, f"no row for {tid} / {cid}"
    return m.group(1)


# ------------------------------------------------------------------------------------------------ files
def test_both_languages_and_the_index_are_written_and_linked(out, pages):
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"{CASE}.en.html", f"{CASE}.id.html", "index.en.html", "index.id.html", "index.html"])
    assert f'href="{CASE}.id.html"' in pages["en"] and f'href="{CASE}.en.html"' in pages["id"]
    assert 'href="index.en.html"' in pages["en"] and 'href="index.id.html"' in pages["id"]
    assert '<html lang="en">' in pages["en"] and '<html lang="id">' in pages["id"]
    index_en, index_id = (out / "index.en.html").read_text("utf-8"), (out / "index.id.html").read_text("utf-8")
    assert 'href="index.id.html"' in index_en and 'href="index.en.html"' in index_id
    assert f'href="{CASE}.en.html"' in index_en and f'href="{CASE}.id.html"' in index_id
    assert not list(out.glob(".*")), "a temporary file was left behind"


def test_pages_are_self_contained(out):
    for path in out.glob("*.html"):
        page = path.read_text("utf-8")
        assert "<script" not in page.lower(), path.name
        assert "<style>" in page
        # nothing that a browser would fetch: no external stylesheet, image, font or import
        assert not re.search(r'<link[^>]+rel="stylesheet"', page)
        assert not re.search(r'\ssrc="(?!data:)', page), path.name
        assert "@import" not in page and "url(http" not in page
        for link in re.findall(r"<link[^>]*>", page):
            assert 'href="data:' in link or 'rel="alternate"' in link, link


# ------------------------------------------------------------------------------------------------ the instrument
def test_dossier_holds_the_facts_of_the_case(kg, pages):
    data = case_yaml()
    for lang, page in pages.items():
        for d in data["designation"]:
            assert esc(d["name"]) in page, (lang, d["name"])
        assert "友好協定" in page
        for party in data["parties"]:
            assert esc(party["signatory"]["name"]) in page, party["signatory"]["name"]
        assert "18 November 2016" in page and "2016-11-18" in page
        assert esc(data["signed"]["place"]) in page
        for f in data["fields"]:
            label = next(str(o) for o in kg.layer("ontology").objects(ID[f"vocab/field/{f}"],
                                                                     URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
                         if o.language == lang)
            assert esc(label) in page, (lang, f, label)
        for witness in data["witnesses"]:
            assert esc(witness["post"]) in page
    assert "Embassy of the Republic of Indonesia in Tokyo" in pages["en"]
    assert "Kedutaan Besar Republik Indonesia (KBRI) Tokyo" in pages["id"]
    assert "Wali Kota Bogor" in pages["id"] and "Mayor of Bogor" in pages["en"]
    assert "bogor-kisarazu-2022.en.html" in pages["en"]   # renewed by


def test_timeline_is_drawn_by_matplotlib_and_lists_every_dated_event(pages):
    data = case_yaml()
    renewal = case_yaml("bogor-kisarazu-2022")
    for lang, page in pages.items():
        fig = re.search(r'<figure class="figure" id="timeline-figure">(.*?)</figure>', page, re.S).group(1)
        assert "<svg" in fig and "Matplotlib" in fig
        for event in data["events"] + renewal["events"]:
            assert esc(event["title"][lang]) in page, event["id"]
        assert "28 November 2022" in page   # the renewal's signature
    assert "GR 28/2018: in force" in pages["en"]


# ------------------------------------------------------------------------------------------------ the matrix
def test_matrix_has_every_test_and_condition_with_its_citation_on_both_dates(run, kg, pages):
    citations = Citations(kg.layer("legislation"))
    signing, today = run.signing[CASE], run.today[CASE]
    assert len(signing.tests) == len(today.tests) == 8
    for lang, page in pages.items():
        matrix = page[page.index('id="assessment-matrix"'):page.index('id="procedure"')]
        for tr, tt in zip(signing.tests, today.tests):
            assert tr.test.tid in matrix
            for c, ct in zip(tr.conditions, tt.conditions):
                cells = row(matrix, tr.test.tid, c.cid)
                assert f"<code>{c.cid}</code>" in cells
                for p in c.provisions:
                    assert esc(citations.cite([p], lang)) in cells, (c.cid, p)
                assert f"st-{c.status}" in cells and f"st-{ct.status}" in cells
                if c.grade:
                    assert f"grade-{c.grade}" in cells
    # the provision's text on demand: Indonesian text with the English gloss, in <details>
    cells = row(pages["en"], "uu-24-2000/perjanjian-internasional", "uu-24-2000/made-by-government-of-ri")
    assert "<details" in cells and "Pemerintah Republik Indonesia membuat perjanjian internasional" in cells
    assert "The Government of the Republic of Indonesia makes international agreements" in cells
    # PP 28/2018 Pasal 48 is visible: the 2016 instrument was signed before the regulation
    assert "Pasal 48" in pages["id"] and "Art. 48" in pages["en"]


def test_the_two_parties_sides_are_set_next_to_each_other(run, pages):
    """The Indonesian party and the instrument on one side, the partner under its own state's law on the other."""
    for lang, page in pages.items():
        sides = page[page.index('<div class="sides">'):page.index('id="instrument"')]
        own, partner = sides.split('class="side side-partner"')
        assert "side-indonesia" in own and "jp-local-autonomy-act/partner-capacity" not in own
        assert "pp-28-2018/ksdpl" in own and "vclt-1969/treaty" in own
        assert "jp-local-autonomy-act/partner-capacity" in partner and "pp-28-2018" not in partner
        assert ("Kisarazu City" if lang == "en" else "Kota Kisarazu") in partner
        assert "CLAIR" in partner and ("not listed" if lang == "en" else "tidak tercantum") in partner
    # the Japanese article's text on demand, with the gloss in the page's language
    cells = row(pages["id"], "jp-local-autonomy-act/partner-capacity", "jp-local-autonomy-act/head-represents")
    assert "普通地方公共団体の長は" in cells and "memimpin pemerintah daerah itu dan mewakilinya" in cells
    assert "unofficial" in row(pages["en"], "jp-local-autonomy-act/partner-capacity",
                               "jp-local-autonomy-act/head-represents")


def test_procedure_sets_duties_beside_the_record(pages):
    en = pages["en"]
    proc = en[en.index('id="procedure"'):en.index('id="doctrine"')]
    assert "Law 23/2014 Art. 154(1)(g)" in proc and "rec-no-record" in proc
    assert "Minister for Foreign Affairs" in proc or "Foreign Affairs" in proc
    assert "searched in" in proc


def test_doctrine_sets_the_thesis_beside_the_graph(pages):
    for lang, page in pages.items():
        doc = page[page.index('id="doctrine"'):page.index('id="diagram"')]
        for n in ("1", "2", "3"):
            assert re.search(rf"<strong>[^<]* {n}</strong>", doc)
        assert "vclt-1969/treaty" in doc and "UU No. 30 Tahun 2014" in doc
    assert "contested" in pages["en"] and "supported but mis-cited" in pages["en"]
    assert "dibantah" in pages["id"]


def test_bibliography_lists_every_source_with_url_and_grade(run, kg, pages):
    data = case_yaml()
    graph = run.graph
    wanted = {str(ID["source/" + s]) for s in data["sources"]}
    for tr in run.signing[CASE].tests:
        for c in tr.conditions:
            wanted |= set(c.sources)
    for lang, page in pages.items():
        bib = page[page.index('id="bibliography"'):]
        for iri in wanted:
            url = graph.value(URIRef(iri), SCKG.url)
            assert url is not None, iri
            assert esc(str(url)) in bib, (lang, iri)
        assert "grade-primary" in bib and "grade-secondary" in bib
        # every citation mark points at an entry of the list
        numbers = set(re.findall(r'href="#src-(\d+)"', page))
        entries = set(re.findall(r'<li id="src-(\d+)"', bib))
        assert numbers <= entries


def test_diagram(pages):
    fig = re.search(r'<figure class="figure diagram" id="diagram-figure" data-engine="(\w+)">(.*?)</figure>',
                    pages["en"], re.S)
    assert fig and "<svg" in fig.group(2)
    assert fig.group(1) == ("graphviz" if shutil.which("dot") else "matplotlib")
    for label in ("Bogor City", "Kisarazu City", "Indonesia", "Japan", "VCLT 1969 Art. 1"):
        assert label in fig.group(2), label


def test_diagram_without_graphviz_is_drawn_by_matplotlib(monkeypatch):
    hood = {"nodes": [{"id": "n0", "kind": "agreement", "label": "a\nletter of intent"},
                      {"id": "n1", "kind": "party", "label": "Bogor City"},
                      {"id": "n2", "kind": "state", "label": "Indonesia"},
                      {"id": "n3", "kind": "provision", "label": "VCLT 1969 Art. 1", "status": "violated",
                       "cluster": "VCLT"}],
            "edges": [("n0", "n1", "party", "party"), ("n1", "n2", "state", "state"), ("n0", "n3", "", "violated")]}
    monkeypatch.setattr(report.shutil, "which", lambda name: None)
    svg, engine = report.diagram_svg(hood, "t")
    assert engine == "matplotlib" and svg.startswith("<svg") and "Bogor City" in svg
    assert "digraph" in report.diagram_dot(hood) and "cluster_0" in report.diagram_dot(hood)


# ------------------------------------------------------------------------------------------------ the index
def test_index_lists_every_register_case(out, run):
    ids = [yaml.safe_load(p.read_text("utf-8"))["id"] for p in sorted((HOME / "data" / "cases").glob("*.yaml"))]
    assert ids
    tests = [t.tid for t in run.catalogue.tests]
    for lang in ("en", "id"):
        index = (out / f"index.{lang}.html").read_text("utf-8")
        for aid in ids:
            m = re.search(rf'<tr id="row-{re.escape(aid)}">(.*?)</tr>', index, re.S)
            assert m, (lang, aid)
            answers = {tr.test.tid: tr.answer for tr in run.signing[aid].tests}
            cells = re.findall(r'<td class="cell" title="([^"]+)"', m.group(1))
            assert len(cells) == len(tests)
            for tid, cell in zip(tests, cells):
                assert cell.startswith(tid + ":"), cell
                assert report.ANSWER_WORDS[lang][answers[tid]] in cell
        for tid in tests:
            assert tid in index


# ------------------------------------------------------------------------------------------------ writes, CLI
def test_nothing_is_written_when_rendering_fails(run, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "prepare", lambda *a, **k: run)

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(report, "index_pages", broken)
    target = tmp_path / "site"
    target.mkdir()
    (target / f"{CASE}.en.html").write_text("old")
    with pytest.raises(RuntimeError):
        report.build_report(target, [CASE])
    assert sorted(p.name for p in target.iterdir()) == [f"{CASE}.en.html"]
    assert (target / f"{CASE}.en.html").read_text() == "old"


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    import os

    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError):
        report.write_files(tmp_path, {"a.html": b"A", "b.html": b"B", "c.html": b"C"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]


def test_cli_report(run, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "prepare", lambda *a, **k: run)
    result = CliRunner().invoke(main, ["report", CASE, "--out", str(tmp_path / "r"), "--lang", "id"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / f"{CASE}.id.html").exists() and (tmp_path / "r" / f"{CASE}.en.html").exists()
    assert (tmp_path / "r" / "index.html").read_bytes() == (tmp_path / "r" / "index.id.html").read_bytes()
    assert "berkas ditulis" in result.output


def test_cli_report_rejects_an_unknown_id(tmp_path):
    result = CliRunner().invoke(main, ["report", "no-such-agreement", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "unknown agreement id" in result.output
    assert not (tmp_path / "r").exists()


def test_templates_are_package_data():
    text = (HOME / "pyproject.toml").read_text("utf-8")
    assert 'sistercity_kg = ["templates/*"]' in text
    templates = HOME / "sistercity_kg" / "templates"
    assert {"base.html.j2", "dossier.html.j2", "index.html.j2", "docs.html.j2", "style.css"} <= \
        {p.name for p in templates.iterdir()}


# ------------------------------------------------------------------------------------------------ in a browser
@pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed (CI installs it: .ci/setup)")
def test_dossier_in_headless_chromium(out):
    from PIL import Image

    with Browser() as browser:
        for name in (f"{CASE}.en.html", f"{CASE}.id.html", "index.en.html"):
            page = browser.open((out / name).as_uri(), width=1280, height=1100)
            assert page.console_errors == [], (name, page.console_errors)
            assert page.requests, name
            for url in page.requests:
                assert url.startswith(("file://", "data:")), (name, url)
            if not name.startswith(CASE):
                continue
            box = page.evaluate("(() => { const r = document.querySelector('#assessment-matrix')"
                                ".getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()")
            assert box[2] > 600 and box[3] > 400, box
            assert page.evaluate("document.querySelectorAll('#assessment-matrix details.test-block').length") == 8
            assert page.evaluate("document.querySelector('#timeline-figure svg').getBoundingClientRect().height") > 100
            assert page.evaluate("document.querySelector('#diagram-figure svg').getBoundingClientRect().height") > 100
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280   # no sideways scrolling
            shot = page.screenshot(clip={"x": box[0], "y": box[1], "width": box[2], "height": min(box[3], 1400)})
            img = Image.open(io.BytesIO(shot)).convert("RGB")
            assert img.size[0] >= 600 and img.size[1] >= 400
            colours = img.getcolors(maxcolors=1 << 20)
            assert len(colours) > 50, "the matrix screenshot is (nearly) blank"
            if name.endswith(".en.html"):
                top = page.screenshot()   # the viewport: masthead, contents, the summary of the matrix
                assert len(Image.open(io.BytesIO(top)).getcolors(maxcolors=1 << 20)) > 50
                if UPDATE_GOLDEN or not SCREENSHOT.exists():
                    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                    SCREENSHOT.write_bytes(top)


# ------------------------------------------------------------------------------------------------ issue 11
def test_dossier_shows_the_relation_on_the_signing_date_where_no_framework_asks(run):
    """Surabaya–Seattle (1992): no framework of 1992 asks about diplomatic relations, yet the dossier gives the
    interval of Indonesia's relations with the United States that covers the signing date, with its source."""
    instrument = report.Dossier(run, "surabaya-seattle-1992").instrument("en")
    relations = instrument["signing"]["relations"]
    assert [r["state"] for r in relations] == ["United States of America"]
    assert [iv["text"] for iv in relations[0]["intervals"]] == ["established 1949-12-28"]
    assert relations[0]["intervals"][0]["sources"]
    matrix_ids = {c.cid for tr in run.signing["surabaya-seattle-1992"].tests for c in tr.conditions
                  if c.status != "not-applicable"}
    assert not {cid for cid in matrix_ids if cid.endswith("/diplomatic-relations")}


def test_index_draws_the_register_questions_in_both_languages(out):
    for lang, title in (("en", "Agreements per year of signature"), ("id", "Perjanjian per tahun penandatanganan")):
        index = (out / f"index.{lang}.html").read_text("utf-8")
        assert title in index
        for name in ("r7-agreements-per-year", "r8-agreements-per-province", "r9-agreements-without-relations",
                     "r10-approvals-before-after-signature", "r11-test-answers-across-register"):
            assert f"sistercity-kg query {name}" in index
        assert index.count('<figure class="chart"><svg') >= 4
