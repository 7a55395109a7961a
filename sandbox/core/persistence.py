"""`--state-dir`: every tenant's snapshot on disk, so a restart (or a rolling deploy) keeps the tenants.

One file per tenant, `<tenant id>.json`: the tenant's snapshot (`core.snapshot`'s document) plus its keys, so a
restored tenant answers to the same keys. Written
- a debounce interval (1 s) after the tenant's first unsaved change: writes mark the tenant (`Persister.mark`:
  a pipeline stage after a write operation's handler, a control-plane middleware after a write about a tenant,
  the registry when it makes, resets or drops one), and a background task saves what is marked, never scanning
  the other tenants;
- atomically: a temporary file in the same directory, flushed and fsynced, then renamed over the old one;
- and once more, whatever is still marked, when the app stops.
So `kill -9` loses at most the last interval's changes and a clean stop loses nothing. A dropped tenant's file
is removed. At start every file found is loaded; one that is corrupt, foreign or no longer fits (another
`--vendors`, fixtures the records no longer match) is logged with its name and skipped, and never stops the
others or the server.

Serializing works on the live records (no deep copy) in one call of the C encoder, which no request can
interleave with, so a snapshot is always one consistent state (about 40 ms for a tenant of 50,000 records,
8.7 MB, on the shared CI machine); between tenants the task yields to the loop, and the file is written and
fsynced on a worker thread.
"""
from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import jsoncodec
from .context import KeyInfo
from .errors import ApiError
from .store import Collection
from .tenants import DEFAULT_TENANT, Tenant, TenantRegistry, VendorStates

if TYPE_CHECKING:
    from .pipeline import CompiledOperation, Exchange, Stage

log = logging.getLogger("sandbox")

