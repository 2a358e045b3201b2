"""graph.html: an offline pyvis view (vis-network inlined) with a legend,
a search box, type filters and rich tooltips.

Text safety: pyvis embeds node data with Jinja's ``tojson`` (``<``, ``>``,
``&`` escaped inside the script) and vis-network 9 shows string tooltips as
text, so names like ``</script>`` or ``<img onerror=…>`` display and never run.
Our own panel builds DOM nodes with ``textContent`` only.
"""
from __future__ import annotations

import functools
import json
import os
import re

from . import register_writer

__all__ = ["write_html", "render_html", "preload", "page", "node_fragment", "edge_fragment", "view_fragments",
           "save_fragments", "FRAGMENTS", "TYPE_STYLE", "EDGE_STYLE"]

TYPE_STYLE = {
    "Paper": ("#4e79a7", "box"),
    "Method": ("#f28e2b", "dot"),
    "Benchmark": ("#59a14f", "diamond"),
    "Dataset": ("#76b7b2", "triangle"),
    "Organization": ("#e15759", "star"),
    "Result": ("#edc948", "square"),
}
#: relationship type → (colour, dashed): VARIANT_OF, read from names rather than stated, is dashed
EDGE_STYLE = {
    "PROPOSED_BY": ("#9c755f", False),
    "EVALUATED_ON": ("#59a14f", False),
    "IMPROVES_ON": ("#e15759", False),
    "BASED_ON": ("#f28e2b", False),
    "VARIANT_OF": ("#b07aa1", True),
    "REPORTS": ("#bab0ac", False),
    "MEASURED_ON": ("#edc948", False),
    "ACHIEVES": ("#edc948", False),
}


def _tooltip(labels, p) -> str:
    if labels[0] == "Paper":
        lines = [p.get("title", ""), f"arXiv {p['arxiv_id']}", f"arxiv.org: {p.get('url', '')}",
                 f"huggingface: {p.get('hf_url', '')}", "reviewed: " + ", ".join(p.get("review_dates") or [])]
        if p.get("cites"):
            lines.append(f"cites ({len(p['cites'])}): " + ", ".join(p["cites"][:8]) + (" …" if len(p["cites"]) > 8 else ""))
    else:
        papers = p.get("papers") or []
        lines = [f"{labels[0]}: {p.get('name', '')}"]
        if p.get("aliases"):
            lines.append("aliases: " + ", ".join(p["aliases"]))
        lines.append(f"papers ({len(papers)}): " + ", ".join(papers[:8]) + (" …" if len(papers) > 8 else ""))
        lines += [f"https://huggingface.co/papers/{x}" for x in papers[:3]]
    return "\n".join(lines)


