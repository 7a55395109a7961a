"""load_spec caches by path, size and mtime in memory, and keeps each packaged spec parsed on disk beside its YAML
(`core.yamlcache`) so the next process does not parse it again; a cache that does not match is never used."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
import yaml

from sandbox.core import spec as spec_module
from sandbox.core import yamlcache
from sandbox.core.spec import SpecError, load_spec

SPEC = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: %s
      responses:
        "200": {description: ok}
"""


@pytest.fixture(autouse=True)
def cached_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tmp_path stands for the package's own folder, whose files are cached."""
    monkeypatch.setattr(yamlcache, "cached_roots", (tmp_path,))


@pytest.fixture
def yaml_loads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every YAML parse load_spec makes (each call's input), counted."""
    calls: list[object] = []
    real = yaml.load

    def counted(stream: object, Loader: type) -> object:  # noqa: N803  (PyYAML's own keyword)
        calls.append(stream)
        return real(stream, Loader=Loader)
    monkeypatch.setattr(yaml, "load", counted)
    return calls


def new_process() -> None:
    """Forget the in-memory specs, as a fresh server process would start without them."""
    spec_module._loaded.clear()


def test_the_same_file_is_loaded_once_and_a_changed_file_again(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC % "listThings")
    first = load_spec(path)
    assert load_spec(path) is first
    path.write_text(SPEC % "listThingsAgain")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert [op.operation_id for op in load_spec(path).operations] == ["listThingsAgain"]


def test_a_new_process_reads_the_parsed_spec_from_disk_without_parsing_yaml(tmp_path: Path,
                                                                            yaml_loads: list[object]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC % "listThings")
    first = load_spec(path)
    assert len(yaml_loads) == 1
    assert (tmp_path / "__pycache__" / "spec.yaml.spec-cache").is_file()
    new_process()
    again = load_spec(path)
    assert len(yaml_loads) == 1
    assert again is not first
    assert again == first


def test_a_packaged_spec_from_its_cache_equals_the_parsed_one(tmp_path: Path, yaml_loads: list[object]) -> None:
    path = tmp_path / "everflow.yaml"
    path.write_bytes((Path(spec_module.__file__).parents[1] / "specs" / "everflow.yaml").read_bytes())
    parsed = load_spec(path)
    new_process()
    cached = load_spec(path)
    assert len(yaml_loads) == 1
    assert cached == parsed
    assert len(cached.operations) == len(parsed.operations) > 100


def test_an_edited_spec_is_parsed_again_even_with_the_same_size_and_time(tmp_path: Path,
                                                                         yaml_loads: list[object]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC % "listThings")
    stat = path.stat()
    load_spec(path)
    path.write_text(SPEC % "listThangs")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    new_process()
    assert [op.operation_id for op in load_spec(path).operations] == ["listThangs"]
    assert len(yaml_loads) == 2


def test_a_cache_of_another_loader_is_not_used(tmp_path: Path, yaml_loads: list[object],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC % "listThings")
    load_spec(path)
    new_process()
    monkeypatch.setattr(yamlcache, "loader_of", lambda module_file: "an-edited-loader")
    load_spec(path)
    assert len(yaml_loads) == 2


class Boom:
    def __reduce__(self) -> tuple:
        return (os.system, ("echo should-never-run > boom",))


@pytest.mark.parametrize("payload", [b"", b"not a pickle", pickle.dumps(Boom()), pickle.dumps({"a": 1})],
                         ids=["empty", "garbage", "a-global-not-allowed", "another-type"])
def test_a_damaged_or_foreign_cache_is_parsed_again_and_replaced(tmp_path: Path, yaml_loads: list[object],
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 payload: bytes) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC % "listThings")
    load_spec(path)
    cache = yamlcache.cache_file(path, spec_module.CACHE_KIND)
    header = cache.read_bytes().partition(b"\n")[0] + b"\n"
    cache.write_bytes(header + payload)  # the right header, a wrong body
    new_process()
    assert [op.operation_id for op in load_spec(path).operations] == ["listThings"]
    assert len(yaml_loads) == 2
    assert not (tmp_path / "boom").exists()
    new_process()
    load_spec(path)  # the cache was written again, whole
    assert len(yaml_loads) == 2


def test_a_folder_that_cannot_be_written_only_means_no_cache(tmp_path: Path, yaml_loads: list[object],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC % "listThings")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only")
    monkeypatch.setattr(yamlcache.tempfile, "mkstemp", refuse)
    assert [op.operation_id for op in load_spec(path).operations] == ["listThings"]
    assert not yamlcache.cache_file(path, spec_module.CACHE_KIND).exists()


def test_a_bad_spec_is_never_cached(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("openapi: 3.0.0\npaths: {}\n")
    with pytest.raises(SpecError, match="not an OpenAPI 3.1 document"):
        load_spec(path)
    assert not yamlcache.cache_file(path, spec_module.CACHE_KIND).exists()


def test_a_spec_outside_the_package_is_parsed_every_time_and_its_folder_never_written(
        tmp_path: Path, yaml_loads: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlcache, "cached_roots", (tmp_path / "package",))
    path = tmp_path / "spec.yaml"  # a user's --specs folder
    path.write_text(SPEC % "listThings")
    load_spec(path)
    new_process()
    load_spec(path)
    assert len(yaml_loads) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]
