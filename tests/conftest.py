import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: the real reviews and gold (../shared beside the project); KG_SHARED points elsewhere, and a
#: missing folder makes the tests that need it skip
SHARED = os.environ.get("KG_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
EXAMPLES = os.path.join(ROOT, "examples")


def run_kg(*args, cwd=None):
    """Run ``python -m kg`` as a user would; returns CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd or ROOT,
                          timeout=600)


@pytest.fixture(scope="session")
def examples_graph():
    import kg
    return kg.build([EXAMPLES])


@pytest.fixture(scope="session")
def examples_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("examples_out")
    r = run_kg("build", EXAMPLES, "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


needs_shared = pytest.mark.skipif(not os.path.isdir(os.path.join(SHARED, "seeds")),
                                  reason="../shared (seeds, corpus, gold) not present")

#: every node and relationship of an embedded database with its properties, in a fixed order
LBDB_QUERIES = (
    "MATCH (n) RETURN n.uid, n.name, n.title, n.papers, n.aliases, n.sources, n.reviews ORDER BY n.uid",
    "MATCH (a)-[e]->(b) RETURN a.uid, label(e), b.uid, e.papers, e.evidence, e.sources, e.confidence "
    "ORDER BY a.uid, label(e), b.uid",
)
