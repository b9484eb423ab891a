// Protégé's view of the ontology, through the OWL API 5 that Protégé is built on (Debian: libowlapi-java).
//
//   java -cp "$OWLAPI_CP:." ProfileCheck [--catalog-only] ontology/sistercity-kg.owl ontology/sistercity-kg.ttl
//
// For each file: load it as Protégé does — imports resolved offline through the catalog-v001.xml beside the file
// (Protégé's XML catalog) and, unless --catalog-only, an AutoIRIMapper over its folder — then report, one fact
// per line:
//   FILE <path>
//   ONTOLOGY <iri> axioms=<n> logical=<n> imports-closure=<n>
//   DOCUMENT <ontology iri> <document iri>        (where each ontology of the imports closure was read from)
//   MISSING_IMPORT <iri> <reason>                   (an import that could not be resolved)
//   PROFILE <name> inProfile=<true|false> violations=<n>
//   VIOLATION <profile> <violation>                 (every OWL 2 DL violation; the first few of the others)
// Exit status 0 when every file loads with no missing import and is in the OWL 2 DL profile, 1 otherwise.
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.*;
import org.semanticweb.owlapi.util.AutoIRIMapper;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

public class ProfileCheck {
    static final String CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog";

    /** The <uri name="…" uri="…"/> entries of an XML catalog, as Protégé reads catalog-v001.xml. */
    static List<OWLOntologyIRIMapper> catalogMappers(File catalog) throws Exception {
        List<OWLOntologyIRIMapper> mappers = new ArrayList<>();
        if (!catalog.isFile()) return mappers;
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        NodeList uris = f.newDocumentBuilder().parse(catalog).getElementsByTagNameNS(CATALOG_NS, "uri");
        for (int i = 0; i < uris.getLength(); i++) {
            Element e = (Element) uris.item(i);
            File target = new File(catalog.getParentFile(), e.getAttribute("uri"));
            mappers.add(new SimpleIRIMapper(IRI.create(e.getAttribute("name")), IRI.create(target.getCanonicalFile())));
        }
        return mappers;
    }

    static boolean catalogOnly = false;

    static boolean check(File file) throws Exception {
        boolean ok = true;
        System.out.println("FILE " + file.getPath());
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        File dir = file.getAbsoluteFile().getParentFile();
        for (OWLOntologyIRIMapper mapper : catalogMappers(new File(dir, "catalog-v001.xml"))) m.getIRIMappers().add(mapper);
        if (!catalogOnly) m.getIRIMappers().add(new AutoIRIMapper(dir, true));
        List<String> missing = new ArrayList<>();
        m.addMissingImportListener(ev -> missing.add(ev.getImportedOntologyURI() + " "
                + String.valueOf(ev.getCreationException()).replace('\n', ' ')));
        OWLOntologyLoaderConfiguration conf = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
                .setConnectionTimeout(3000);
        OWLOntology o = m.loadOntologyFromOntologyDocument(new FileDocumentSource(file), conf);
        System.out.println("ONTOLOGY " + o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)")
                + " axioms=" + o.getAxiomCount(Imports.INCLUDED) + " logical=" + o.getLogicalAxiomCount(Imports.INCLUDED)
                + " imports-closure=" + o.importsClosure().count());
        o.importsClosure().forEach(c -> System.out.println("DOCUMENT "
                + c.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)") + " "
                + m.getOntologyDocumentIRI(c)));
        for (String s : missing) {
            System.out.println("MISSING_IMPORT " + s);
            ok = false;
        }
        for (OWLProfile p : new OWLProfile[]{new OWL2DLProfile(), new OWL2RLProfile(), new OWL2ELProfile(), new OWL2QLProfile()}) {
            OWLProfileReport r = p.checkOntology(o);
            boolean dl = p instanceof OWL2DLProfile;
            System.out.println("PROFILE " + p.getName().replace(' ', '_') + " inProfile=" + r.isInProfile()
                    + " violations=" + r.getViolations().size());
            r.getViolations().stream().limit(dl ? Long.MAX_VALUE : 3).forEach(v -> System.out.println(
                    "VIOLATION " + p.getName().replace(' ', '_') + " " + v.toString().replace('\n', ' ')));
            if (dl && !r.isInProfile()) ok = false;
        }
        return ok;
    }

    public static void main(String[] args) throws Exception {
        boolean ok = true;
        for (String a : args) {
            if (a.equals("--catalog-only")) catalogOnly = true;
            else ok &= check(new File(a));
        }
        System.exit(ok ? 0 : 1);
    }
}
