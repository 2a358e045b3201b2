"""The whole-graph view: one offline page that draws every node with WebGL.

pyvis (vis-network on a canvas) stalls past ~1.5k nodes, so a whole build is
drawn with sigma.js 3 on graphology, both inlined from ``static/`` (MIT,
licences beside them): nothing is fetched. Positions and communities are
computed in Python (:mod:`kg.layout`) so the page opens drawn, with no
layout running in the browser.

The page carries, per node, what its panel shows: type, name, aliases,
papers (as arXiv and Hugging Face links) and, per relationship, its type,
confidence and first evidence; search runs over every node's name, aliases,
title and arXiv id, including nodes hidden by a filter (a hit is shown).
Text reaches the page only as JSON inside a script (``<``, ``>``, ``&``
escaped) and the DOM only through ``textContent``.
"""
from __future__ import annotations

import math
import os
import re
from functools import lru_cache

from .html import EDGE_STYLE, TYPE_STYLE, _script_json

__all__ = ["render_webgl", "write_webgl", "page_data", "PALETTE"]

#: community colours (Tableau 10 and lighter tints); communities past these reuse them
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63", "#d4a6c8", "#d7b5a6"]
_EVIDENCE_CHARS = 200
_PAPERS_SHOWN = 12


@lru_cache(maxsize=1)
def _scripts() -> str:
    here = os.path.join(os.path.dirname(__file__), "static")
    out = []
    for name in ("graphology.umd.min.js", "sigma.min.js"):
        with open(os.path.join(here, name), encoding="utf-8") as fh:
            out.append(f"<script>{fh.read()}</script>")  # minified builds contain no "</script"
    return "\n".join(out)


def _label(label: str, p: dict, uid: str) -> str:
    if label == "Paper":
        return p.get("title") or p.get("arxiv_id") or uid
    if label == "Result":
        return f"{p['value']:g}{p.get('unit') or ''} {p.get('benchmark', '')}"
    return p.get("name") or uid


