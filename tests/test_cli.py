"""`sandbox serve` as a real process: --port 0, --port-file, health, clean stop on SIGTERM."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sandbox.cli import settings_from_args

# Generous bounds: they only stop a hung process from hanging the suite, they measure nothing.
START_LIMIT_S = 30
STOP_LIMIT_S = 15


def wait_for(path: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {process.stderr.read()}")
        time.sleep(0.05)
    raise AssertionError("server never wrote its port file")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_on_port_zero_answers_then_stops_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    port_file = tmp_path / "port"
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", "0", "--port-file", str(port_file),
         "--clock", "frozen:2026-06-15T12:00:00Z"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = wait_for(port_file, process)
        ready = process.stdout.readline().strip()
        assert ready == f"affiliate-sandbox listening on http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/health") as response:
            assert json.load(response)["status"] == "ok"
        request = urllib.request.Request(f"http://127.0.0.1:{port}/linkjolt/api/v1/me",
                                         headers={"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"})
        with urllib.request.urlopen(request) as response:
            assert json.load(response)["data"]["plan"] == "ultimate"
        process.send_signal(sig)
        assert process.wait(timeout=STOP_LIMIT_S) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_flags_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_SEED", "9")
    monkeypatch.setenv("SANDBOX_NO_AUTO_TENANTS", "1")
    monkeypatch.setenv("SANDBOX_RATE_LIMITS", "off")
    settings = settings_from_args(["serve", "--port", "0", "--vendors", "linkjolt", "--clock", "frozen:2026-01-01"])
    assert (settings.seed, settings.auto_tenants, settings.rate_limits, settings.port, settings.vendors,
            settings.clock) == (9, False, False, 0, ("linkjolt",), "frozen:2026-01-01")
    assert settings_from_args(["serve", "--seed", "3"]).seed == 3  # a flag beats the environment


def test_bad_fixture_directory_fails_fast_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "linkjolt.yaml").write_text("campaigns:\n  - {id: c1}\n")
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--fixtures", str(tmp_path)],
                            capture_output=True, text=True, timeout=START_LIMIT_S)
    assert result.returncode == 2
    assert result.stderr == f"affiliate-sandbox: {tmp_path}/linkjolt.yaml:2: campaigns[0]: missing name\n"


def _connect_refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except OSError:
        return True
    return False


def test_sigterm_lets_a_request_in_flight_finish_then_exits_0(tmp_path: Path) -> None:
    """A POST whose body is half sent when SIGTERM arrives: the server stops accepting, waits for the rest of the
    body, answers 201 and exits 0 (the old 0.5 s grace cut it off and dropped the answer)."""
    port_file = tmp_path / "port"
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", "0", "--port-file", str(port_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = wait_for(port_file, process)
        body = json.dumps({"email": "late@example.com", "name": "Late Comer",
                           "campaignId": "camp_percentage_00001"}).encode()
        conn = socket.create_connection(("127.0.0.1", port), timeout=STOP_LIMIT_S)
        conn.sendall(b"POST /linkjolt/api/v1/affiliates HTTP/1.1\r\nHost: localhost\r\n"
                     b"Authorization: Bearer lj_pk_sandbox_ultimate_0001\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
        process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_LIMIT_S
        while not _connect_refused(port):  # stops accepting new connections
            assert time.monotonic() < deadline, "the server kept accepting after SIGTERM"
            time.sleep(0.05)
        time.sleep(1.0)  # longer than the old grace period; well inside the new one
        conn.sendall(body[10:])
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
        conn.close()
        assert answer.startswith(b"HTTP/1.1 201 "), answer[:200]
        assert b'"email":"late@example.com"' in answer.replace(b" ", b"")
        assert process.wait(timeout=STOP_LIMIT_S) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
