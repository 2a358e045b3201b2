"""RDF view of the graph (rdflib API over the Oxigraph store).

Vocabulary: ``schemas/ontology.ttl`` (prefix ``kg:``), aligned with schema.org,
DCTERMS and PROV-O. Every relationship is both a direct triple
(``paper kg:evaluatedOn bench``) and an ``rdf:Statement`` (standard RDF
reification) carrying its provenance: ``kg:paper``, ``kg:evidence``,
``prov:wasDerivedFrom`` (review file:line) and ``kg:confidence`` — so SPARQL
can ask for the evidence of any edge without named graphs."""
from __future__ import annotations

from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SDO

from . import register_writer

__all__ = ["KG", "KGID", "to_rdflib", "write_rdf", "entity_iri", "RDF_FORMATS"]

KG = Namespace("https://w3id.org/kg-reviews/ontology#")
KGID = Namespace("https://w3id.org/kg-reviews/id/")
PREDICATE = {"PROPOSED_BY": KG.proposedBy, "EVALUATED_ON": KG.evaluatedOn,
             "IMPROVES_ON": KG.improvesOn, "BASED_ON": KG.basedOn}
RDF_FORMATS = {"turtle": ("ox-turtle", "graph.ttl"), "nt": ("ox-nt", "graph.nt"),
               "json-ld": ("json-ld", "graph.jsonld")}


def entity_iri(uid: str) -> URIRef:
    typ, _, key = uid.partition(":")
    return KGID[f"{typ}/{quote(key, safe='')}"]


def _clean(s: str) -> str:
    """Characters XML/RDF literals cannot carry (C0 controls except tab/newline)."""
    return "".join(ch for ch in str(s) if ch in "\t\n\r" or ord(ch) >= 32)


def to_rdflib(kg, store: str = "Oxigraph") -> Graph:
    g = Graph(store=store)
    for p, ns in (("kg", KG), ("kgid", KGID), ("schema", SDO), ("dcterms", DCTERMS), ("prov", PROV),
                  ("owl", OWL)):
        g.bind(p, ns)
    for uid, labels, p in kg.nodes():
        s = entity_iri(uid)
        g.add((s, RDF.type, KG[labels[0]]))
        if labels[0] == "Paper":
            g.add((s, DCTERMS.identifier, Literal(p["arxiv_id"])))
            g.add((s, DCTERMS.title, Literal(_clean(p["title"]))))
            g.add((s, OWL.sameAs, URIRef(p["url"])))
            g.add((s, SDO.sameAs, URIRef(p["hf_url"])))
            for d in p.get("review_dates") or []:
                g.add((s, KG.reviewDate, Literal(d, datatype=XSD.date)))
            for a in p.get("authors") or []:
                g.add((s, SDO.author, Literal(_clean(a))))
            for rv in p.get("reviews") or []:
                g.add((s, KG.reviewedIn, Literal(_clean(rv))))
        else:
            g.add((s, RDFS.label, Literal(_clean(p["name"]))))
            g.add((s, SDO.name, Literal(_clean(p["name"]))))
            for a in p.get("aliases") or []:
                g.add((s, SDO.alternateName, Literal(_clean(a))))
            for pid in p.get("papers") or []:
                g.add((s, KG.mentionedIn, entity_iri(f"paper:{pid}")))
    for h, label, t, p in kg.edges():
        s, o, pred = entity_iri(h), entity_iri(t), PREDICATE[label]
        g.add((s, pred, o))
        st = KGID[f"statement/{quote(h, safe='')}/{label}/{quote(t, safe='')}"]
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, pred))
        g.add((st, RDF.object, o))
        g.add((st, KG.confidence, Literal(p["confidence"], datatype=XSD.decimal)))
        for pid in p["papers"]:
            g.add((st, KG.paper, entity_iri(f"paper:{pid}")))
        for e in p["evidence"]:
            g.add((st, KG.evidence, Literal(_clean(e))))
        for src in p["sources"]:
            g.add((st, PROV.wasDerivedFrom, Literal(_clean(src))))
    return g


def write_rdf(kg, path: str, fmt: str = "turtle") -> None:
    rdflib_fmt = RDF_FORMATS.get(fmt, (fmt, None))[0]
    g = to_rdflib(kg)
    if rdflib_fmt == "json-ld":
        import json
        import os
        ctx_path = os.path.join(os.path.dirname(__file__), "..", "..", "schemas", "context.jsonld")
        with open(ctx_path, encoding="utf-8") as fh:
            ctx = json.load(fh)["@context"]
        data = g.serialize(format="json-ld", context=ctx)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(data)
    else:
        g.serialize(destination=path, format=rdflib_fmt)


@register_writer("ttl", "graph.ttl")
def write_turtle(kg, path: str) -> None:
    write_rdf(kg, path, "turtle")


@register_writer("nt", "graph.nt")
def write_ntriples(kg, path: str) -> None:
    write_rdf(kg, path, "nt")


@register_writer("jsonld", "graph.jsonld")
def write_jsonld(kg, path: str) -> None:
    write_rdf(kg, path, "json-ld")