def page_data(kg, uids=None, seed: int = 0) -> dict:
    """What the page draws, as compact arrays: nodes ``[id, label, type, x, y, size,
    community, degree]``, relationships ``[head, tail, type, confidence, evidence]``
    (indexes into the node and type lists) and per node its search terms and papers."""
    from ..layout import layout
    G = kg.g if uids is None else kg.g.subgraph(uids)
    L = layout(G, seed=seed)
    at = {u: i for i, u in enumerate(L.nodes)}
    types = list(TYPE_STYLE)
    rels = list(EDGE_STYLE)
    nodes, terms, papers = [], [], []
    for i, u in enumerate(L.nodes):
        label, p = G.nodes[u]["labels"][0], G.nodes[u]["properties"]
        if label not in types:
            types.append(label)
        deg = G.degree(u)
        nodes.append([u, _label(label, p, u), types.index(label), round(float(L.x[i]), 2), round(float(L.y[i]), 2),
                      round(2 + 1.6 * math.sqrt(deg), 1), int(L.community[i]), deg])
        terms.append([s for s in {p.get("name"), p.get("title"), p.get("arxiv_id"), *(p.get("aliases") or [])} if s])
        own = [p["arxiv_id"]] if label == "Paper" and p.get("arxiv_id") else list(p.get("papers") or [])
        papers.append(own[:_PAPERS_SHOWN] + ([f"+{len(own) - _PAPERS_SHOWN}"] if len(own) > _PAPERS_SHOWN else []))
    edges = []
    for h, t, key, d in G.edges(keys=True, data=True):
        if key not in rels:
            rels.append(key)
        p = d["properties"]
        ev = (p.get("evidence") or [""])[0][:_EVIDENCE_CHARS]
        edges.append([at[h], at[t], rels.index(key), p.get("confidence"), ev])
    return {"types": types, "type_colours": [TYPE_STYLE.get(t, ("#999999",))[0] for t in types],
            "rels": rels, "nodes": nodes, "edges": edges, "terms": terms, "papers": papers, "palette": PALETTE}


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg: whole graph</title>
<style>
 html, body { margin: 0; height: 100%; font: 13px sans-serif; }
 #kg-sigma { position: absolute; inset: 0 360px 0 0; background: #fff; }
 #kg-side { position: absolute; top: 0; right: 0; bottom: 0; width: 350px; overflow: auto; padding: 8px;
   border-left: 1px solid #ccc; background: #fafafa; box-sizing: border-box; }
 #kg-side h3 { margin: 6px 0 2px; font-size: 14px; }
 #kg-hits div, #kg-neighbours div { cursor: pointer; }
 #kg-hits div:hover, #kg-neighbours div:hover { text-decoration: underline; }
 .kg-ev { color: #555; font-size: 12px; margin-left: 10px; }
</style></head>
<body>
<div id="kg-sigma"></div>
<div id="kg-side">
 <input id="kg-search" type="search" placeholder="search every node: name, alias, title, arXiv id" style="width:250px">
 <button id="kg-go">find</button>
 <div id="kg-hits"></div>
 <div id="kg-legend" style="margin-top:6px"></div>
 <label><input id="kg-lone" type="checkbox"> show nodes without relationships</label><br>
 <label>colour by <select id="kg-colour"><option value="community">community</option>
   <option value="type">type</option></select></label>
 <div id="kg-note" style="margin-top:6px;color:#555"></div>
 <div id="kg-panel"></div>
</div>
__SCRIPTS__
<script>
(function () {
  var D = __DATA__, NOTE = __NOTE__;
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  function link(text, href) { var a = el("a", text); a.href = href; a.target = "_blank"; a.rel = "noopener"; return a; }
  var graph = new graphology.MultiDirectedGraph();
  var shown = {}, lone = false, colourBy = "community", selected = null, near = null;
  D.types.forEach(function (t) { shown[t] = true; });
  // long titles are shortened on the canvas (labels must not run over each other); the panel has them whole
  function short(s) { return s.length > 42 ? s.slice(0, 40) + "\u2026" : s; }
  D.nodes.forEach(function (n, i) {
    graph.addNode(n[0], {x: n[3], y: n[4], size: n[5], label: short(n[1]), full: n[1], i: i,
                         community: n[6], kgtype: D.types[n[2]], degree: n[7]});
  });
  D.edges.forEach(function (e, i) {
    graph.addEdgeWithKey("e" + i, D.nodes[e[0]][0], D.nodes[e[1]][0], {i: i, size: 0.6, color: "#ccc"});
  });
  function colour(a) {
    return colourBy === "type" ? D.type_colours[D.types.indexOf(a.kgtype)]
      : a.community < 0 ? "#bbbbbb" : D.palette[a.community % D.palette.length];
  }
  function visible(id, a) {
    return id === selected || (shown[a.kgtype] && (lone || a.degree > 0));
  }
  var renderer = new Sigma(graph, document.getElementById("kg-sigma"), {
    labelRenderedSizeThreshold: 7, labelDensity: 0.5, labelGridCellSize: 120, hideEdgesOnMove: true, zIndex: true,
    nodeReducer: function (id, a) {
      var r = Object.assign({}, a, {color: colour(a)});
      if (!visible(id, a)) r.hidden = true;
      if (near && !near[id]) { r.color = "#e8e8e8"; r.label = ""; r.zIndex = 0; }
      if (id === selected) { r.highlighted = true; r.zIndex = 2; r.forceLabel = true; }
      return r;
    },
    edgeReducer: function (id, a) {
      var ends = graph.extremities(id), r = Object.assign({}, a);
      if (!visible(ends[0], graph.getNodeAttributes(ends[0])) || !visible(ends[1], graph.getNodeAttributes(ends[1])))
        r.hidden = true;
      else if (near) { if (ends[0] === selected || ends[1] === selected) { r.color = "#555"; r.size = 1.5; }
                       else r.hidden = true; }
      return r;
    }
  });
  window.kgRenderer = renderer; window.kgGraph = graph;
  // legend: one checkbox per type, with counts
  var counts = {};
  D.nodes.forEach(function (n) { counts[D.types[n[2]]] = (counts[D.types[n[2]]] || 0) + 1; });
  var legend = document.getElementById("kg-legend");
  D.types.forEach(function (t, k) {
    var lab = el("label"); lab.style.marginRight = "8px"; lab.style.whiteSpace = "nowrap";
    var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.className = "kg-type"; cb.value = t;
    var sw = el("span", "\\u25CF "); sw.style.color = D.type_colours[k];
    lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(document.createTextNode(t + " (" + (counts[t] || 0) + ")"));
    legend.appendChild(lab);
    cb.addEventListener("change", function () { shown[t] = cb.checked; renderer.refresh(); });
  });
  document.getElementById("kg-lone").addEventListener("change", function (e) { lone = e.target.checked; renderer.refresh(); });
  document.getElementById("kg-colour").addEventListener("change", function (e) { colourBy = e.target.value; renderer.refresh(); });
  document.getElementById("kg-note").textContent = NOTE;
  // search over every node, drawn or not: exact names through a map, else a substring scan
  var index = D.nodes.map(function (n, i) {
    return [n[1]].concat(D.terms[i]).map(function (s) { return String(s).toLowerCase(); });
  });
  var exactly = new Map();
  index.forEach(function (terms, i) {
    terms.forEach(function (s) { var l = exactly.get(s); if (!l) exactly.set(s, l = []); if (l.indexOf(i) < 0) l.push(i); });
  });
  window.kgSearch = function (q, exactOnly) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = (exactly.get(q) || []).slice();
    if (hits.length < 50 && !exactOnly) for (var i = 0; i < index.length && hits.length < 50; i++) {
      if (hits.indexOf(i) < 0 && index[i].some(function (s) { return s.indexOf(q) >= 0; })) hits.push(i);
    }
    return hits.map(function (i) { return D.nodes[i][0]; });
  };
  function find() {
    var hits = window.kgSearch(document.getElementById("kg-search").value), box = document.getElementById("kg-hits");
    box.textContent = "";
    if (!hits.length) { select(null); box.textContent = "not found"; return; }
    select(hits[0]);
    if (hits.length > 1) hits.slice(0, 12).forEach(function (id) {
      var a = graph.getNodeAttributes(id), row = el("div", a.full + " (" + a.kgtype + ")");
      row.className = "kg-hit"; row.addEventListener("click", function () { select(id); }); box.appendChild(row);
    });
  }
  document.getElementById("kg-go").addEventListener("click", find);
  document.getElementById("kg-search").addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });
  renderer.on("clickNode", function (e) { select(e.node); });
  renderer.on("clickStage", function () { select(null); });
  function select(id) {
    selected = id; near = null; window.kgSelected = id;
    var panel = document.getElementById("kg-panel"); panel.textContent = "";
    if (id === null) { renderer.refresh(); return; }
    near = {}; near[id] = true;
    graph.forEachNeighbor(id, function (m) { near[m] = true; });
    renderer.refresh();
    var pos = renderer.getNodeDisplayData(id);
    if (pos) renderer.getCamera().animate({x: pos.x, y: pos.y, ratio: 0.08}, {duration: 300});
    showPanel(id, panel);
  }
  function showPanel(id, panel) {
    var a = graph.getNodeAttributes(id), i = a.i;
    panel.appendChild(el("h3", a.full));
    panel.appendChild(el("div", a.kgtype + " \\u00b7 " + a.degree + " relationship(s)" +
      (a.community >= 0 ? " \\u00b7 community " + a.community : "")));
    var names = D.terms[i].filter(function (s) { return s !== a.full; });
    if (names.length) panel.appendChild(el("div", "also: " + names.join(", ")));
    var papers = el("div"); papers.id = "kg-papers";
    D.papers[i].forEach(function (p) {
      if (p.charAt(0) === "+") { papers.appendChild(el("div", p + " more")); return; }
      var row = el("div", p + " ");
      row.appendChild(link("arXiv", "https://arxiv.org/abs/" + encodeURIComponent(p)));
      row.appendChild(document.createTextNode(" "));
      row.appendChild(link("Hugging Face", "https://huggingface.co/papers/" + encodeURIComponent(p)));
      papers.appendChild(row);
    });
    if (D.papers[i].length) { panel.appendChild(el("h3", "papers")); panel.appendChild(papers); }
    var list = el("div"); list.id = "kg-neighbours"; var n = 0;
    graph.forEachEdge(id, function (eid, ea, src, dst) {
      if (n++ >= 200) return;
      var e = D.edges[ea.i], other = src === id ? dst : src, oa = graph.getNodeAttributes(other);
      var row = el("div", (src === id ? "\\u2192 " : "\\u2190 ") + D.rels[e[2]] + " " + oa.full + " (" + oa.kgtype + ")" +
        (e[3] !== null && e[3] !== undefined ? " \\u00b7 confidence " + e[3] : ""));
      row.addEventListener("click", function () { select(other); });
      list.appendChild(row);
      if (e[4]) list.appendChild(el("div", e[4])).className = "kg-ev";
    });
    if (n) { panel.appendChild(el("h3", "relationships")); panel.appendChild(list); }
  }
  window.kgSelect = select;
  window.kgReady = true;
})();
</script>
</body></html>
"""


def render_webgl(kg, uids=None, note: str = "") -> str:
    """The whole-graph page of ``kg`` (or of ``uids``), as a string."""
    data = page_data(kg, uids)
    lone = sum(1 for n in data["nodes"] if n[7] == 0)
    note = (note + " " if note else "") + f"{len(data['nodes'])} nodes, {len(data['edges'])} relationships" + \
        (f"; {lone} without relationships are hidden (tick the box to show them)" if lone else "")
    fill = {"SCRIPTS": _scripts(), "NOTE": _script_json(note), "DATA": _script_json(data)}
    return re.sub(r"__(SCRIPTS|NOTE|DATA)__", lambda m: fill[m.group(1)], _PAGE)  # one pass: data is never re-read


def write_webgl(kg, path: str, uids=None, note: str = "") -> None:
    """Write :func:`render_webgl` to ``path`` (its folder is created)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    html = render_webgl(kg, uids, note)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(html)
