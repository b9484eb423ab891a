"""data/doctrine/*.yaml → works of the literature and the claims they make, with their citations as written."""
from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import InputError
from ..namespaces import ID, SCKG, legislation
from .common import Fields, Writer
from .legislation import PATH
from .yamlfile import load_yaml

WORK_KINDS = ("thesis", "article", "commentary", "book", "official-page")


class DoctrineReader:
    def __init__(self, writer: Writer):
        self.w = writer
        self.links: list[tuple[str, int, str]] = []
        self.agreement_links: list[tuple[str, int, str]] = []

    def read(self, path: Path) -> None:
        data = load_yaml(path)
        file = str(path)
        top = Fields(data, "doctrine file", {"work", "claims", "note"}, {"work", "claims"}, file=file, line=1)
        wf = top.sub("work", "work", {"id", "kind", "title", "author", "year", "source", "note", "citations"},
                     {"id", "kind", "title", "source"})
        wid = wf.slug("id")
        work = ID["doctrine/" + wid]
        srcs = self.w.sources.resolve(wf.raw("source"), file, wf.line_of("source"))
        self.w.typed(work, SCKG.Work)
        self.w.concept(work, SCKG.workKind, "source-kind", wf.choice("kind", WORK_KINDS))
        self.w.labels(work, wf.labels("title", True))
        self.w.attest(work, srcs)
        if "author" in wf:
            from rdflib.namespace import DCTERMS
            self.w.add(work, DCTERMS.creator, Literal(wf.str("author")))
        for key in ("note",):
            if key in wf:
                self.w.add(work, SCKG.editorialNote, Literal(wf.str(key), lang="en"))
        for item, line in top.items("claims"):
            c = Fields(item, "claim", {"id", "number", "text", "rests-on", "citations", "checked-by", "source", "note"},
                       {"id", "text"}, file=file, line=line)
            claim = URIRef(f"{work}/{c.slug('id')}")
            self.w.typed(claim, SCKG.Claim)
            self.w.add(work, SCKG.claims, claim)
            if "number" in c:
                self.w.add(claim, SCKG.claimNumber, Literal(c.int("number")))
            text = c.labels("text", True)
            self.w.labels(claim, text, SCKG.claimText)
            n = c.int("number")
            self.w.labels(claim, {"id": f"{wf.labels('title')['id'][:60]} — kesimpulan {n or c.str('id')}",
                                  "en": f"{wf.labels('title').get('en', wid)[:60]} — conclusion {n or c.str('id')}"})
            self.w.attest(claim, self.w.sources.resolve(c.raw("source"), file, c.line_of("source"), srcs))
            if "note" in c:
                self.w.add(claim, SCKG.editorialNote, Literal(c.str("note"), lang="en"))
            for target, tline in c.items("rests-on"):
                self._link(file, tline, str(target))
                self.w.add(claim, SCKG.claimRestsOn, legislation(str(target)))
            self._citations(c, claim, srcs)
            self._checks(c, claim, srcs)
        self._citations(wf, work, srcs)

    def _checks(self, f: Fields, claim, srcs) -> None:
        """How the graph tests a claim: the answer a legal test must give for an agreement if the claim holds."""
        for m, (item, line) in enumerate(f.items("checked-by"), 1):
            g = Fields(item, "claim check", {"agreement", "test", "holds-if", "note"}, {"agreement", "test", "holds-if"},
                       file=f.file, line=line)
            node = URIRef(f"{claim}/check/{m}")
            self.w.typed(node, SCKG.ClaimCheck)
            aid, tid = g.slug("agreement"), g.str("test")
            answer = g.choice("holds-if", ("yes", "no", "undetermined", "not-applicable"))
            self.agreement_links.append((f.file, g.line_of("agreement"), aid))
            self.w.add(node, SCKG.checkAgreement, ID["agreement/" + aid])
            self.w.add(node, SCKG.checkTest, ID["test/" + tid])
            self.w.add(node, SCKG.holdsIfAnswer, ID["vocab/answer/" + answer])
            self.w.labels(node, {"id": f"uji klaim {str(claim).rsplit('/', 1)[-1]}: {tid} pada {aid} = {answer}",
                                 "en": f"check of {str(claim).rsplit('/', 1)[-1]}: {tid} on {aid} = {answer}"})
            if "note" in g:
                self.w.add(node, SCKG.editorialNote, Literal(g.str("note"), lang="en"))
            self.w.attest(node, srcs)
            self.w.add(claim, SCKG.checkedBy, node)

    def _citations(self, f: Fields, owner, srcs) -> None:
        """Citations exactly as the work writes them, with what the words designate and what the author meant."""
        for m, (cit, cline) in enumerate(f.items("citations"), 1):
            g = Fields(cit, "citation", {"as-written", "cites", "means", "note"}, {"as-written"}, file=f.file,
                       line=cline)
            node = URIRef(f"{owner}/citation/{m}")
            self.w.typed(node, SCKG.CitationAsWritten)
            written = g.str("as-written")
            self.w.add(node, SCKG.asWritten, Literal(written))
            self.w.labels(node, {"id": f"kutipan «{written}» ({str(owner).rsplit('/', 1)[-1]})",
                                 "en": f"citation «{written}» ({str(owner).rsplit('/', 1)[-1]})"})
            cites, means = g.str("cites"), g.str("means")
            for key, target, prop in (("cites", cites, SCKG.designates), ("means", means, SCKG.means)):
                if target:
                    self._link(f.file, g.line_of(key), target)
                    self.w.add(node, prop, legislation(target))
            # an error when the words designate another instrument than the one meant, or none at all
            self.w.add(node, SCKG.citationError, Literal(bool(means and means != cites)))
            if "note" in g:
                self.w.add(node, SCKG.editorialNote, Literal(g.str("note"), lang="en"))
            self.w.attest(node, srcs)
            self.w.add(owner, SCKG.hasCitation, node)

    def _link(self, file, line, target):
        if not PATH.match(target):
            raise InputError(file, line, f"expected a legislation path, got {target!r}")
        self.links.append((file, line, target))
