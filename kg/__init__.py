"""kg: knowledge graphs from AI paper reviews.

>>> import kg
>>> g = kg.build(["examples"])   # doctest: +SKIP
>>> nxg = g.to_networkx(); rdf = g.to_rdflib()   # doctest: +SKIP
"""
from .build import build
from .graph import KnowledgeGraph

__all__ = ["build", "KnowledgeGraph", "__version__"]
__version__ = "0.1.0"
