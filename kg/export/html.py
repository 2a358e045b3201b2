"""graph.html: an offline pyvis view (vis-network inlined)."""
from __future__ import annotations

import html

from . import register_writer

__all__ = ["write_html", "TYPE_STYLE"]

TYPE_STYLE = {
    "Paper": ("#4e79a7", "box"),
    "Method": ("#f28e2b", "dot"),
    "Benchmark": ("#59a14f", "diamond"),
    "Dataset": ("#76b7b2", "triangle"),
    "Organization": ("#e15759", "star"),
}


def _tooltip(labels, p) -> str:
    if labels[0] == "Paper":
        lines = [p.get("title", ""), f"arXiv {p['arxiv_id']}", p.get("url", ""), p.get("hf_url", ""),
                 "reviewed: " + ", ".join(p.get("review_dates") or [])]
    else:
        lines = [f"{labels[0]}: {p.get('name', '')}", "aliases: " + ", ".join(p.get("aliases") or []),
                 "papers: " + ", ".join(p.get("papers") or [])]
    return "\n".join(lines)


@register_writer("html", "graph.html")
def write_html(kg, path: str, *, height: str = "800px") -> None:
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for uid, labels, p in kg.nodes():
        color, shape = TYPE_STYLE.get(labels[0], ("#999999", "dot"))
        label = p.get("name") or p.get("arxiv_id") or uid
        if labels[0] == "Paper":
            label = (p.get("title") or label)[:40]
        net.add_node(uid, label=html.escape(label), title=html.escape(_tooltip(labels, p)), color=color,
                     shape=shape, group=labels[0])
    for h, label, t, p in kg.edges():
        tip = f"{label} (confidence {p['confidence']})\n" + "\n".join(p["evidence"][:2])
        net.add_edge(h, t, label=label, title=html.escape(tip))
    net.toggle_physics(kg.g.number_of_nodes() <= 1500)
    html_text = net.generate_html()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(html_text)
