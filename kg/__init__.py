"""kg: knowledge graphs from AI paper reviews.

>>> import kg
>>> g = kg.build(["examples"])   # doctest: +SKIP
>>> nxg = g.to_networkx(); rdf = g.to_rdflib()   # doctest: +SKIP

The facade (``kg.build``, ``kg.KnowledgeGraph``) is imported on first use,
not with the package: the ``kg`` command's start-up, and the extraction
process it starts ahead of an update, should not wait for networkx and the
writers.
"""
from __future__ import annotations

import sys
import types

__all__ = ["build", "KnowledgeGraph", "__version__"]
__version__ = "0.1.0"


class _Package(types.ModuleType):
    """``kg`` with its facade as properties. ``kg.build`` is the function even
    after the submodule ``kg.build`` is imported (the import system then sets
    the package attribute to the submodule; the setter keeps the function)."""

    @property
    def build(self):
        from .build import build
        return build

    @build.setter
    def build(self, _submodule) -> None:
        pass

    @property
    def KnowledgeGraph(self):
        from .graph import KnowledgeGraph
        return KnowledgeGraph


sys.modules[__name__].__class__ = _Package
