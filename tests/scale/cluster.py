"""Three `sandbox serve` processes behind a real nginx running the shipped config (deploy/nginx/), for the
scale test and `bench/replicas.py`."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "nginx"
START_TIMEOUT = 30.0


def find_nginx() -> str | None:
    """nginx on PATH or in the sbin directories Debian puts it in (not on a normal user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    for candidate in ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: object, what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} not ready within {timeout:.0f} s")


def render_nginx(ports: list[int], listen: int, workdir: Path) -> Path:
    """nginx.conf for this machine: the shipped routing.conf as is, sandbox.conf with the replicas' and the
    listening ports put in place of the compose service names, and private paths for pid, logs and temp files."""
    site = (DEPLOY / "sandbox.conf").read_text()
    servers = re.findall(r"^\s*server sandbox-\d+:8080\b[^;]*;", site, flags=re.MULTILINE)
    if len(servers) != len(ports):
        raise ValueError(f"deploy/nginx/sandbox.conf names {len(servers)} replicas, not {len(ports)}")
    for line, port in zip(servers, ports, strict=True):  # lengths checked just above
        site = site.replace(line, re.sub(r"sandbox-\d+:8080", f"127.0.0.1:{port}", line), 1)
    site, listens = re.subn(r"^(\s*)listen 8080;", rf"\g<1>listen 127.0.0.1:{listen};", site, flags=re.MULTILINE)
    if listens != 1:
        raise ValueError("deploy/nginx/sandbox.conf has no `listen 8080;` line")
    temp = workdir / "temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers that may read this private directory
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    access_log off;\n    client_body_temp_path {temp}/body;\n    proxy_temp_path {temp}/proxy;\n"
        f"    fastcgi_temp_path {temp}/fastcgi;\n    uwsgi_temp_path {temp}/uwsgi;\n    scgi_temp_path {temp}/scgi;\n"
        f"    include {DEPLOY / 'routing.conf'};\n{site}\n}}\n")
    return conf


@dataclass
class Replica:
    state_dir: Path
    port_file: Path
    log: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    def start(self, port: int = 0, extra: tuple[str, ...] = ()) -> None:
        self.port_file.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--port-file", str(self.port_file),
                 "--state-dir", str(self.state_dir), *extra],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"replica exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            return self.port_file.exists()
        wait_for(ready, f"replica {self.state_dir.name}")
        self.port = int(self.port_file.read_text())

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


@dataclass
class Cluster:
    """Replicas and nginx in one temporary directory; `close()` stops what it started, by process id."""

    root: Path
    replicas: list[Replica] = field(default_factory=list)
    nginx: subprocess.Popen[bytes] | None = None
    port: int = 0

    @classmethod
    def start(cls, nginx_binary: str, count: int = 3, extra: tuple[str, ...] = ()) -> Cluster:
        cluster = cls(Path(tempfile.mkdtemp(prefix="sandbox-cluster-")))
        try:
            for n in range(count):
                replica = Replica(cluster.root / f"state-{n + 1}", cluster.root / f"port-{n + 1}",
                                  cluster.root / f"replica-{n + 1}.log")
                replica.start(extra=extra)
                cluster.replicas.append(replica)
            for replica in cluster.replicas:
                replica.wait_ready()
            cluster.port = free_port()
            conf = render_nginx([r.port for r in cluster.replicas], cluster.port, cluster.root)
            with open(cluster.root / "nginx.out", "wb") as out:  # the child keeps its own copy of the handle
                cluster.nginx = subprocess.Popen(
                    [nginx_binary, "-p", str(cluster.root), "-c", str(conf), "-e", str(cluster.root / "error.log")],
                    stdout=subprocess.DEVNULL, stderr=out)
            wait_for(cluster._nginx_listens, "nginx", timeout=10)
        except BaseException:
            cluster.close()
            raise
        return cluster

    def _nginx_listens(self) -> bool:
        if self.nginx is not None and self.nginx.poll() is not None:
            raise RuntimeError(f"nginx exited: {(self.root / 'nginx.out').read_text()}"
                               f"{(self.root / 'error.log').read_text() if (self.root / 'error.log').exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replicas[index].port}"

    def restart(self, index: int, sig: int = signal.SIGTERM) -> None:
        """Stop one replica and start it again on the same port and state directory."""
        replica = self.replicas[index]
        replica.stop(sig)
        port = replica.port
        replica.start(port=port)
        replica.wait_ready()

    def close(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        for replica in self.replicas:
            if replica.process is not None and replica.process.poll() is None:
                replica.stop()
        shutil.rmtree(self.root, ignore_errors=True)
