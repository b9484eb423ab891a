"""The register seen as a researcher asks of it: the stored queries r7–r11 (and r2), run on the report's query
backend and drawn by matplotlib for the index page, in both languages. Each chart names the stored query it
draws, so that a reader can ask the same question of the graph (`sistercity-kg query r7 …`)."""
from __future__ import annotations

import io
import re
from collections import defaultdict

from .queries import find_query, with_params
from .render import ANSWER_WORDS

LEVELS = ("first", "second", "national", "unknown")
LEVEL_COLOURS = {"first": "#1f2a44", "second": "#4a6fa5", "national": "#8a5a00", "unknown": "#b8c2d1"}
ANSWERS = ("yes", "no", "undetermined", "not-applicable")
ANSWER_COLOURS = {"yes": "#2e7d32", "no": "#b3261e", "undetermined": "#b07d00", "not-applicable": "#b8c2d1"}
WHEN = ("before", "same day", "after", "undated")
WHEN_COLOURS = {"before": "#2e7d32", "same day": "#4a6fa5", "after": "#b3261e", "undated": "#b8c2d1"}

WORDS = {
    "en": {
        "per_year": "Agreements per year of signature, by level of the foreign party",
        "per_country": "Agreements per foreign country, by level of the foreign party",
        "per_province": "Agreements per Indonesian province (its own and its regencies' and cities')",
        "relations": "Agreements signed while relations with the partner's state were suspended, absent or not recorded",
        "approvals": "Recorded DPRD and central approvals, before or after the signature",
        "answers": "Each test's answers across the register (as of each signature)",
        "agreements": "agreements", "none": "No agreement of the register is in this case.",
        "query": "stored query", "unknown": "unknown",
        "levels": {"first": "first level", "second": "second level", "national": "national", "unknown": "level unknown"},
        "answer_words": ANSWER_WORDS["en"],
        "when": {"before": "before", "same day": "same day", "after": "after", "undated": "undated"},
        "steps": {"dprd-approval": "DPRD approval", "central-approval": "central approval"},
        "status": {"suspended": "suspended", "none": "none", "not-a-state": "not a state",
                   "not-recorded": "not recorded (not evidenced)"},
        "cols": ["agreement", "signed", "state", "relation on that day"],
    },
    "id": {
        "per_year": "Perjanjian per tahun penandatanganan, menurut tingkat pihak asing",
        "per_country": "Perjanjian per negara asing, menurut tingkat pihak asing",
        "per_province": "Perjanjian per provinsi di Indonesia (milik provinsi dan kabupaten/kotanya)",
        "relations": "Perjanjian yang ditandatangani ketika hubungan dengan negara mitra dibekukan, tidak ada, atau tidak tercatat",
        "approvals": "Persetujuan DPRD dan Pemerintah Pusat yang tercatat, sebelum atau sesudah penandatanganan",
        "answers": "Jawaban setiap uji di seluruh register (per tanggal penandatanganan)",
        "agreements": "perjanjian", "none": "Tidak ada perjanjian register dalam keadaan ini.",
        "query": "kueri tersimpan", "unknown": "tidak diketahui",
        "levels": {"first": "tingkat pertama", "second": "tingkat kedua", "national": "nasional",
                   "unknown": "tingkat tidak diketahui"},
        "answer_words": ANSWER_WORDS["id"],
        "when": {"before": "sebelum", "same day": "hari yang sama", "after": "sesudah", "undated": "tanpa tanggal"},
        "steps": {"dprd-approval": "persetujuan DPRD", "central-approval": "persetujuan Pemerintah Pusat"},
        "status": {"suspended": "dibekukan", "none": "tidak ada", "not-a-state": "bukan negara",
                   "not-recorded": "tidak tercatat (belum terbukti)"},
        "cols": ["perjanjian", "ditandatangani", "negara", "hubungan pada hari itu"],
    },
}


def run_query(backend, name: str, lang: str) -> list[dict]:
    """A stored query's rows as dicts of strings, on any backend with `select` (embedded or remote)."""
    q = find_query(name)
    text = with_params(q, {"lang": [lang]}) if "lang" in q.parameters else q.text
    variables, rows = backend.select(text)
    return [{v: (None if t is None else str(t)) for v, t in zip(variables, row)} for row in rows]