PANEL = """
<div id="kg-panel" style="position:absolute;top:8px;left:8px;z-index:10;background:rgba(255,255,255,.92);
 padding:8px 10px;border:1px solid #ccc;border-radius:6px;font:13px sans-serif;max-width:340px">
 <input id="kg-search" type="search" placeholder="search name / alias / arXiv id" style="width:220px">
 <button id="kg-go">find</button>
 <div id="kg-legend" style="margin-top:6px"></div>
 <div id="kg-edge-legend" style="margin-top:4px"></div>
 <div id="kg-note" style="margin-top:6px;color:#a33"></div>
 <div id="kg-links" style="margin-top:6px"></div>
 <div id="kg-board" style="margin-top:6px;max-height:360px;overflow:auto"></div>
</div>
<script>
(function () {
  var STYLE = __STYLE__, EDGE_STYLE = __EDGE_STYLE__, NOTE = __NOTE__, META = __META__;
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  var legend = document.getElementById("kg-legend");
  Object.keys(STYLE).forEach(function (t) {
    var lab = el("label"); lab.style.marginRight = "8px"; lab.style.whiteSpace = "nowrap";
    var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.className = "kg-type"; cb.value = t;
    var sw = el("span", "\u25A0 "); sw.style.color = STYLE[t][0];
    lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(document.createTextNode(t));
    legend.appendChild(lab);
    cb.addEventListener("change", function () {
      nodes.update(nodes.get({filter: function (n) { return n.kgtype === t; }})
        .map(function (n) { return {id: n.id, hidden: !cb.checked}; }));
    });
  });
  var edgeLegend = document.getElementById("kg-edge-legend");
  Object.keys(EDGE_STYLE).forEach(function (t) {
    var lab = el("label"); lab.style.marginRight = "8px"; lab.style.whiteSpace = "nowrap";
    var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.className = "kg-rel"; cb.value = t;
    var sw = el("span", EDGE_STYLE[t][1] ? "\u2504 " : "\u2500 "); sw.style.color = EDGE_STYLE[t][0];
    lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(document.createTextNode(t));
    edgeLegend.appendChild(lab);
    cb.addEventListener("change", function () {
      edges.update(edges.get({filter: function (e) { return e.label === t; }})
        .map(function (e) { return {id: e.id, hidden: !cb.checked}; }));
    });
  });
  document.getElementById("kg-note").textContent = NOTE;
  function find() {
    var q = document.getElementById("kg-search").value.trim().toLowerCase();
    if (!q) return;
    var hit = nodes.get().find(function (n) {
      var m = META[n.id] || [];
      return m.some(function (s) { return s.toLowerCase() === q; });
    }) || nodes.get().find(function (n) {
      return (META[n.id] || []).some(function (s) { return s.toLowerCase().indexOf(q) >= 0; });
    });
    var links = document.getElementById("kg-links"); links.textContent = "";
    if (!hit) {  // nothing drawn matches: say so, and leave no earlier hit selected
      network.unselectAll(); window.kgFocused = null;
      document.getElementById("kg-board").textContent = ""; links.textContent = "not found in this view"; return;
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.4, animation: false});
    show(hit.id);
  }
  function link(text, href) {
    var a = el("a", text); a.href = href; a.target = "_blank"; a.rel = "noopener"; return a;
  }
  function show(id) {
    window.kgFocused = id;
    var links = document.getElementById("kg-links"); links.textContent = "";
    (META[id + "#papers"] || []).slice(0, 6).forEach(function (p) {
      links.appendChild(link("hf:" + p, "https://huggingface.co/papers/" + encodeURIComponent(p)));
      links.appendChild(document.createTextNode(" "));
      links.appendChild(link("arXiv:" + p, "https://arxiv.org/abs/" + encodeURIComponent(p)));
      links.appendChild(el("br"));
    });
    board(id);
  }
  // a benchmark's leaderboard, from the Result nodes drawn here (MEASURED_ON it)
  function holder(r, rid) {
    if (r.method) return r.method;
    var own = edges.get({filter: function (e) { return e.label === "PROPOSED_BY" && e.to === "paper:" + r.paper; }})
      .map(function (e) { var m = nodes.get(e.from); return m ? m.label : null; }).filter(Boolean).sort();
    return own.length ? own[0] : "paper " + r.paper;
  }
  function board(id) {
    var box = document.getElementById("kg-board"); box.textContent = "";
    var n = nodes.get(id);
    if (!n || (n.kgtype !== "Benchmark" && n.kgtype !== "Dataset")) return;
    var rows = edges.get({filter: function (e) { return e.label === "MEASURED_ON" && e.to === id; }})
      .map(function (e) { var r = nodes.get(e.from); return r && r.kgresult ? [r.kgresult, r.id] : null; })
      .filter(Boolean).map(function (x) { return Object.assign({who: holder(x[0], x[1])}, x[0]); });
    if (!rows.length) return;
    var dirs = {};
    rows.forEach(function (r) { if (r.dir) dirs[r.dir] = (dirs[r.dir] || 0) + 1; });
    var dir = Object.keys(dirs).sort(function (a, b) { return dirs[b] - dirs[a]; })[0] || null;
    rows.sort(function (a, b) {
      return dir === "higher" ? b.value - a.value : dir === "lower" ? a.value - b.value : (a.paper < b.paper ? -1 : 1);
    });
    box.appendChild(el("b", "Leaderboard: " + n.label));
    box.appendChild(el("div", rows.length + " result(s) drawn here, " +
      (dir ? dir + " is better" : "metric direction unknown: not ranked") + "; kg leaderboard lists all"));
    var table = el("table"); table.id = "kg-board-table"; table.style.borderCollapse = "collapse";
    var head = el("tr");
    ["#", "method", "score", "metric", "paper"].forEach(function (h) { head.appendChild(el("th", h)); });
    table.appendChild(head);
    rows.slice(0, 10).forEach(function (r, i) {
      var tr = el("tr");
      tr.appendChild(el("td", dir ? String(i + 1) : ""));
      tr.appendChild(el("td", r.who));
      tr.appendChild(el("td", r.value + (r.unit || "")));
      tr.appendChild(el("td", r.metric || ""));
      var td = el("td"); td.appendChild(link(r.paper, "https://arxiv.org/abs/" + encodeURIComponent(r.paper)));
      tr.appendChild(td); table.appendChild(tr);
    });
    box.appendChild(table);
  }
  network.on("selectNode", function (e) { if (e.nodes.length) show(e.nodes[0]); });
  document.getElementById("kg-go").addEventListener("click", find);
  document.getElementById("kg-search").addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });
  // physics off once the layout has settled (big graphs stall with it on); asking
  // for stabilisation again covers small graphs that settled before this ran
  network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); window.kgStable = true; });
  network.stabilize(300);
})();
</script>
"""


