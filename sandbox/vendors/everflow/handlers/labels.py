"""Labels: plain strings on affiliates and offers, each with an id. List, get, create, rename, set, delete."""
from __future__ import annotations

from typing import Any

from ....core.context import RequestContext
from ..errors import bad_request, not_found
from ..models import Record
from ..views import label_out
from .common import HANDLERS, invalid, now, state_of


@HANDLERS.operation("listLabels")
def list_labels(ctx: RequestContext) -> Record:
    state = state_of(ctx)
    return {"labels": [label_out(state, row) for row in state.labels]}


def _find(ctx: RequestContext, key: Any) -> Record:
    """A label by its id (the docs' labelId) or by its name (laravel-everflow puts the name in the path)."""
    labels = state_of(ctx).labels
    text = str(key)
    record = labels.find("id", int(text)) if text.isdigit() else None
    record = record or labels.get(text)
    if record is None:
        raise not_found("Label")
    return record


@HANDLERS.operation("getLabel")
def get_label(ctx: RequestContext) -> Record:
    return label_out(state_of(ctx), _find(ctx, ctx.path["labelId"]))


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
            if new is None:
                labels = [x for x in record["labels"] if x != old]
            else:
                labels = [new if x == old else x for x in record["labels"]]
            out.append((record, list(dict.fromkeys(labels))))
    return out


def _replace_everywhere(ctx: RequestContext, old: str, new: str | None) -> None:
    state = state_of(ctx)
    for collection in (state.affiliates, state.offers, state.tiers):
        for record, labels in _relabel(list(collection), old, new):
            collection.update(record[collection.id_field], {"labels": labels})


def _rename(ctx: RequestContext, record: Record, new: str) -> Record:
    state, old = state_of(ctx), record["label"]
    if new == old:
        return record
    if new in state.labels:
        raise bad_request("Label already exists")
    _replace_everywhere(ctx, old, new)
    state.labels.delete(old)
    return state.labels.insert({**record, "label": new})


def _set_carriers(ctx: RequestContext, label: str, field: str, ids: list[int]) -> None:
    """The label ends up on exactly these affiliates (or offers): added where missing, taken off the others."""
    state = state_of(ctx)
    collection = state.affiliates if field == "affiliate_ids" else state.offers
    wanted = set(ids)
    for record_id in wanted:
        if record_id not in collection:
            raise invalid(field, record_id)
    for record in list(collection):
        record_id, has = record[collection.id_field], label in record["labels"]
        if (record_id in wanted) != has:
            labels = record["labels"] + [label] if not has else [x for x in record["labels"] if x != label]
            collection.update(record_id, {"labels": labels})


@HANDLERS.operation("updateLabel")
def update_label(ctx: RequestContext) -> Record:
    """PUT /networks/labels, laravel-everflow's form: `label` names the label; `new_label` renames it and
    `affiliate_ids` / `offer_ids` set what carries it (guesses: the docs give only the by-id form)."""
    body = ctx.body
    record = _find_by_name(ctx, body["label"])
    for field in ("affiliate_ids", "offer_ids"):  # checked before anything changes
        collection = state_of(ctx).affiliates if field == "affiliate_ids" else state_of(ctx).offers
        for record_id in body.get(field) or []:
            if record_id not in collection:
                raise invalid(field, record_id)
    if body.get("new_label") is not None and body["new_label"] != record["label"] \
            and body["new_label"] in state_of(ctx).labels:
        raise bad_request("Label already exists")
    for field in ("affiliate_ids", "offer_ids"):
        if field in body:
            _set_carriers(ctx, record["label"], field, body[field])
    if body.get("new_label") is not None:
        record = _rename(ctx, record, body["new_label"])
    return label_out(state_of(ctx), record)


def _find_by_name(ctx: RequestContext, name: str) -> Record:
    record = state_of(ctx).labels.get(name)
    if record is None:
        raise not_found("Label")
    return record


@HANDLERS.operation("updateLabelById")
def update_label_by_id(ctx: RequestContext) -> Record:
    """PUT /networks/labels/{labelId} with {"label": <new name>} (the docs): a rename everywhere it is used."""
    record = _rename(ctx, _find(ctx, ctx.path["labelId"]), ctx.body["label"])
    return label_out(state_of(ctx), record)


@HANDLERS.operation("deleteLabel")
def delete_label(ctx: RequestContext) -> Record:
    """The label comes in the body (laravel-everflow) or in ?label= (the live docs); the query wins."""
    state = state_of(ctx)
    label = ctx.query.get("label") or (ctx.body or {}).get("label")
    if not label:
        raise bad_request("Missing required field label")
    _find_by_name(ctx, label)
    _replace_everywhere(ctx, label, None)
    state.labels.delete(label)
    return {"result": True}
