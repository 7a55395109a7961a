"""The /_sandbox control plane: health, tenants, clocks, snapshots, resets and vendor simulations.

It is described by `specs/control.yaml` (served, with the vendors' actions added, at `/_sandbox/openapi.json`)
and every request is validated against it by the vendors' own `RequestValidator` before a handler runs.

Layout:
- `common.py`: app keys (`REGISTRY`, `VENDORS`, ...; handlers read them from `request.config_dict`), the error
  envelope `{"error": {"code", "message", "field"?, "details"?}}`, the body limit (`MAX_BODY_BYTES`), the
  endpoint that reads, validates and answers, and `advance_generation` (the one place control writes mark the
  vendors' cached answers stale).
- one module per resource (`health`, `openapi`, `coverage`, `actions`, `reset`, `tenants`, `clock`,
  `snapshots`), each with `HANDLERS`: operationId -> `async def handler(call: ControlCall) -> JSON body`.
  A handler answers the operation's success status; it raises `ApiError` for anything else.
- `app.py`: `control_app()` builds the sub-application from the spec and `RESOURCES`; `mount_control()` mounts
  it. Unknown paths are a JSON 404, other methods a JSON 405 with `Allow`, a body over the limit a JSON 413,
  malformed JSON a 400.

Adding a resource (journal, faults, webhooks, ...): write `sandbox/control/<resource>.py` with its `HANDLERS`,
add the module to `RESOURCES` in `app.py`, and describe its paths (with operationIds matching `HANDLERS`) in
`specs/control.yaml`. Start-up fails if an operation has no handler or a handler no operation.
"""
from .app import control_app, mount_control

__all__ = ["control_app", "mount_control"]