DEBOUNCE_SECONDS = 1.0
FILE_MARK = "affiliate-sandbox tenant"
"""The `saved_by` field of every state file: a JSON file without it is someone else's."""
SUFFIX = ".json"
TEMP_SUFFIX = ".tmp"
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class StateDir:
    """The directory's files: one per tenant, each replaced whole by an atomic rename."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def file_for(self, tenant_id: str) -> Path | None:
        """The tenant's file; None for an id that cannot be a file name (the sandbox never makes one)."""
        return self.path / f"{tenant_id}{SUFFIX}" if _SAFE_ID.match(tenant_id) else None

    def write(self, tenant_id: str, data: bytes) -> None:
        target = self.file_for(tenant_id)
        if target is None:
            return
        temp = target.with_name(f".{target.name}.{os.getpid()}{TEMP_SUFFIX}")
        try:
            with open(temp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self._sync_directory()

    def remove(self, tenant_id: str) -> None:
        target = self.file_for(tenant_id)
        if target is not None and target.exists():
            target.unlink(missing_ok=True)
            self._sync_directory()

    def make(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)

    def files(self) -> list[Path]:
        """Every tenant file, least recently written first (their order as the least recently used)."""
        found = [p for p in self.path.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".")]
        return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def clear_temporaries(self) -> None:
        """Half-written files of a process that died mid-write: never renamed, so never a tenant's."""
        for stale in self.path.glob(f".*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)

    def _sync_directory(self) -> None:
        """The rename itself survives a power cut only once the directory is synced (POSIX)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


# -- encoding and decoding ------------------------------------------------------------------------------------

def _live_state(state: Any) -> dict[str, Any]:
    """`snapshot.snapshot_state`'s shape, holding the live records and values instead of copies."""
    return {f.name: {"records": value.filter()} if isinstance(value := getattr(state, f.name), Collection) else value
            for f in dataclasses.fields(state)}


def encode_tenant(tenant: Tenant) -> bytes:
    """The tenant's file: its snapshot and its keys, encoded from the live state in one go (see the module doc)."""
    from .snapshot import snapshot_tenant  # with the record shapes, when first needed: not at start-up

    header = copy.copy(tenant)
    # snapshot_tenant's own header fields (id, seed, clock, random) without copying records
    header.states = VendorStates()
    document = snapshot_tenant(header)
    document["vendors"] = {name: _live_state(state) for name, state in tenant.states.items()}
    document["saved_by"] = FILE_MARK
    document["keys"] = [[info.vendor, info.key] for info in tenant.keys.values()]
    return jsoncodec.dumps(document)


class UnusableFile(Exception):
    """A state file that cannot be loaded; the message says why."""


def _header(document: Any, name: str) -> tuple[str, int, list[tuple[str, str]]]:
    """(tenant id, seed, [(vendor, key)]) of a state file's document, or UnusableFile."""
    if not isinstance(document, dict) or document.get("saved_by") != FILE_MARK:
        raise UnusableFile("not a sandbox state file (no \"saved_by\": \"affiliate-sandbox tenant\")")
    tenant_id, seed, keys = document.get("tenant"), document.get("seed"), document.get("keys")
    if not isinstance(tenant_id, str) or f"{tenant_id}{SUFFIX}" != name:
        raise UnusableFile(f"its tenant {tenant_id!r} does not match its file name")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UnusableFile(f"seed {seed!r} is not an integer")
    if not isinstance(keys, list) or not all(
            isinstance(k, list) and len(k) == 2 and all(isinstance(p, str) for p in k) for k in keys):
        raise UnusableFile("keys must be a list of [vendor, key] pairs")
    return tenant_id, seed, [(vendor, key) for vendor, key in keys]


# -- the persister --------------------------------------------------------------------------------------------

class Persister:
    """Keeps one registry's tenants in one state directory (see the module doc)."""

    def __init__(self, registry: TenantRegistry, directory: Path, debounce: float = DEBOUNCE_SECONDS) -> None:
        self.registry = registry
        self.directory = StateDir(directory)
        self.debounce = debounce
        self.saves = 0  # files written: for tests and the log
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()

    # -- what marks a tenant ---------------------------------------------------------------------------------

    @property
    def pending(self) -> frozenset[str]:
        """The tenants marked and not yet saved."""
        return frozenset(self._dirty)

    def mark(self, tenant_id: str) -> None:
        """The tenant changed (or was made or dropped): save it within the debounce interval. O(1)."""
        self._dirty.add(tenant_id)
        self._wake.set()

    def pipeline_stage(self, pipeline: Any, compiled: CompiledOperation | None) -> Stage | None:
        """A `PipelineHooks` stage factory (slot `emit`): a write operation whose handler ran marks its tenant."""
        if compiled is None or not compiled.writes:
            return None

        def mark_written_tenant(ex: Exchange) -> None:
            if ex.decided_by == "handle":  # the handler ran (a refusal before it changed nothing)
                self.mark(ex.tenant.id)

        return mark_written_tenant

    def control_middleware(self) -> Callable[[web.Request, Any], Awaitable[web.StreamResponse]]:
        """Marks the tenant a control-plane write is about (`/tenants/{id}/...`), whatever the answer."""

        @web.middleware
        async def mark_written_tenant(request: web.Request, handler: Any) -> web.StreamResponse:
            try:
                return await handler(request)
            finally:
                if request.method not in _READS:
                    tenant_id = request.match_info.get("id")
                    if tenant_id:
                        tenant = self.registry.peek(tenant_id) or self.registry.by_key(tenant_id)
                        self.mark(tenant.id if tenant is not None else tenant_id)

        return mark_written_tenant

    # -- loading ---------------------------------------------------------------------------------------------

    def load_all(self) -> int:
        """Load every state file; an unusable one is logged with its name and skipped. Returns how many loaded."""
        self.directory.make()
        self.directory.clear_temporaries()
        loaded = 0
        started = time.monotonic()
        for path in self.directory.files():
            try:
                self._load(path)
            except UnusableFile as exc:
                log.warning("state file %s skipped: %s", path, exc)
                continue
            except ApiError as exc:
                log.warning("state file %s skipped: %s", path, exc.message)
                continue
            except Exception as exc:  # never fatal to the other files or to the server
                log.warning("state file %s skipped: %s: %s", path, type(exc).__name__, exc)
                continue
            loaded += 1
        if loaded:
            log.info("loaded %d tenant(s) from %s in %.1f s", loaded, self.directory.path,
                     time.monotonic() - started)
        return loaded

    def _load(self, path: Path) -> None:
        from .snapshot import restore_tenant

        try:
            document = jsoncodec.loads(path.read_bytes())
        except (ValueError, RecursionError) as exc:
            raise UnusableFile(f"not valid JSON: {exc}") from exc
        tenant_id, seed, pairs = _header(document, path.name)
        if tenant_id == DEFAULT_TENANT:  # rebuilt from the fixtures at start, keys and all: only its state
            restore_tenant(self.registry.default, document)
            return
        keys = [self._key(vendor, key) for vendor, key in pairs]
        tenant = self.registry.restored(tenant_id, seed)
        restore_tenant(tenant, document)
        try:
            self.registry.adopt(tenant, keys)
        except ValueError as exc:
            raise UnusableFile(str(exc)) from exc

    def _key(self, vendor_name: str, key: str) -> KeyInfo:
        vendor = self.registry.vendors.get(vendor_name)
        if vendor is None:
            raise UnusableFile(f"it has a key of {vendor_name!r}, a vendor this server does not serve")
        info = vendor.describe_key(key)
        if info is None:
            raise UnusableFile(f"{key!r} is not a well-formed {vendor_name} key")
        return info

    # -- saving ----------------------------------------------------------------------------------------------

    async def save_marked(self) -> None:
        """Save (or remove) every marked tenant, one at a time, yielding between them."""
        loop = asyncio.get_running_loop()
        while self._dirty:
            tenant_id = self._dirty.pop()
            try:
                tenant = self.registry.peek(tenant_id)
                if tenant is None:
                    await loop.run_in_executor(None, self.directory.remove, tenant_id)
                else:
                    await loop.run_in_executor(None, self.directory.write, tenant_id, encode_tenant(tenant))
                    self.saves += 1
            except asyncio.CancelledError:
                self._dirty.add(tenant_id)  # the final flush writes it
                raise
            except Exception:
                log.exception("saving tenant %s to %s failed; it is tried again on its next change", tenant_id,
                              self.directory.path)
            await asyncio.sleep(0)

    def flush(self) -> None:
        """Save every marked tenant now, on this thread: the app is stopping and serves nothing more."""
        while self._dirty:
            tenant_id = self._dirty.pop()
            try:
                tenant = self.registry.peek(tenant_id)
                if tenant is None:
                    self.directory.remove(tenant_id)
                else:
                    self.directory.write(tenant_id, encode_tenant(tenant))
                    self.saves += 1
            except Exception:
                log.exception("saving tenant %s to %s failed at shutdown", tenant_id, self.directory.path)

    async def run(self) -> None:
        """Until cancelled: wait for a mark, let the debounce interval gather more, save what is marked."""
        while True:
            await self._wake.wait()
            await asyncio.sleep(self.debounce)
            self._wake.clear()
            await self.save_marked()

    async def lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        """aiohttp `cleanup_ctx`: load before serving, save in the background, flush when stopping."""
        self.registry.on_change = self.mark
        self.load_all()
        # Loading marks only the tenants a lower --max-tenants evicted: their files go, the rest stay as read.
        self._dirty = {tenant_id for tenant_id in self._dirty if self.registry.peek(tenant_id) is None}
        task = asyncio.get_running_loop().create_task(self.run(), name="sandbox:persistence")
        try:
            yield
        finally:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("the persistence task failed")
            self.registry.on_change = None
            self.flush()

