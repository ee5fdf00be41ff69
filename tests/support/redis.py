"""A Redis server of a test's own, on a free port, that the test may stop and start again."""

import contextlib
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis


class RedisServer:
    """``redis-server`` in a subprocess, without persistence, bound to 127.0.0.1."""

    def __init__(self, folder: Path):
        binary = shutil.which("redis-server")
        if binary is None:  # CI installs it with the service; a missing one fails, never skips
            raise RuntimeError("redis-server is not on PATH; the outage tests need one")
        self.binary = binary
        self.folder = folder
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"redis-server on port {self.port} did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server must wake to hear TERM
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def keys(self) -> int:
        return redis.Redis(port=self.port).dbsize()


@contextlib.contextmanager
def own_redis_server(folder: Path) -> Iterator[RedisServer]:
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


_used_ports: set[int] = set()


def _free_port() -> int:
    # Never the port of an earlier server of this run: the cache remembers, per address, that
    # a Redis there was down, and a new server must not inherit that.
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in _used_ports:
            _used_ports.add(port)
            return port
