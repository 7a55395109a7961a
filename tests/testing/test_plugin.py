"""The pytest plugin, in real pytest runs (pytester): in-process server, external server, markers, xdist."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from sandbox.testing import SandboxClient

# Harness tests: the vendor calls they make say nothing about any operation's behaviour (not counted in
# docs/coverage.md).
pytestmark = pytest.mark.generic
pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
CONFTEST = 'pytest_plugins = ["sandbox.testing.plugin"]\n'
AFFILIATE = {"email": "ada@example.com", "name": "Ada", "campaignId": "camp_percentage_00001"}

SYNC_TESTS = f'''
import httpx
import pytest
import requests

AFFILIATE = {AFFILIATE!r}


def emails(tenant):
    answer = requests.get(tenant.base_url("linkjolt") + "/affiliates", headers=tenant.headers("linkjolt"))
    assert answer.status_code == 200
    return [a["email"] for a in answer.json()["data"]]


def test_writes_land_in_this_tests_tenant(sandbox_tenant):
    created = requests.post(sandbox_tenant.base_url("linkjolt") + "/affiliates",
                            headers=sandbox_tenant.headers("linkjolt"), json=AFFILIATE)
    assert created.status_code == 201
    with httpx.Client(base_url=sandbox_tenant.base_url("linkjolt"), headers=sandbox_tenant.headers("linkjolt")) as c:
        assert "ada@example.com" in [a["email"] for a in c.get("/affiliates").json()["data"]]


def test_every_test_gets_a_fresh_world(sandbox_tenant):
    assert "ada@example.com" not in emails(sandbox_tenant)


@pytest.mark.sandbox(seed=42, clock="frozen:2030-01-01T00:00:00Z")
def test_marker_seed_and_clock(sandbox_tenant):
    assert sandbox_tenant.seed == 42
    assert sandbox_tenant.refresh().now == "2030-01-01T00:00:00Z"


def test_clock_and_actions(sandbox_tenant):
    start = sandbox_tenant.refresh().now
    moved = sandbox_tenant.advance(3600)
    assert moved.now > start
    assert sandbox_tenant.set_time("2031-05-06T07:08:09Z").now == "2031-05-06T07:08:09Z"
    assert "paid" in sandbox_tenant.action("linkjolt", "payouts/run")
    everflow = requests.get(sandbox_tenant.base_url("everflow") + "/networks/affiliates",
                            headers=sandbox_tenant.headers("everflow"))
    assert everflow.status_code == 200
'''

ASYNC_TESTS = '''
import aiohttp
import httpx

from sandbox.testing import AsyncSandboxClient


async def test_aiohttp_and_httpx_async(sandbox_tenant, sandbox_url):
    base = sandbox_tenant.base_url("promotekit")
    async with aiohttp.ClientSession(headers=sandbox_tenant.headers("promotekit")) as session:
        async with session.get(base + "/campaigns") as answer:
            assert answer.status == 200
    async with httpx.AsyncClient(base_url=sandbox_tenant.base_url("tamio"),
                                 headers=sandbox_tenant.headers("tamio")) as client:
        assert (await client.get("/affiliate-programs/list")).status_code == 200
    async with AsyncSandboxClient(sandbox_url) as control:
        moved = await control.advance(sandbox_tenant.id, 60)
        assert moved.tenant == sandbox_tenant.id
'''


def setup(pytester: pytest.Pytester, ini: str = "") -> None:
    """The inner run's conftest (loading the plugin, as an app's would) and ini."""
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n" + ini)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    setup(pytester)
    return pytester.runpytest(*args)


def test_in_process_server_sync_and_async_clients(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_sync=SYNC_TESTS, test_async=ASYNC_TESTS)
    result = run(pytester, "-q")
    result.assert_outcomes(passed=5)


def test_external_server_tenants_dropped_and_nobody_reset(pytester: pytest.Pytester, server_url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    control = SandboxClient(server_url)
    mine = control.create_tenant()
    headers = {"Authorization": f"Bearer {mine.keys['linkjolt']}"}
    affiliates = server_url + "/linkjolt/api/v1/affiliates"
    assert requests.post(affiliates, headers=headers, json=AFFILIATE, timeout=10).status_code == 201
    before = sorted(t.id for t in control.tenants())
    monkeypatch.setenv("SANDBOX_URL", server_url + "/")
    pytester.makepyfile(test_sync=SYNC_TESTS, test_where=f'''
def test_uses_the_external_server(sandbox_url):
    assert sandbox_url == {server_url!r}
''')
    run(pytester, "-q").assert_outcomes(passed=5)
    assert sorted(t.id for t in control.tenants()) == before  # every test's tenant dropped, no other touched
    emails = [a["email"] for a in requests.get(affiliates, headers=headers, timeout=10).json()["data"]]
    assert "ada@example.com" in emails  # no global reset
    control.delete_tenant(mine.id)


def test_url_option_beats_ini(pytester: pytest.Pytester, server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANDBOX_URL", raising=False)
    pytester.makepyfile(f'''
def test_where(sandbox_url):
    assert sandbox_url == {server_url!r}
''')
    setup(pytester, f"sandbox_url = {server_url}\n")
    pytester.runpytest("-q").assert_outcomes(passed=1)
    setup(pytester, "sandbox_url = http://127.0.0.1:9\n")
    pytester.runpytest("-q", f"--sandbox-url={server_url}").assert_outcomes(passed=1)


def test_serve_args_configure_the_in_process_server(pytester: pytest.Pytester,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANDBOX_URL", raising=False)
    setup(pytester, "sandbox_serve_args = --clock frozen:2030-01-01T00:00:00Z --seed 5\n")
    pytester.makepyfile('''
def test_settings(sandbox_tenant, sandbox_control):
    assert sandbox_tenant.refresh().now == "2030-01-01T00:00:00Z"
    assert sandbox_control.tenant("default").seed == 5
''')
    pytester.runpytest("-q").assert_outcomes(passed=1)
    setup(pytester, "sandbox_serve_args = --clock sometimes\n")
    result = pytester.runpytest("-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*sandbox_serve_args:*clock*sometimes*"])


def test_marker_options_are_checked(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANDBOX_URL", raising=False)
    pytester.makepyfile('''
import pytest

@pytest.mark.sandbox(sed=1)
def test_typo(sandbox_tenant):
    pass
''')
    result = run(pytester, "-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*takes only keyword options seed, clock; got sed*"])


def test_loading_the_plugin_starts_and_imports_nothing(pytester: pytest.Pytester,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("SANDBOX_URL", raising=False)
    pytester.makepyfile('''
import sys
import threading


def test_nothing_started(request):
    assert request.config.pluginmanager.has_plugin("sandbox.testing.plugin")
    heavy = [m for m in sys.modules if m.split(".")[0] in ("aiohttp", "yaml", "jsonschema")
             or m.startswith(("sandbox.app", "sandbox.vendors", "sandbox.core"))]
    assert heavy == []
    assert [t.name for t in threading.enumerate() if t.name == "sandbox-server"] == []
''')
    result = pytester.runpytest_subprocess("-q", "-p", "sandbox.testing.plugin")
    result.assert_outcomes(passed=1)


XDIST_TESTS = '''
import json
import os

import pytest


@pytest.mark.parametrize("n", range(6))
def test_record(n, sandbox_url, sandbox_tenant):
    line = {"worker": os.environ.get("PYTEST_XDIST_WORKER"), "url": sandbox_url, "tenant": sandbox_tenant.id,
            "tenants": [t.id for t in sandbox_tenant.client.tenants()]}
    with open(os.environ["RECORD_TO"], "a") as out:
        out.write(json.dumps(line) + "\\n")
'''


def _xdist_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict]:
    record = tmp_path / "record.jsonl"
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("RECORD_TO", str(record))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # workers start faster without the suite's plugins
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_parallel=XDIST_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "xdist.plugin", "-n", "2")
    result.assert_outcomes(passed=6)
    return [json.loads(line) for line in record.read_text().splitlines()]


def test_xdist_each_worker_its_own_server(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.delenv("SANDBOX_URL", raising=False)
    lines = _xdist_run(pytester, monkeypatch, tmp_path)
    workers = {line["worker"] for line in lines}
    assert workers == {"gw0", "gw1"}
    urls = {line["worker"]: line["url"] for line in lines}
    assert len(set(urls.values())) == 2  # one server per worker
    assert len({(line["url"], line["tenant"]) for line in lines}) == 6


def test_xdist_workers_share_an_external_server(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path, server_url: str) -> None:
    control = SandboxClient(server_url)
    before = sorted(t.id for t in control.tenants())
    monkeypatch.setenv("SANDBOX_URL", server_url)
    lines = _xdist_run(pytester, monkeypatch, tmp_path)
    assert {line["url"] for line in lines} == {server_url}
    assert {line["worker"] for line in lines} == {"gw0", "gw1"}
    assert len({line["tenant"] for line in lines}) == 6
    assert sorted(t.id for t in control.tenants()) == before


def readme_examples() -> list[str]:
    """The Python blocks of the README's plugin section."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Testing your app with the pytest plugin", 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]


def test_readme_examples_pass(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANDBOX_URL", raising=False)
    examples = readme_examples()
    assert len(examples) == 2
    pytester.makepyfile(**{f"test_readme_{n}": text for n, text in enumerate(examples)})
    run(pytester, "-q").assert_outcomes(passed=2)
