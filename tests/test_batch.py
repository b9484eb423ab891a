"""Registers of case files judged as they are read (sistercity_kg/batch.py): the same answers as judging the
merged graph, streamed NDJSON, and bad input that stops the run cleanly."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sistercity_kg import batch, dataset
from sistercity_kg.assess import assess
from sistercity_kg.dataset import expand_case_paths, load
from sistercity_kg.render import Citations, as_json

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME / "bench"))
from generate import generate  # noqa: E402

N = 60


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """60 synthetic case files, a third of them renewing or implementing the agreement of another file."""
    out = tmp_path_factory.mktemp("register")
    generate(N, out, seed=3, links=0.3)
    return out


@pytest.fixture(scope="module")
def merged(folder):
    """The reference: every file read into one graph, every agreement judged together (`assess`)."""
    files = expand_case_paths([folder])
    kg = load(case_files=files)
    results = assess(kg, [kg.case_ids[str(f)] for f in files], write=False, with_sources=True)
    return results, Citations(kg.layer("legislation"))


def _json(results, citations, lang):
    return {a.question.aid: as_json(a, citations, lang) for a in results}


def test_generated_register_has_links(folder):
    linking = [p for p in folder.glob("*.yaml") if batch.LINK_KEYS.search(p.read_bytes())]
    assert 10 <= len(linking) < N


def test_batch_gives_the_merged_graphs_answers(folder, merged, monkeypatch):
    """In one process, slice after slice: each slice's files carry their inline sources (and their grades), even
    where an earlier slice declared the same source."""
    results, citations = merged
    monkeypatch.setattr(batch, "FIRST_SLICE", 4)
    monkeypatch.setattr(batch, "SLICE", 12)
    streamed = batch.assessments(expand_case_paths([folder]), with_sources=True)
    for lang in ("en", "id"):
        assert _json(streamed, citations, lang) == _json(results, citations, lang)


def test_worker_processes_give_the_same_answers(folder, merged, monkeypatch):
    results, citations = merged
    monkeypatch.setattr(dataset, "PARALLEL_MIN", 10)
    monkeypatch.setattr(batch, "FIRST_SLICE", 4)
    monkeypatch.setattr(batch, "SLICE", 12)
    run = batch.Run(expand_case_paths([folder]), with_sources=True, render=None)
    parallel = [r.text for r in run.results()]
    assert len(parallel) == N
    assert _json(parallel, citations, "en") == _json(results, citations, "en")


def test_first_agreement_comes_before_the_last_file_is_read(folder, monkeypatch):
    read = []
    original = dataset._read_slice

    def counting(paths):
        read.extend(paths)
        return original(paths)

    monkeypatch.setattr(dataset, "_read_slice", counting)
    monkeypatch.setattr(batch, "FIRST_SLICE", 5)
    monkeypatch.setattr(batch, "SLICE", 20)
    results = batch.Run(expand_case_paths([folder]), render=None).results()
    first = next(results)
    assert first.aid.startswith("synthetic-")
    assert len(read) < N   # judged and given before the last file was read
    assert len(list(results)) == N - 1 and len(read) == N


def cli(*args):
    """The command in this process (its exit status, stdout and stderr apart)."""
    from click.testing import CliRunner

    from sistercity_kg.cli import main

    result = CliRunner().invoke(main, list(args))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def test_json_array_is_in_file_order_ndjson_puts_linked_ones_last(folder):
    array = json.loads(cli("assess", "--case", str(folder), "--format", "json").stdout)
    assert [a["id"] for a in array] == sorted(p.stem for p in folder.glob("*.yaml"))
    lines = cli("assess", "--case", str(folder), "--format", "ndjson").stdout.splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert sorted(ids) == [a["id"] for a in array] and ids != [a["id"] for a in array]
    linked = batch.Run(expand_case_paths([folder]))
    named = set()
    for p in folder.glob("*.yaml"):
        text = p.read_text()
        for key in ("renews: ", "implements: "):
            if key in text:
                named |= {p.stem, text.split(key, 1)[1].split()[0]}
    assert set(ids[-len(named):]) == named and not set(ids[:-len(named)]) & named
    assert linked.count == N


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    """70 good files, then a bad one (an impossible date) among the last."""
    out = tmp_path_factory.mktemp("bad")
    generate(71, out, seed=5)
    last = out / "synthetic-000070.yaml"
    last.write_text(last.read_text().replace("signed: {date: ", "signed: {date: 2019-02-30, was: ", 1)
                    .replace(", was: ", ", place2: "), encoding="utf-8")
    return out


def test_ndjson_stops_at_bad_input_after_whole_lines(bad_folder):
    done = cli("assess", "--case", str(bad_folder), "--format", "ndjson")
    assert done.returncode == 2
    assert "synthetic-000070.yaml" in done.stderr and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert 0 < len(lines) < 71
    assert all(json.loads(line)["id"].startswith("synthetic-") for line in lines)   # whole objects only


def test_other_formats_write_nothing_on_bad_input(bad_folder):
    # the JSON array, the summary and the checklists are written from the same spool, once every file is read
    done = cli("assess", "--case", str(bad_folder), "--format", "json")
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "synthetic-000070.yaml" in done.stderr


def test_link_to_no_agreement_is_bad_input(tmp_path):
    generate(3, tmp_path, seed=9)
    f = tmp_path / "synthetic-000001.yaml"
    f.write_text(f.read_text().replace("\nsigned:", "\nrenews: no-such-agreement\nsigned:", 1), encoding="utf-8")
    done = cli("assess", "--case", str(tmp_path), "--format", "summary")
    assert done.returncode == 2 and done.stdout == ""
    assert "synthetic-000001.yaml:" in done.stderr and "no-such-agreement" in done.stderr


def test_a_closed_pipe_stops_quietly(folder):
    proc = subprocess.Popen([sys.executable, "-m", "sistercity_kg", "assess", "--case", str(folder), "--format",
                             "ndjson"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=HOME)
    first = proc.stdout.readline()
    proc.stdout.close()
    assert json.loads(first)["id"].startswith("synthetic-")
    assert proc.wait(timeout=60) == 141
    assert proc.stderr.read() == b""


def test_register_as_case_files_gives_the_registers_answers(kg):
    """data/cases given as case files, judged file by file, against the register judged in one graph: the same
    statuses, messages, articles, grades and in-force readings for all 104 agreements."""
    files = expand_case_paths([HOME / "data" / "cases"])
    streamed = {a.question.aid: a for a in batch.assessments(files)}
    whole = {a.question.aid: a for a in assess(kg, write=False)}
    assert sorted(streamed) == sorted(whole) and len(whole) == len(files)

    def key(a):
        return (a.in_force, a.in_force_reason, a.lawful, a.notes, [
            (tr.test.tid, tr.answer, [(c.cid, c.status, c.provisions, c.messages, c.grade) for c in tr.conditions])
            for tr in a.tests])

    assert [key(streamed[i]) for i in sorted(whole)] == [key(whole[i]) for i in sorted(whole)]