def _svg(fig, salt: str) -> str:
    """The figure as an inline SVG element: no prolog, DOCTYPE or comments, no fixed size (it scales)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, transparent=True, bbox_inches="tight", pad_inches=0.08)
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", buf.getvalue(), flags=re.S)
    m = re.search(r"<svg\b[^>]*>", svg)
    if m:
        svg = svg[: m.start()] + re.sub(r'\s(width|height)="[^"]*"', "", m.group(0)) + svg[m.end():]
    return svg.strip()


def _stacked(groups: dict[str, dict[str, int]], keys, colours, names, salt: str, horizontal: bool,
             xlabel: str) -> str:
    """A stacked bar chart: one bar per group (in the order given), one segment per key."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    labels = list(groups)
    rc = {"svg.hashsalt": salt, "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}
    with matplotlib.rc_context(rc):
        if horizontal:
            fig = Figure(figsize=(9, 0.8 + 0.28 * max(len(labels), 2)), dpi=100)
        else:
            fig = Figure(figsize=(max(6, 0.32 * len(labels) + 2), 3.2), dpi=100)
        ax = fig.add_subplot()
        base = [0] * len(labels)
        positions = list(range(len(labels)))
        for key in keys:
            values = [groups[g].get(key, 0) for g in labels]
            if not any(values):
                continue
            if horizontal:
                ax.barh(positions, values, left=base, color=colours[key], label=names[key], height=0.7)
            else:
                ax.bar(positions, values, bottom=base, color=colours[key], label=names[key], width=0.75)
            base = [b + v for b, v in zip(base, values)]
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_xlabel(xlabel)
            ax.xaxis.get_major_locator().set_params(integer=True)
        else:
            ax.set_xticks(positions, labels, rotation=90)
            ax.set_ylabel(xlabel)
            ax.yaxis.get_major_locator().set_params(integer=True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        # beside the bars, never over them
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        return _svg(fig, salt)


def _year_key(year: str) -> tuple:
    return (1, year) if not re.fullmatch(r"\d{4}", year or "") else (0, year)


def register_charts(backend, lang: str) -> list[dict]:
    """The charts (and the two tables) of the index page: title, the stored query, and an SVG or rows."""
    w = WORDS[lang]
    out = []
    per_year: dict[str, dict[str, int]] = defaultdict(dict)
    per_country: dict[str, dict[str, int]] = defaultdict(dict)
    for r in run_query(backend, "r7-agreements-per-year", lang):
        year = r["year"] if r["year"] != "unknown" else w["unknown"]
        n = int(r["agreements"])
        per_year[year][r["level"]] = per_year[year].get(r["level"], 0) + n
        per_country[r["country"]][r["level"]] = per_country[r["country"]].get(r["level"], 0) + n
    years = {y: per_year[y] for y in sorted(per_year, key=_year_key)}
    countries = {c: per_country[c] for c in sorted(per_country, key=lambda c: (-sum(per_country[c].values()), c))}
    out.append({"id": "per-year", "title": w["per_year"], "query": "r7-agreements-per-year",
                "svg": _stacked(years, LEVELS, LEVEL_COLOURS, w["levels"], f"r7-{lang}", False, w["agreements"])
                if years else None})
    out.append({"id": "per-country", "title": w["per_country"], "query": "r7-agreements-per-year",
                "svg": _stacked(countries, LEVELS, LEVEL_COLOURS, w["levels"], f"r7c-{lang}", True, w["agreements"])
                if countries else None})
    provinces: dict[str, dict[str, int]] = defaultdict(dict)
    for r in run_query(backend, "r8-agreements-per-province", lang):
        provinces[r["province"]][r["level"]] = provinces[r["province"]].get(r["level"], 0) + int(r["agreements"])
    provinces = {p: provinces[p] for p in sorted(provinces, key=lambda p: (-sum(provinces[p].values()), p))}
    out.append({"id": "per-province", "title": w["per_province"], "query": "r8-agreements-per-province",
                "svg": _stacked(provinces, LEVELS, LEVEL_COLOURS, w["levels"], f"r8-{lang}", True, w["agreements"])
                if provinces else None})
    rows = run_query(backend, "r9-agreements-without-relations", lang)
    out.append({"id": "relations", "title": w["relations"], "query": "r9-agreements-without-relations",
                "columns": w["cols"],
                "rows": [[r["agreementId"], r["signed"], r["country"],
                          w["status"].get(r["status"], r["status"]) + (f" — {r['interval']}" if r["interval"] else "")]
                         for r in rows]})
    steps: dict[str, dict[str, int]] = defaultdict(dict)
    for r in run_query(backend, "r10-approvals-before-after-signature", lang):
        name = w["steps"].get(r["step"], r["step"])
        steps[name][r["when"]] = steps[name].get(r["when"], 0) + 1
    out.append({"id": "approvals", "title": w["approvals"], "query": "r10-approvals-before-after-signature",
                "svg": _stacked(dict(sorted(steps.items())), WHEN, WHEN_COLOURS, w["when"], f"r10-{lang}", True,
                                w["agreements"]) if steps else None})
    tests: dict[str, dict[str, int]] = defaultdict(dict)
    for r in run_query(backend, "r11-test-answers-across-register", lang):
        tests[r["test"]][r["answer"]] = int(r["agreements"])
    out.append({"id": "answers", "title": w["answers"], "query": "r11-test-answers-across-register",
                "svg": _stacked(dict(sorted(tests.items())), ANSWERS, ANSWER_COLOURS, w["answer_words"],
                                f"r11-{lang}", True, w["agreements"]) if tests else None})
    for chart in out:
        chart.setdefault("svg", None)
        chart.setdefault("rows", None)
        chart.setdefault("columns", [])
        chart["none"] = w["none"]
        chart["query_word"] = w["query"]
    return out
