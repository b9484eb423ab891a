"""The words of the answers, in English and Indonesian: the sentence templates of each question and the words
around them. Every fact that fills them comes from the graph."""
from __future__ import annotations

from ..render import ANSWER_WORDS, STATUS_WORDS, UNMET_WORDS

#: Words a name of the instrument uses for a twin or sister tie (PP 28/2018 Pasal 24 huruf a–b: "kembar/bersaudara"),
#: and for a friendship, in the languages the register's designations are in. Matched case-insensitively.
TWIN_WORDS = ("kembar", "bersaudara", "twin", "sister", "姉妹")
FRIENDSHIP_WORDS = ("persahabatan", "friendship", "友好")

T = {
    "en": {
        # a condition's status, worded for a lawfulness test and for a classification test (or a test of unknown kind)
        "status": STATUS_WORDS["en"],
        "status_class": {**STATUS_WORDS["en"], "satisfied": "met", "violated": UNMET_WORDS["en"]},
        "answer": ANSWER_WORDS["en"],
        "record": {"done": "done", "not-done": "not done", "no-record": "searched for, no record found",
                   "absent": "nothing recorded"},
        "aspect": {"designation": "Named", "kind": "Judged as", "party": "Parties", "signatory": "Signed by",
                   "signed": "Signed on", "witness": "Witnessed by", "field": "Fields", "renewed by": "Renewed by",
                   "event": "Dated events"},
        "sources": "sources: {grades}",
        "none": "none",
        # answers, from the test's own question ("Is the instrument X?" / "Did the instrument meet X?")
        "ans_q": r"^(Is|Did) the instrument (meet )?(.+)\?$",
        "ans": {"yes": "Yes: the instrument {is} {x}.", "no": "No: the instrument {isnot} {x}.",
                "undetermined": "Undetermined: whether the instrument {is} {x} cannot be settled on the record.",
                "not-applicable": "Not applicable: the question does not arise for this instrument."},
        "verb": {"Is": ("is", "is not"), "Did": ("met", "did not meet")},
        "ans_fallback": "«{question}» Answer: {answer}.",
        "classification_no": " This test classifies the instrument; a «no» says what the instrument is not, and is "
                             "no breach of any rule.",
        "cond": "«{label}» ({id}; {citation})",
        "cond_group": "{status}: {conditions}.",
        "partner_side": "On the partner's side, under its own state's law (the second party to the instrument, judged by the law that binds it):",
        "test_head": "{label} [{test}]. {sentence}",
        # question 3
        "q3_head": "{agreement}, signed {signed}{party}:",
        "q3_party": "; its Indonesian party is a {kind}",
        "q3_not_governed": "{framework} did not govern its making: {window}, and the instrument was signed on {signed}.",
        "win_from": "it came into force on {date}",
        "win_notbefore": "it did not exist before {date}",
        "win_until": "it ceased to be in force on {date}",
        "q3_governed": "Its making was governed by {frameworks}.",
        "q24_options": "Under {cite} a KSDPL is one of: {options}.",
        "q24_option": "{letter}) «{text}» ({gloss})",
        "q24_kind": "Its Indonesian party is a {kind}, so of huruf a and b only huruf {letter} can fit it; huruf c, "
                    "«{c}», fits any KSDPL.",
        "q24_names": "The names recorded for it: {names}.",
        "q24_no_names": "No name of it is recorded.",
        "q24_twin": "{names} use the words of huruf {letter} (kembar/bersaudara): as the parties name it, it is a "
                    "KSDPL of huruf {letter}.",
        "q24_open": "None of these names says «kembar» or «bersaudara» (twin, sister){friendship}. Pasal 24 does not "
                    "say what makes a cooperation kembar or bersaudara, and the kind of the parties alone does not "
                    "make it so: whether it is huruf {letter} or «{c}» (huruf c) the text does not settle. Either "
                    "way it is a KSDPL under Pasal 24, and Pasal 29(1) and 30(1) speak of every KSDPL «sebagaimana "
                    "dimaksud dalam Pasal 24».",
        "q24_friendship": "; they call it friendship ({words})",
        "renews": "for the instrument it renews",
        # question 4
        "q4_head": "{agreement}, signed {signed}:",
        "q4_reached": "Regimes that reached it: {regimes}.",
        "q4_regime": "{regime} (decided by the {label}, {test}: {answer})",
        "q4_not_reached": "Regimes that did not reach it, whose duties are not listed: {regimes}.",
        "q4_why_na": "{regime} (the {label}, {test}, is not applicable to it)",
        "q4_why_no": "{regime} (the {label}, {test}, answers no: the instrument is not within it)",
        "q4_why_unknown": "{regime} (the graph holds no answer of a test of this regime)",
        "q4_organ": "{organ} must act:",
        "q4_duty": "{step} ({regime}), under {citation}{before}. {description} On record: {record}.",
        "q4_before": ", before the step «{before}»",
        "q4_none": "No duty of the regimes that reached it is recorded.",
        # question 5
        "q5_head": "{agreement}, signed {signed}, was judged under: {frameworks}.",
        "q5_only": "{framework} applied only to {agreement}",
        "q5_changed": "Frameworks that applied to only one of them: {changes}.",
        "q5_none": "The same frameworks applied to both.",
        "q5_rules": "Rules that changed between {first} and {last}, as the legislation layer records them:",
        "q5_in-force": "came into force on {date}",
        "q5_promulgated": "was promulgated on {date}",
        "q5_end-of-force": "ceased to be in force on {date}",
        "q5_year-only": "was made in {year}; the graph records only its year, no date of promulgation or entry into force",
        "q5_by_end": ", repealed by {by}",
        "q5_by_new": "; it repeals {by}",
        "q5_grade": "its sources: {grade} at weakest",
        "q5_text": {"true": "the graph holds the text of some of its provisions", "false": "the graph holds none of its text"},
        "q5_rule": "{work} ({title}) {events}; {grade}; {text}.",
        "q5_no_end": "{work} ({title}, {year}): the graph records no end of its force and no repeal, nor whether "
                     "{successor} replaced it; {grade}; {text}.",
        "q5_no_rules": "The legislation layer records no rule that changed between {first} and {last}.",
        # question 6
        "q6_head": "Conclusion {number}: «{claim}»",
        "q6_check": "What the graph tested: «{question}» for {agreement}. The answer is {actual}; the claim needs {expected}.",
        "q6_supported": "This part of the conclusion holds.",
        "q6_contested": "This part of the conclusion does not hold; the conditions not met rest on {failing}.",
        "q6_contested_plain": "This part of the conclusion does not hold.",
        "q6_undetermined": "The graph cannot settle this part of the conclusion.",
        "q6_basis": "The answer matches, but the conclusion invokes {basis}, which was not in force when {agreement} "
                    "was signed: for that instrument the conclusion is not supported as it is stated.",
        "q6_untested": "The graph tests only that proposition; the rest of the conclusion, the legal basis it names "
                       "included, is not tested, save for its citations:",
        "q6_untested_nocite": "The graph tests only that proposition; the rest of the conclusion is not tested.",
        "q6_cite": "it cites «{written}»{meant}.",
        "q6_miscited": ", which names another statute than the one meant ({meant}): the conclusion is mis-cited",
        "q6_verdict": "Verdict: {verdict}.",
        "verdict": {"supported": "supported", "contested": "contested", "undetermined": "undetermined",
                    "partly": "supported only for {good}; not as stated for {bad}"},
        "miscited": ", and mis-cited",
        "q6_none": "No test of the graph checks this conclusion.",
        # question 7
        "q7_facts": "{n} recorded facts, each counted once, rest only on secondary or unverified sources; among them: "
                    "{examples}.",
        "q7_conclusions": "{n} conclusions (conditions found satisfied or violated) rest on a source weaker than "
                          "primary; among them: {examples}.",
        "q7_conclusion": "{agreement}: «{label}» ({condition}) {status}",
    },
    "id": {
        "status": STATUS_WORDS["id"],
        "status_class": {**STATUS_WORDS["id"], "violated": UNMET_WORDS["id"]},
        "answer": ANSWER_WORDS["id"],
        "record": {"done": "dilakukan", "not-done": "tidak dilakukan",
                   "no-record": "dicari, tidak ada catatan", "absent": "tidak ada yang dicatat"},
        "aspect": {"designation": "Disebut", "kind": "Dinilai sebagai", "party": "Para pihak",
                   "signatory": "Ditandatangani oleh", "signed": "Ditandatangani pada", "witness": "Disaksikan oleh",
                   "field": "Bidang", "renewed by": "Diperbarui oleh", "event": "Peristiwa bertanggal"},
        "sources": "sumber: {grades}",
        "none": "tidak ada",
        "ans_q": r"^Apakah instrumen ini (memenuhi )?(.+)\?$",
        "ans": {"yes": "Ya: instrumen ini {is} {x}.", "no": "Tidak: instrumen ini {isnot} {x}.",
                "undetermined": "Belum dapat ditentukan: apakah instrumen ini {is} {x} tidak dapat dipastikan dari "
                                "catatan yang ada.",
                "not-applicable": "Tidak berlaku: pertanyaan ini tidak timbul bagi instrumen ini."},
        "verb": {"": ("merupakan", "bukan"), "memenuhi ": ("memenuhi", "tidak memenuhi")},
        "ans_fallback": "«{question}» Jawaban: {answer}.",
        "classification_no": " Uji ini menggolongkan instrumen; jawaban «tidak» menyatakan apa yang bukan instrumen "
                             "ini, dan bukan pelanggaran atas aturan apa pun.",
        "cond": "«{label}» ({id}; {citation})",
        "cond_group": "{status}: {conditions}.",
        "partner_side": "Di sisi pihak mitra, menurut hukum negaranya sendiri (pihak kedua instrumen, dinilai menurut hukum yang mengikatnya):",
        "test_head": "{label} [{test}]. {sentence}",
        "q3_head": "{agreement}, ditandatangani {signed}{party}:",
        "q3_party": "; pihak Indonesianya berupa {kind}",
        "q3_not_governed": "{framework} tidak mengatur pembuatannya: {window}, sedangkan instrumen ini ditandatangani "
                           "pada {signed}.",
        "win_from": "peraturan itu mulai berlaku pada {date}",
        "win_notbefore": "peraturan itu belum ada sebelum {date}",
        "win_until": "peraturan itu tidak berlaku lagi sejak {date}",
        "q3_governed": "Pembuatannya diatur oleh {frameworks}.",
        "q24_options": "Menurut {cite} KSDPL terdiri atas: {options}.",
        "q24_option": "{letter}) «{text}»",
        "q24_kind": "Pihak Indonesianya berupa {kind}, sehingga dari huruf a dan b hanya huruf {letter} yang dapat "
                    "sesuai; huruf c, «{c}», dapat meliputi KSDPL mana pun.",
        "q24_names": "Sebutan yang tercatat untuknya: {names}.",
        "q24_no_names": "Tidak ada sebutan yang tercatat untuknya.",
        "q24_twin": "{names} memakai kata-kata huruf {letter} (kembar/bersaudara): menurut sebutan para pihak, ia "
                    "KSDPL huruf {letter}.",
        "q24_open": "Tidak satu pun sebutan itu menyatakan «kembar» atau «bersaudara»{friendship}. Pasal 24 tidak "
                    "menyatakan apa yang menjadikan suatu kerja sama kembar atau bersaudara, dan jenis para pihak "
                    "saja tidak menjadikannya demikian: apakah ia huruf {letter} atau «{c}» (huruf c) tidak "
                    "dipastikan oleh teksnya. Bagaimanapun ia KSDPL menurut Pasal 24, dan Pasal 29 ayat (1) serta "
                    "Pasal 30 ayat (1) berbicara tentang setiap KSDPL «sebagaimana dimaksud dalam Pasal 24».",
        "q24_friendship": "; para pihak menyebutnya persahabatan ({words})",
        "renews": "untuk instrumen yang diperbaruinya",
        "q4_head": "{agreement}, ditandatangani {signed}:",
        "q4_reached": "Rezim yang menjangkaunya: {regimes}.",
        "q4_regime": "{regime} (ditentukan oleh {label}, {test}: {answer})",
        "q4_not_reached": "Rezim yang tidak menjangkaunya, yang kewajibannya tidak dicantumkan: {regimes}.",
        "q4_why_na": "{regime} ({label}, {test}, tidak berlaku baginya)",
        "q4_why_no": "{regime} ({label}, {test}, menjawab tidak: instrumen ini tidak termasuk di dalamnya)",
        "q4_why_unknown": "{regime} (graf tidak memuat jawaban uji rezim ini)",
        "q4_organ": "{organ} wajib bertindak:",
        "q4_duty": "{step} ({regime}), menurut {citation}{before}. {description} Catatan: {record}.",
        "q4_before": ", sebelum langkah «{before}»",
        "q4_none": "Tidak ada kewajiban tercatat dari rezim yang menjangkaunya.",
        "q5_head": "{agreement}, ditandatangani {signed}, dinilai menurut: {frameworks}.",
        "q5_only": "{framework} hanya berlaku bagi {agreement}",
        "q5_changed": "Kerangka yang hanya berlaku bagi salah satunya: {changes}.",
        "q5_none": "Kerangka yang sama berlaku bagi keduanya.",
        "q5_rules": "Aturan yang berubah antara {first} dan {last}, sebagaimana dicatat lapisan peraturan:",
        "q5_in-force": "mulai berlaku pada {date}",
        "q5_promulgated": "diundangkan pada {date}",
        "q5_end-of-force": "tidak berlaku lagi sejak {date}",
        "q5_year-only": "dibuat pada tahun {year}; graf hanya mencatat tahunnya, tanpa tanggal pengundangan atau mulai "
                        "berlaku",
        "q5_by_end": ", dicabut oleh {by}",
        "q5_by_new": "; peraturan ini mencabut {by}",
        "q5_grade": "sumbernya paling lemah berderajat {grade}",
        "q5_text": {"true": "graf memuat teks sebagian ketentuannya", "false": "graf tidak memuat teksnya sama sekali"},
        "q5_rule": "{work} ({title}) {events}; {grade}; {text}.",
        "q5_no_end": "{work} ({title}, {year}): graf tidak mencatat berakhirnya masa berlaku maupun pencabutannya, "
                     "juga tidak mencatat apakah {successor} menggantikannya; {grade}; {text}.",
        "q5_no_rules": "Lapisan peraturan tidak mencatat aturan yang berubah antara {first} dan {last}.",
        "q6_head": "Kesimpulan {number}: «{claim}»",
        "q6_check": "Yang diuji graf: «{question}» untuk {agreement}. Jawabannya {actual}; klaim itu memerlukan "
                    "{expected}.",
        "q6_supported": "Bagian kesimpulan ini berlaku.",
        "q6_contested": "Bagian kesimpulan ini tidak berlaku; syarat yang tidak terpenuhi bertumpu pada {failing}.",
        "q6_contested_plain": "Bagian kesimpulan ini tidak berlaku.",
        "q6_undetermined": "Graf belum dapat memastikan bagian kesimpulan ini.",
        "q6_basis": "Jawabannya sesuai, tetapi kesimpulan itu bersandar pada {basis}, yang belum berlaku ketika "
                    "{agreement} ditandatangani: bagi instrumen itu kesimpulan ini tidak didukung sebagaimana "
                    "dirumuskan.",
        "q6_untested": "Graf hanya menguji proposisi itu; bagian lain kesimpulan, termasuk dasar hukum yang "
                       "disebutnya, tidak diuji, kecuali rujukannya:",
        "q6_untested_nocite": "Graf hanya menguji proposisi itu; bagian lain kesimpulan tidak diuji.",
        "q6_cite": "ia merujuk «{written}»{meant}.",
        "q6_miscited": ", yang menunjuk undang-undang lain daripada yang dimaksud ({meant}): kesimpulan ini salah rujuk",
        "q6_verdict": "Penilaian: {verdict}.",
        "verdict": {"supported": "didukung", "contested": "dibantah", "undetermined": "belum dapat dinilai",
                    "partly": "didukung hanya untuk {good}; tidak sebagaimana dirumuskan untuk {bad}"},
        "miscited": ", dan salah rujuk",
        "q6_none": "Tidak ada uji dalam graf yang memeriksa kesimpulan ini.",
        "q7_facts": "{n} fakta tercatat, masing-masing dihitung sekali, hanya bertumpu pada sumber sekunder atau yang "
                    "belum diverifikasi; antara lain: {examples}.",
        "q7_conclusions": "{n} kesimpulan (syarat yang dinyatakan terpenuhi atau dilanggar) bertumpu pada sumber yang "
                          "lebih lemah daripada sumber primer; antara lain: {examples}.",
        "q7_conclusion": "{agreement}: «{label}» ({condition}) {status}",
    },
}
#: The words of the text output around the prose.
WORDS = {"en": {"question": "Question", "rests_on": "Rests on", "provisions": "Provisions", "sources": "Sources",
                "rows": "Rows"},
         "id": {"question": "Pertanyaan", "rests_on": "Bertumpu pada", "provisions": "Ketentuan", "sources": "Sumber",
                "rows": "Baris"}}
