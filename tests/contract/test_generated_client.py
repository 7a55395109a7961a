"""A generated client as a real SDK: openapi-python-client turns each vendor's spec into a Python package (in a
temporary folder, never committed), and a short scenario runs through it against the sandbox on a real port:
create an affiliate, find it in the list, and read the duplicate error through the client's typed error path.

Generic over VENDORS: the operations are found by operationId (`createAffiliate`, `listAffiliates`), a minimal
valid body is made from the request schema's required properties (`helpers.minimal_body`), and the key comes from a control-plane tenant in the header the spec's
security scheme names.
"""
from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox import Settings
from sandbox.config import SPECS_DIR
from sandbox.core.spec import Operation, Spec
from sandbox.vendors import VENDORS

from ..conftest import FROZEN_AT
from .helpers import VENDOR_NAMES, auth_headers, first_record_id, minimal_body, referenced_lists, spec_of
from .server import ThreadedSandbox

pytestmark = pytest.mark.generic

GENERATOR = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent)) or shutil.which(
    "openapi-python-client")


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedSandbox]:
    with ThreadedSandbox(Settings(clock=f"frozen:{FROZEN_AT}", seed=0, strict_responses=True)) as running:
        yield running


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder on sys.path where each test generates `<vendor>_sdk`."""
    if GENERATOR is None:
        pytest.fail("openapi-python-client is not installed (it is in the test extra)")
    root = tmp_path_factory.mktemp("generated-clients")
    (root / "config.yaml").write_text("post_hooks: []\n")  # no ruff formatting: faster, and nothing to install
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0].endswith("_sdk")]:
            del sys.modules[module]


def _generate(root: Path, name: str) -> str:
    """Generate `<name>_sdk` once per module (the fixture's folder), asserting a clean generation."""
    package = f"{name}_sdk"
    if (root / package).exists():
        return package
    result = subprocess.run([GENERATOR, "generate", "--path", str(SPECS_DIR / f"{name}.yaml"), "--meta", "none",
                             "--output-path", str(root / package), "--config", str(root / "config.yaml")],
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output and "Error" not in output, output  # every operation and schema generated
    return package


def _snake(operation_id: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation_id).lstrip("_")


def _api_module(package: str, root: Path, operation_id: str) -> Any:
    found = sorted((root / package / "api").glob(f"*/{_snake(operation_id)}.py"))
    assert found, f"{package} has no module for {operation_id}"
    return importlib.import_module(f"{package}.api.{found[0].parent.name}.{found[0].stem}")


def _find(spec: Spec, operation_id: str) -> Operation | None:
    return next((op for op in spec.operations if op.operation_id == operation_id), None)


@pytest.mark.parametrize("name", VENDOR_NAMES)
def test_every_spec_generates_a_client_with_every_operation(generated: Path, name: str) -> None:
    package = _generate(generated, name)
    for op in spec_of(name).operations:
        assert hasattr(_api_module(package, generated, op.operation_id), "sync_detailed"), op.operation_id


# The scenario reads `data` envelopes and a duplicate email: the shape of the two vendors issue 6 names.
# Every vendor's client is still generated, whole, by the test above.
SCENARIO_VENDORS = ["linkjolt", "promotekit"]


@pytest.mark.parametrize("name", SCENARIO_VENDORS)
def test_generated_client_creates_lists_and_reads_the_duplicate_error(
        server: ThreadedSandbox, generated: Path, name: str) -> None:
    spec = spec_of(name)
    create, listing = _find(spec, "createAffiliate"), _find(spec, "listAffiliates")
    if create is None or listing is None:
        pytest.skip(f"{name} has no createAffiliate/listAffiliates")
    package = _generate(generated, name)
    client_module = importlib.import_module(f"{package}.client")
    models = importlib.import_module(f"{package}.models")
    key = requests.post(f"{server.url}/_sandbox/tenants", json={}, timeout=10).json()["keys"][name]
    headers = auth_headers(spec.document, key)
    base_url = server.url + VENDORS[name].base_path
    client = client_module.Client(base_url=base_url, headers=headers, raise_on_unexpected_status=True)

    ids = {prop: first_record_id(requests.get(base_url + lister.path, headers=headers, timeout=10).json(), prop)
           for prop, lister in referenced_lists(spec, create).items()}
    body = minimal_body(create, ids)
    body_class = getattr(models, "".join(p.capitalize() for p in _snake(create.operation_id).split("_")) + "Body")
    created = _api_module(package, generated, create.operation_id).sync_detailed(
        client=client, body=body_class.from_dict(body))
    assert created.status_code == create.success_status, created.content
    affiliate = created.parsed.data
    assert affiliate.email == body["email"]

    listed = _api_module(package, generated, listing.operation_id).sync_detailed(client=client)
    assert listed.status_code == 200, listed.content
    assert affiliate.id in [row.id for row in listed.parsed.data]

    duplicate = _api_module(package, generated, create.operation_id).sync_detailed(
        client=client, body=body_class.from_dict(body))
    assert 400 <= duplicate.status_code < 500 and str(duplicate.status_code) in create.responses
    error = duplicate.parsed  # the typed error path: the model the spec declares for this status
    assert type(error) is not type(created.parsed) and type(error).__module__.startswith(f"{package}.models.")
    assert error.to_dict() == json.loads(duplicate.content)
    # Every vendor's envelope has an `error`: an object with a message, or the message itself.
    message = getattr(error.error, "message", error.error)
    assert isinstance(message, str) and message
