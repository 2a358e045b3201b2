"""RDF view of the graph (rdflib API over the Oxigraph store).

Vocabulary: ``schemas/ontology.ttl`` (prefix ``kg:``), aligned with schema.org,
DCTERMS and PROV-O. Every relationship is both a direct triple
(``paper kg:evaluatedOn bench``) and an ``rdf:Statement`` (standard RDF
reification) carrying its provenance: ``kg:paper``, ``kg:evidence``,
``prov:wasDerivedFrom`` (review file:line) and ``kg:confidence`` — so SPARQL
can ask for the evidence of any edge without named graphs. ``kg:variantOf``
(member → family) is read from the names: its statement carries ``kg:basis``
(``name`` or ``expansion``) instead of evidence."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SDO

from . import register_format, register_writer, write_indexed
from .elements import ElementFormat

__all__ = ["KG", "KGID", "to_rdflib", "write_rdf", "entity_iri", "RDF_FORMATS"]

KG = Namespace("https://w3id.org/kg-reviews/ontology#")
KGID = Namespace("https://w3id.org/kg-reviews/id/")
PREDICATE = {"PROPOSED_BY": KG.proposedBy, "EVALUATED_ON": KG.evaluatedOn,
             "IMPROVES_ON": KG.improvesOn, "BASED_ON": KG.basedOn, "VARIANT_OF": KG.variantOf,
             "REPORTS": KG.reports, "MEASURED_ON": KG.measuredOn, "ACHIEVES": KG.achieves,
             "MENTIONS": KG.mentions}
#: relationships whose provenance sits on their Result node: no reified statement of their own
_PLAIN = frozenset(("REPORTS", "MEASURED_ON", "ACHIEVES"))
RDF_FORMATS = {"turtle": ("ox-turtle", "graph.ttl"), "nt": ("ox-nt", "graph.nt"),
               "json-ld": ("json-ld", "graph.jsonld")}


def entity_iri(uid: str) -> URIRef:
    return URIRef(_iri_of(uid))


#: what ``quote(s, safe="")`` leaves as it is (RFC 3986 unreserved)
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


@lru_cache(maxsize=1 << 18)
def _iri_of(uid: str) -> str:
    """The IRI string of a uid (cached: hub entities list thousands of papers)."""
    typ, _, key = uid.partition(":")
    return f"{KGID}{typ}/{_quoted(key)}"


@lru_cache(maxsize=1 << 18)
def _quoted(uid: str) -> str:
    """A uid as one IRI path segment (cached: every statement IRI quotes both
    ends). Most keys and every arXiv id need no escaping, which a C-level match
    tells faster than ``quote`` can."""
    return uid if _UNRESERVED.fullmatch(uid) else quote(uid, safe="")


def _clean(s) -> str:
    """A literal's text. Kept whole: the writers escape what their syntax cannot carry raw
    (:func:`_escaped`), so every character round-trips."""
    return str(s)


IRI, LIT = "iri", "lit"
PREFIXES = {"kg": str(KG), "kgid": str(KGID), "schema": str(SDO), "dcterms": str(DCTERMS), "prov": str(PROV),
            "owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}


def _lit(x, dt=None):
    return (LIT, _clean(x), str(dt) if dt else None)


#: Hangul syllables and jamo: a literal with any is Korean text, else English (names, titles and
#: sentences of the reviews are one or the other; the "datatype" slot carries the tag as "@ko")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def _lang(text: str) -> str:
    return "@ko" if _HANGUL.search(text) else "@en"


def _text(x):
    """A language-tagged literal of review text (:func:`_lang`)."""
    v = _clean(x)
    return (LIT, v, _lang(v))


class _V:
    """Vocabulary IRIs as plain strings, looked up once (rdflib's Namespace
    attribute access is slow at millions of triples)."""

    type, label, statement = str(RDF.type), str(RDFS.label), str(RDF.Statement)
    subject, predicate, object = str(RDF.subject), str(RDF.predicate), str(RDF.object)
    identifier, title, url, see_also = str(DCTERMS.identifier), str(DCTERMS.title), str(SDO.url), str(RDFS.seeAlso)
    review_date, author, reviewed_in, cites = str(KG.reviewDate), str(SDO.author), str(KG.reviewedIn), str(KG.cites)
    name, alternate_name, mentioned_in = str(SDO.name), str(SDO.alternateName), str(KG.mentionedIn)
    confidence, paper, evidence, derived = str(KG.confidence), str(KG.paper), str(KG.evidence), \
        str(PROV.wasDerivedFrom)
    basis = str(KG.basis)
    date, decimal = str(XSD.date), str(XSD.decimal)
    classes = {c: str(KG[c]) for c in ("Paper", "Method", "Benchmark", "Dataset", "Organization", "Result")}
    value, unit, metric = str(KG.value), str(KG.unit), str(KG.metric)
    benchmark_name, method_name = str(KG.benchmarkName), str(KG.methodName)
    predicates = {label: str(p) for label, p in PREDICATE.items()}


def node_triples(uid: str, label: str, p: dict):
    """The triples of one node: (subject IRI, predicate IRI, (kind, value, datatype))."""
    s, V = _iri_of(uid), _V
    yield s, V.type, (IRI, V.classes[label], None)
    if label == "Result":
        yield from _result_triples(s, p)
    elif label == "Paper":
        yield s, V.identifier, _lit(p["arxiv_id"])
        title = _text(p["title"])
        yield s, V.label, title
        yield s, V.title, title
        yield s, V.url, (IRI, p["url"], None)  # the arXiv page: a page about the paper, not the paper
        yield s, V.see_also, (IRI, p["hf_url"], None)
        for d in p.get("review_dates") or []:
            yield s, V.review_date, (LIT, _clean(d), V.date)
        for a in p.get("authors") or []:
            yield s, V.author, _lit(a)
        for rv in p.get("reviews") or []:
            yield s, V.reviewed_in, _lit(rv)
        for c in p.get("cites") or []:  # the cited paper need not be reviewed in this build
            yield s, V.cites, (IRI, _iri_of(f"paper:{c}"), None)
    else:
        name = _text(p["name"])
        yield s, V.label, name
        yield s, V.name, name
        for a in p.get("aliases") or []:
            yield s, V.alternate_name, _text(a)
        for pid in p.get("papers") or []:
            yield s, V.mentioned_in, (IRI, _iri_of(f"paper:{pid}"), None)


def _result_triples(s: str, p: dict):
    V = _V
    yield s, V.value, (LIT, _decimal(p["value"]), V.decimal)
    yield s, V.label, _lit(f"{p['value']:g}{p.get('unit') or ''} {p['benchmark']}")
    yield s, V.benchmark_name, _lit(p["benchmark"])
    for prop, pred in (("method", V.method_name), ("unit", V.unit), ("metric", V.metric)):
        if p.get(prop) is not None:
            yield s, pred, _lit(p[prop])
    for e in p.get("evidence") or []:
        yield s, V.evidence, _text(e)
    for src in p.get("sources") or []:
        yield s, V.derived, _lit(src)


def _decimal(v) -> str:
    """An xsd:decimal lexical form (no exponent: ``1e-05`` is not one)."""
    return format(Decimal(repr(float(v))), "f")


def edge_triples(h: str, label: str, t: str, p: dict):
    """The direct triple of a relationship, then its reified statement with provenance."""
    V = _V
    s, o, pred = _iri_of(h), _iri_of(t), V.predicates[label]
    yield s, pred, (IRI, o, None)
    if label in _PLAIN:
        return
    st = f"{KGID}statement/{_quoted(h)}/{label}/{_quoted(t)}"
    yield st, V.type, (IRI, V.statement, None)
    yield st, V.subject, (IRI, s, None)
    yield st, V.predicate, (IRI, pred, None)
    yield st, V.object, (IRI, o, None)
    yield st, V.confidence, (LIT, str(p["confidence"]), V.decimal)
    for pid in p["papers"]:
        yield st, V.paper, (IRI, _iri_of(f"paper:{pid}"), None)
    for e in p["evidence"]:
        yield st, V.evidence, _text(e)
    for src in p["sources"]:
        yield st, V.derived, _lit(src)
    if "basis" in p:  # a VARIANT_OF link, read from names: what it rests on instead of a sentence
        yield st, V.basis, _lit(p["basis"])


def triples(kg):
    """The graph as RDF. Both the rdflib view and the file writers are made from this."""
    for uid, labels, p in kg.nodes():
        yield from node_triples(uid, labels[0], p)
    for h, label, t, p in kg.edges():
        yield from edge_triples(h, label, t, p)


def to_rdflib(kg, store: str = "Oxigraph") -> Graph:
    """An rdflib Graph of the build (Oxigraph store by default: fast SPARQL)."""
    g = Graph(store=store)
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    for s, p, (kind, v, dt) in triples(kg):
        o = URIRef(v) if kind == IRI else Literal(v, lang=dt[1:]) if dt and dt[0] == "@" else \
            Literal(v, datatype=URIRef(dt) if dt else None)
        g.add((URIRef(s), URIRef(p), o))
    return g


#: above this many relationships+nodes, Turtle is written line by line (N-Triples
#: statements are valid Turtle): pretty Turtle needs every triple in memory first
STREAM_ABOVE = 50_000

_NT_ESCAPE = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
              **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF] if chr(c) not in "\n\r"}}
#: what a literal escapes: quote, backslash, line ends, control characters and the two noncharacters
_NT_SPECIAL = re.compile(r'[\\"\n\r\x00-\x1f\x7f\ufffe\uffff]')


def _escaped(v: str) -> str:
    """A literal's text with N-Triples/Turtle escapes; most have nothing to
    escape, and a search is cheaper than ``translate`` (15% of the Turtle writer)."""
    return v.translate(_NT_ESCAPE) if _NT_SPECIAL.search(v) else v


def _nt_term(kind: str, v: str, dt: str | None) -> str:
    if kind == IRI:
        return f"<{v}>"
    lit = '"' + _escaped(v) + '"'
    if dt and dt[0] == "@":
        return lit + dt
    return lit + (f"^^<{dt}>" if dt and not dt.endswith("#string") else "")


def write_ntriples_stream(kg, path: str) -> None:
    """One statement per line, streamed (constant memory, ~10x faster than building terms)."""
    with open(path, "w", encoding="utf-8") as fh:
        for s, p, o in triples(kg):
            fh.write(f"<{s}> <{p}> {_nt_term(*o)} .\n")


_BASE = str(KGID)
_PNAME = {str(ns) + local: f"{prefix}:{local}" for prefix, ns in PREFIXES.items()
          for local in ("type", "label", "identifier", "title", "url", "seeAlso", "reviewDate", "author", "reviewedIn",
                        "cites", "name", "alternateName", "mentionedIn", "subject", "predicate", "object", "Statement",
                        "confidence", "paper", "evidence", "wasDerivedFrom", "decimal", "date",
                        "Paper", "Method", "Benchmark", "Dataset", "Organization",
                        "proposedBy", "evaluatedOn", "improvesOn", "basedOn", "variantOf", "mentions", "basis")}


@lru_cache(maxsize=1 << 16)
def _ttl_iri(v: str) -> str:
    """Prefixed name for vocabulary terms, an IRI relative to @base for our ids."""
    if v in _PNAME:
        return _PNAME[v]
    if v.startswith(_BASE):
        rel = v[len(_BASE):]
        wrapped = f"/{rel}/"  # a "." or ".." segment would resolve away against @base
        if rel and "/./" not in wrapped and "/../" not in wrapped:
            return f"<{rel}>"
    return f"<{v}>"


def _ttl_term(kind: str, v: str, dt: str | None) -> str:
    if kind == IRI:
        return _ttl_iri(v)
    lit = '"' + _escaped(v) + '"'
    if dt and dt[0] == "@":
        return lit + dt
    return lit + (f"^^{_ttl_iri(dt)}" if dt and not dt.endswith("#string") else "")


#: a character that a plain literal drops (C0 controls) or escapes
_LIT_SPECIAL = _NT_SPECIAL


def _ttl_string(x) -> str:
    """``_ttl_term(*_lit(x))`` for a plain string literal, with one search
    instead of two for the common text that needs neither (evidence
    sentences: most of the Turtle's bytes)."""
    s = str(x)
    return '"' + (_escaped(s) if _LIT_SPECIAL.search(s) else s) + '"'


def turtle_block(triple_iter) -> str:
    """Turtle for a run of triples, subjects grouped with ';' (one element's triples)."""
    out, subject = [], None
    for s, p, o in triple_iter:
        term = f"{_ttl_iri(p)} {_ttl_iri(o[1]) if o[0] == IRI else _ttl_term(*o)}"
        if s == subject:
            out.append(" ;\n    ")
        else:
            if subject is not None:
                out.append(" .\n")
            subject = s
            out.append(_ttl_iri(s) + " ")
        out.append(term)
    if subject is not None:
        out.append(" .\n")
    return "".join(out)


def turtle_edge(h: str, label: str, t: str, p: dict) -> str:
    """``turtle_block(edge_triples(h, label, t, p))``, written out directly: at
    100k records relationships are ~80% of the Turtle, and the generic block
    spent most of its time moving triples through a generator."""
    if label in _PLAIN:
        return turtle_block(edge_triples(h, label, t, p))
    V, iri = _V, _ttl_iri
    s, o = iri(_iri_of(h)), iri(_iri_of(t))
    pred = _PNAME[V.predicates[label]]
    st = iri(f"{KGID}statement/{_quoted(h)}/{label}/{_quoted(t)}")
    out = [f"{s} {pred} {o} .\n{st} {_T_TYPE} {_T_STATEMENT} ;\n    {_T_SUBJECT} {s} ;\n    {_T_PREDICATE} {pred} ;"
           f"\n    {_T_OBJECT} {o} ;\n    {_T_CONFIDENCE} {_ttl_term(LIT, str(p['confidence']), V.decimal)}"]
    out.append(_paper_refs(_T_PAPER, p["papers"]))
    out += [f" ;\n    {_T_EVIDENCE} {_ttl_string(e)}{_lang(e)}" for e in p["evidence"]]
    out += [f" ;\n    {_T_DERIVED} {_ttl_string(src)}" for src in p["sources"]]
    if "basis" in p:
        out.append(f" ;\n    {_PNAME[V.basis]} {_ttl_string(p['basis'])}")
    out.append(" .\n")
    return "".join(out)


def turtle_entity(uid: str, label: str, p: dict) -> str:
    """``turtle_block(node_triples(uid, label, p))`` for an entity (not a
    Paper), written out directly: a hub entity lists thousands of papers, and
    a day's update renders again every hub it touches."""
    if label == "Result":  # few triples, no paper lists: the generic block
        return turtle_block(node_triples(uid, label, p))
    iri = _ttl_iri
    name = _ttl_term(*_text(p["name"]))
    out = [f"{iri(_iri_of(uid))} {_T_TYPE} {iri(_V.classes[label])} ;\n    {_T_LABEL} {name} ;\n    {_T_NAME} {name}"]
    out += [f" ;\n    {_T_ALTERNATE} {_ttl_term(*_text(a))}" for a in p.get("aliases") or []]
    out.append(_paper_refs(_T_MENTIONED, p.get("papers") or []))
    out.append(" .\n")
    return "".join(out)


#: an arXiv-like id that is its own IRI segment relative to @base (not "." or "..")
_PLAIN_ID = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def _paper_refs(pred: str, pids) -> str:
    """`` ;\n    pred <paper/id>`` for each paper id, as the generic block writes
    them: a hub's papers are most of what an update renders again, so plain
    ids (all real ones) are joined in one go instead of IRI by IRI."""
    if not pids:
        return ""
    if all(map(_PLAIN_ID.fullmatch, pids)):
        head = f" ;\n    {pred} <paper/"
        return head + (">" + head).join(pids) + ">"
    return "".join(f" ;\n    {pred} {_ttl_iri(_iri_of('paper:' + pid))}" for pid in pids)


_T_TYPE, _T_STATEMENT, _T_SUBJECT, _T_PREDICATE, _T_OBJECT, _T_CONFIDENCE, _T_PAPER, _T_EVIDENCE, _T_DERIVED = (
    _PNAME[v] for v in (_V.type, _V.statement, _V.subject, _V.predicate, _V.object, _V.confidence, _V.paper,
                        _V.evidence, _V.derived))
_T_LABEL, _T_NAME, _T_ALTERNATE, _T_MENTIONED = (_ttl_iri(v) for v in (_V.label, _V.name, _V.alternate_name,
                                                                        _V.mentioned_in))


@register_format
class TurtleFormat(ElementFormat):
    """graph.ttl for large graphs: one block per element (the pretty whole-graph
    serializer needs every triple in memory first)."""

    name = "ttl"

    def layout(self, schema):
        return {"": ["ttl"]}

    def sections_of(self, el, schema):
        return ["ttl"]

    def header(self, section, schema) -> bytes:
        lines = [f"@base <{_BASE}> .\n"] + [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
        return "".join(lines).encode("utf-8")

    def render(self, el, section, schema) -> bytes:
        if el.is_node and el.label == "Paper":
            return turtle_block(node_triples(el.uid, el.label, el.props)).encode("utf-8")
        if el.is_node:
            return turtle_entity(el.uid, el.label, el.props).encode("utf-8")
        return turtle_edge(el.uid, el.label, el.tail, el.props).encode("utf-8")


def write_rdf(kg, path: str, fmt: str = "turtle") -> None:
    """Write Turtle / N-Triples with pyoxigraph's serializer (no rdflib per-triple
    overhead; streamed line by line for large graphs), JSON-LD with rdflib and
    schemas/context.jsonld."""
    if fmt == "nt":
        write_ntriples_stream(kg, path)
        return
    if fmt == "turtle" and kg.g.number_of_nodes() + kg.g.number_of_edges() > STREAM_ABOVE:
        write_indexed(TurtleFormat(), kg, path)
        return
    if fmt in ("turtle", "nt"):
        import pyoxigraph as ox
        def term(kind, v, dt):
            if kind == IRI:
                return ox.NamedNode(v)
            if dt and dt[0] == "@":
                return ox.Literal(v, language=dt[1:])
            return ox.Literal(v, datatype=ox.NamedNode(dt) if dt else None)
        data = (ox.Triple(ox.NamedNode(s), ox.NamedNode(p), term(*o)) for s, p, o in triples(kg))
        ox_fmt = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        ox.serialize(data, output=path, format=ox_fmt, **({"prefixes": PREFIXES} if fmt == "turtle" else {}))
        return
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
