"""Characters that some output formats cannot carry, defined once for the
reader that warns of them and the writer that replaces them.

XML 1.0 allows tab, line feed, carriage return and everything from U+0020 up,
except the surrogates and U+FFFE/U+FFFF. graph.graphml shows the others as
U+FFFD; Turtle, N-Triples, JSON-LD, CSV and JSON keep them (escaped).
"""
from __future__ import annotations

import re

__all__ = ["NOT_XML"]

#: characters XML 1.0 cannot carry, even as character references
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
