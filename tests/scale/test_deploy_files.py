"""deploy/ agrees with itself: compose services, Kubernetes services and nginx's upstream name the same replicas."""
from __future__ import annotations

import re

import yaml

from .cluster import DEPLOY


def code_lines(text: str) -> list[str]:
    return [line.split("#")[0].rstrip() for line in text.splitlines() if line.split("#")[0].strip()]


def test_the_kubernetes_nginx_config_is_the_shipped_one_with_the_pod_services_names() -> None:
    shipped = code_lines((DEPLOY / "sandbox.conf").read_text())
    kubernetes = code_lines((DEPLOY.parent / "kubernetes" / "nginx-sandbox.conf").read_text())
    renamed = [re.sub(r"sandbox-(\d+):8080", lambda m: f"sandbox-{int(m.group(1)) - 1}:8080", line)
               for line in shipped]
    assert kubernetes == renamed


def test_every_upstream_server_is_a_replica_with_its_own_volume() -> None:
    servers = re.findall(r"server (sandbox-\d+):8080 max_fails=0;", (DEPLOY / "sandbox.conf").read_text())
    compose = yaml.safe_load((DEPLOY.parent / "docker-compose.yml").read_text())
    replicas = {name: service for name, service in compose["services"].items() if name.startswith("sandbox-")}
    assert sorted(replicas) == sorted(servers) and len(servers) == 3
    volumes = [service["volumes"][0].split(":")[0] for service in replicas.values()]
    assert len(set(volumes)) == len(volumes) and set(volumes) <= set(compose["volumes"])
    kubernetes = list(yaml.safe_load_all((DEPLOY.parent / "kubernetes" / "sandbox.yaml").read_text()))
    services = {d["metadata"]["name"] for d in kubernetes if d["kind"] == "Service"}
    pods = re.findall(r"server (sandbox-\d+):8080", (DEPLOY.parent / "kubernetes" / "nginx-sandbox.conf").read_text())
    stateful = next(d for d in kubernetes if d["kind"] == "StatefulSet")
    assert set(pods) <= services and len(pods) == stateful["spec"]["replicas"]
