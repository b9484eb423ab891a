"""ODK-style release artefacts: the merged RDF/XML is up to date and loads in owlready2; the relative catalog
resolves every import to a file in the repository, so Protégé opens the ontology with no network."""
import xml.etree.ElementTree as ET

from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL

from sistercity_kg.paths import ONTOLOGY_DIR
from sistercity_kg.release import CATALOG, MERGED, catalog_xml, merged_ontology
from sistercity_kg.dataset import load_ontology

CAT_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


def test_merged_owl_is_up_to_date():
    built = Graph().parse(ONTOLOGY_DIR / MERGED, format="xml")
    assert isomorphic(built, merged_ontology()), "run `sistercity-kg build` and commit the result"


def test_catalog_is_up_to_date():
    assert (ONTOLOGY_DIR / CATALOG).read_text(encoding="utf-8") == catalog_xml()


def test_catalog_resolves_every_import():
    entries = {u.get("name"): u.get("uri") for u in ET.parse(ONTOLOGY_DIR / CATALOG).getroot().iter(CAT_NS + "uri")}
    onto = load_ontology(Graph())
    imports = {str(o) for o in onto.objects(None, OWL.imports)}
    assert imports, "the root ontology imports its modules"
    for iri in imports:
        assert iri in entries, f"{iri} is not in the catalog"
        assert not entries[iri].startswith(("/", "http")), "catalog paths are relative"
        assert (ONTOLOGY_DIR / entries[iri]).is_file()


def test_owlready2_loads_the_release():
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((ONTOLOGY_DIR / MERGED).as_uri()).load()
    names = {c.name for c in onto.classes()}
    world.close()
    assert {"Agreement", "LegalInstrument", "Provision", "RegionalGovernment", "Source", "Assessment"} <= names