def _script_json(obj) -> str:
    """JSON safe inside <script>: no '<', '>', '&' that could close the tag."""
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _tojson(obj) -> str:
    """JSON as Jinja's ``tojson`` embeds it (what pyvis's template does with nodes and edges)."""
    return json.dumps(obj, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026").replace("'", "\\u0027")


def node_fragment(uid: str, label: str, p: dict) -> tuple[str, str]:
    """One node as the page embeds it: (its vis-network JSON, its search
    entries in META). A page is these fragments joined (:func:`page`), so an
    update re-renders only the nodes that changed."""
    color, shape = TYPE_STYLE.get(label, ("#999999", "dot"))
    shown = p.get("name") or p.get("arxiv_id") or uid
    if label == "Paper":  # wrapped, never cut mid-word: the whole title is in the tooltip
        shown = _wrapped(p.get("title") or shown)
    elif label == "Result":  # "73.2% AIME 2024"
        shown = f"{p['value']:g}{p.get('unit') or ''} {p.get('benchmark', '')}"[:40]
    vis = {"id": uid, "label": shown, "title": _tooltip([label], p), "color": color, "shape": shape, "kgtype": label}
    if label == "Result":  # what the benchmark panel ranks (the page's script reads it)
        vis["kgresult"] = _result_entry(p)
    entries = [shown, p.get("name", ""), p.get("title", ""), p.get("arxiv_id", "")] + list(p.get("aliases") or [])
    meta = f"{_script_json(uid)}: {_script_json(entries)}, " \
           f"{_script_json(uid + '#papers')}: {_script_json(list(p.get('papers') or []))}"
    return _tojson(vis), meta


def _wrapped(title: str, width: int = 30, lines: int = 3) -> str:
    """A title on at most ``lines`` lines of ``width`` characters, an ellipsis if longer."""
    import textwrap
    parts = textwrap.wrap(title, width) or [title]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][:width - 1] + "…"
    return "\n".join(parts)


def _result_entry(p: dict) -> dict:
    """A Result as its benchmark's leaderboard in the page lists it: the score, the metric's
    direction (:func:`kg.pipeline.numbers.metric_direction`), the method named and the paper."""
    from ..pipeline.numbers import metric_direction
    return {"value": p["value"], "unit": p.get("unit") or "", "metric": p.get("metric") or "",
            "dir": metric_direction(p.get("metric")), "method": p.get("method") or "",
            "paper": (p.get("papers") or [""])[0]}


def edge_fragment(h: str, label: str, t: str, p: dict) -> str:
    """One relationship as the page embeds it (vis-network JSON)."""
    tip = f"{label} (confidence {p['confidence']})\n" + "\n".join(p.get("evidence", [])[:3]) + \
          "\n" + ", ".join(p.get("sources", [])[:3])
    if "evidence" not in p:  # a Result's relationship: its evidence is on the Result node
        tip = f"{label} (stated by {', '.join(p.get('papers', [])[:3])})"
    elif p.get("basis"):
        tip = f"{label} (confidence {p['confidence']})\nread from the names ({p['basis']})"
    color, dashed = EDGE_STYLE.get(label, ("#999999", False))
    return _tojson({"from": h, "to": t, "label": label, "title": tip, "arrows": "to", "font": {"size": 9},
                    "color": color, "dashes": dashed})


class _Slot(list):
    """Stands in for the node or edge list while the page template renders:
    the template asks only its length, and its JSON is a marker to fill in."""

    def __init__(self, marker: str, n: int) -> None:
        super().__init__()
        self.marker, self.n = marker, n

    def __len__(self) -> int:
        return self.n


def _dumps(obj, **kw) -> str:
    return obj.marker if isinstance(obj, _Slot) else json.dumps(obj, **kw)


_NODES, _EDGES, _NOTE, _META = "@@kg-nodes@@", "@@kg-edges@@", "@@kg-note@@", "@@kg-meta@@"


