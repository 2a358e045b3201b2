"""Regenerate notebooks/explore.ipynb (kept as code so the notebook stays reviewable)."""
import os

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("# Exploring a kg build\n\nBuilds the graph of `../shared/seeds` when it is present, "
                             "else of the bundled `examples/`, then queries it with SPARQL and Cypher, "
                             "analyses it with networkx and shows an interactive view. Tables are pandas "
                             "DataFrames (`pip install 'kg[pandas]'`)."),
    nbf.v4.new_code_cell("import os, kg\nSRC = '../../shared/seeds' if os.path.isdir('../../shared/seeds') else '../examples'\n"
                         "g = kg.build([SRC])\nOUT = 'out_notebook'\ng.write(OUT)\n"
                         "from kg.build import summary_text\nprint(summary_text(g.report))"),
    nbf.v4.new_markdown_cell("## SPARQL (embedded Oxigraph)"),
    nbf.v4.new_code_cell("from IPython.display import display\nfrom kg.query import sparql_df, cypher_df\n"
                         "from kg.query.sparql import example_queries\n"
                         "for name in ('top_benchmarks', 'orgs_by_papers', 'papers_per_month'):\n"
                         "    print('==', name)\n    display(sparql_df(OUT, example_queries()[name]).head(10))"),
    nbf.v4.new_markdown_cell("## Cypher (embedded database written by the build)"),
    nbf.v4.new_code_cell("from kg.query.cypher import example_cypher\n"
                         "for name, q in list(example_cypher().items())[:3]:\n"
                         "    print('==', name)\n    display(cypher_df(OUT, q).head(10))"),
    nbf.v4.new_markdown_cell("## The whole graph as DataFrames"),
    nbf.v4.new_code_cell("nodes, rels = g.to_pandas()\ndisplay(nodes['label'].value_counts())\n"
                         "display(rels['type'].value_counts())"),
    nbf.v4.new_markdown_cell("## Analysis (networkx)"),
    nbf.v4.new_code_cell("import kg.analysis as ka\nG = g.to_networkx()\nt = ka.summary_tables(G)\n"
                         "print('most-evaluated benchmarks:', t['top_benchmarks'][:8])\n"
                         "print('most-active organisations:', t['top_organizations'][:8])\n"
                         "print('longest improves-on chains:', t['lineage']['longest'])\n"
                         "print('cycles:', t['lineage']['cycles'])\nfor row in t['timeline']:\n    print(row)"),
    nbf.v4.new_code_cell("from IPython.display import Image\nfor path in ka.write_plots(G, 'plots'):\n"
                         "    display(Image(path))"),
    nbf.v4.new_markdown_cell("## Reported scores: a leaderboard and the state of the art over time"),
    nbf.v4.new_code_cell("scored = ka.most_scored_benchmarks(G, 5)\nprint('most-scored benchmarks:', scored)\n"
                         "if scored:\n    bench = scored[0][0]\n"
                         "    display(g.leaderboard(bench).head(10))\n"
                         "    ka.plot_sota(G, bench, 'sota.png')\n    display(Image('sota.png'))"),
    nbf.v4.new_markdown_cell("## Interactive view"),
    nbf.v4.new_code_cell("from IPython.display import IFrame\nfrom kg import views\nfrom kg.export.html import write_html\n"
                         "uids, note = views.top_n(g, 60)\nwrite_html(g, 'view.html', uids, note)\n"
                         "IFrame('view.html', width='100%', height=600)"),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
nbf.write(nb, os.path.join(os.path.dirname(os.path.abspath(__file__)), "explore.ipynb"))
