"""Labels: plain strings on affiliates and offers. List, create, rename, delete."""
from __future__ import annotations

from ....core.context import RequestContext
from ..errors import bad_request, not_found
from ..models import Record, label_out
from . import HANDLERS
from .common import now, state_of


@HANDLERS.operation("listLabels")
def list_labels(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return {"labels": [label_out(state, row["label"]) for row in state.labels]}


@HANDLERS.operation("createLabel")
def create_label(ctx: RequestContext) -> Record:
    state, label = state_of(ctx), ctx.body["label"]
    if label in state.labels:
        raise bad_request("Label already exists")
    state.ensure_labels([label], now(ctx))
    return {"label": label}


def _relabel(items: list[Record], old: str, new: str | None) -> list[tuple[Record, list[str]]]:
    """The records carrying `old`, each with its labels after renaming it to `new` (or dropping it: None)."""
    out = []
    for record in items:
        if old in record["labels"]:
            labels = [new if x == old else x for x in record["labels"] if new is not None or x != old]
            out.append((record, list(dict.fromkeys(labels))))
    return out


def _replace_everywhere(ctx: RequestContext, old: str, new: str | None) -> None:
    state = state_of(ctx)
    for collection in (state.affiliates, state.offers, state.tiers):
        for record, labels in _relabel(list(collection), old, new):
            collection.update(record[collection.id_field], {"labels": labels})


@HANDLERS.operation("updateLabel")
def update_label(ctx: RequestContext) -> Record:
    """Rename a label everywhere it is used (guess: body {label, new_label})."""
    state, old, new = state_of(ctx), ctx.body["label"], ctx.body["new_label"]
    if old not in state.labels:
        raise not_found("Label")
    if new != old and new in state.labels:
        raise bad_request("Label already exists")
    _replace_everywhere(ctx, old, new)
    record = state.labels.delete(old)
    state.labels.insert({"label": new, "time_created": record["time_created"]})
    return {"label": new}


@HANDLERS.operation("deleteLabel")
def delete_label(ctx: RequestContext) -> Record:
    state, label = state_of(ctx), ctx.query["label"]
    if label not in state.labels:
        raise not_found("Label")
    _replace_everywhere(ctx, label, None)
    state.labels.delete(label)
    return {"result": True}