@functools.lru_cache(maxsize=8)
def _page_parts(many: bool, height: str) -> tuple[str, ...]:
    """The page around its data, rendered once: pyvis's template (which only
    asks whether there are over 100 nodes), our panel, and markers where the
    nodes, relationships, note and search entries go; split at the markers."""
    from pyvis.network import Network
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    net.templateEnv = _templates()
    net.nodes, net.edges = _Slot(_NODES, 101 if many else 0), _Slot(_EDGES, 0)
    net.set_options(json.dumps({"physics": {"stabilization": {"iterations": 300}},
                                "interaction": {"hover": True, "navigationButtons": False}}))
    html = net.generate_html()
    html = html.replace("<head>", '<head>\n<meta charset="utf-8">', 1)
    # pyvis links Bootstrap from a CDN even with in-line resources; the view does not use it
    html = re.sub(r'<link[^>]+href="https?://[^"]+"[^>]*>|<script[^>]+src="https?://[^"]+"[^>]*>\s*</script>', "", html)
    panel = PANEL.replace("__STYLE__", _script_json(TYPE_STYLE)).replace("__EDGE_STYLE__", _script_json(EDGE_STYLE)) \
        .replace("__NOTE__", _NOTE).replace("__META__", _META)
    html = html.replace("</body>", panel + "\n</body>", 1)
    parts = re.split("(" + "|".join(map(re.escape, (_NODES, _EDGES, _NOTE, _META))) + ")", html)
    if parts[1::2] != [_NODES, _EDGES, _NOTE, _META]:  # each slot once, in this order
        raise RuntimeError("pyvis's page template no longer embeds the nodes and edges once each "
                           "(tojson); graph.html cannot be assembled from fragments")
    return tuple(parts[0::2])


def page(nodes: list[tuple[str, str]], edges: list[str], note: str = "", height: str = "900px") -> str:
    """The HTML page of ``nodes`` (:func:`node_fragment`) and ``edges``
    (:func:`edge_fragment`), in the order given."""
    p = _page_parts(len(nodes) > 100, height)
    return "".join((p[0], "[", ", ".join(n for n, _ in nodes), "]", p[1], "[", ", ".join(edges), "]",
                    p[2], _script_json(note), p[3], "{", ", ".join(m for _, m in nodes), "}", p[4]))


@functools.lru_cache(maxsize=1)
def _templates():
    """One Jinja environment for every view: pyvis makes a new one per network,
    which compiles its page template again (~0.1 s) each time."""
    import pyvis
    from jinja2 import Environment, FileSystemLoader
    env = Environment(loader=FileSystemLoader(os.path.join(os.path.dirname(pyvis.__file__), "templates")))
    env.policies["json.dumps_function"] = _dumps
    return env


def preload() -> None:
    """Import pyvis and render its page template now: an in-place update does
    this while it waits for extraction, and its forked view inherits both."""
    for many in (False, True):
        _page_parts(many, "900px")


def view_fragments(kg, uids) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """The fragments of the view of ``uids``: nodes by uid in the graph's
    order, relationships by :func:`~kg.export.elements.edge_key`, sorted."""
    from .elements import edge_key
    nodes = {uid: node_fragment(uid, labels[0], p) for uid, labels, p in kg.nodes() if uid in uids}
    edges = {edge_key(h, label, t): (h, label, t, p) for h, label, t, p in kg.edges() if h in uids and t in uids}
    return nodes, {k: edge_fragment(*edges[k]) for k in sorted(edges)}


def _view(kg, uids, note: str) -> tuple[dict, dict, str]:
    """(node fragments, relationship fragments, note) of ``uids``, by default
    the whole graph or its top-degree part (:func:`kg.views.default_view`)."""
    from ..views import default_view
    if uids is None:
        uids, note = default_view(kg)
    return (*view_fragments(kg, uids), note)


def render_html(kg, uids=None, note: str = "", height: str = "900px") -> str:
    nodes, edges, note = _view(kg, uids, note)
    return page(list(nodes.values()), list(edges.values()), note, height)


#: beside the build state, the default view's fragments, for the next in-place update
FRAGMENTS = "html.frag"


@register_writer("html", "graph.html")
def write_html(kg, path: str, uids=None, note: str = "") -> None:
    """The view as a page; a build keeping a state (``kg.index_dir``) keeps
    its fragments too, so an update re-renders only what changed."""
    nodes, edges, note = _view(kg, uids, note)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(page(list(nodes.values()), list(edges.values()), note))
    if getattr(kg, "index_dir", None):
        save_fragments(os.path.join(kg.index_dir, FRAGMENTS), nodes, edges)


def save_fragments(path: str, nodes: dict, edges: dict) -> None:
    """Keep a view's fragments (nodes by uid, relationships by key) at ``path``."""
    from .elements import save_index
    os.makedirs(os.path.dirname(path), exist_ok=True)  # a writer may run before the state is created
    save_index(path, (nodes, edges))
