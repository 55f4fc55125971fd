"""REST handlers for interaction callbacks and the interaction webhooks (followups, @original)."""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

from . import limits
from .records import (
    MESSAGE_FLAG_EPHEMERAL,
    MESSAGE_FLAG_LOADING,
    InteractionState,
    RecordedRequest,
    Refusal,
    error,
)
from .world import JSON

# Interaction types and the callback types Discord accepts for each (docs section 6).
# Interaction types and the callback types Discord accepts for each (docs section 6).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
ALLOWED_CALLBACKS: dict[int, set[int]] = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


class RestInteractionsMixin:
    """The initial response (with its deadline) and the token's webhook routes."""

    async def _interaction_callback(
        self, rec: RecordedRequest, interaction_id: str, token: str
    ) -> tuple[int, Any]:
        inter = self.interactions.get(interaction_id)
        if inter is None or inter.token != token:
            return error(404, 10062, "Unknown interaction")
        if inter.responded:
            return error(400, 40060, "Interaction has already been acknowledged.")
        if asyncio.get_running_loop().time() - inter.created > self.interaction_deadline:
            return error(404, 10062, "Unknown interaction")
        body = rec.json if isinstance(rec.json, dict) else {}
        ctype = body.get("type")
        if ctype not in ALLOWED_CALLBACKS.get(inter.type, set()):
            errors = limits.FormErrors()
            errors.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Interaction response type {ctype} is not valid for interaction type {inter.type}",
            )
            return 400, errors.body()
        data = body.get("data") or {}
        result: JSON = {"interaction": {"id": inter.id, "type": inter.type}}
        channel_id = inter.payload.get("channel_id") or inter.payload.get("channel", {}).get("id")
        if ctype == 4:
            err = self._validate_send(data, has_files=bool(rec.files))
            if err:
                return err
            atts = self._attachments_for(rec, channel_id, data, [])
            if isinstance(atts, tuple):
                return atts
            flags = (data.get("flags") or 0) & (
                MESSAGE_FLAG_EPHEMERAL | limits.IS_COMPONENTS_V2 | 4 | 4096
            )
            msg_type = 20 if inter.type == APPLICATION_COMMAND else 0
            msg = self._build_message(
                channel_id,
                data,
                attachments=atts,
                msg_type=msg_type,
                flags=flags,
                interaction=inter,
            )
            inter.original_message_id = msg["id"]
            rec.message_id, rec.created = msg["id"], True
            self._echo("MESSAGE_CREATE", msg)
            result["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(flags & MESSAGE_FLAG_EPHEMERAL),
            )
            result["resource"] = {"type": 4, "message": copy.deepcopy(msg)}
        elif ctype == 5:
            flags = MESSAGE_FLAG_LOADING | ((data.get("flags") or 0) & MESSAGE_FLAG_EPHEMERAL)
            msg_type = 20 if inter.type == APPLICATION_COMMAND else 0
            msg = self._build_message(
                channel_id, {}, attachments=[], msg_type=msg_type, flags=flags, interaction=inter
            )
            inter.original_message_id = msg["id"]
            rec.message_id, rec.created = msg["id"], True
            inter.deferred_pending = True
            self._echo("MESSAGE_CREATE", msg)
            result["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags & MESSAGE_FLAG_EPHEMERAL),
            )
        elif ctype in (6, 7):
            target = (inter.payload.get("message") or {}).get("id")
            if target is None or target not in self.messages:
                errors = limits.FormErrors()
                errors.add(
                    ("type",),
                    "INTERACTION_RESPONSE_TYPE_INVALID",
                    "This interaction has no message to update",
                )
                return 400, errors.body()
            msg = self.messages[target]
            if ctype == 7:
                err = self._apply_edit(rec, msg, data)
                if err:
                    return err
                rec.message_id = msg["id"]
                self._echo("MESSAGE_UPDATE", msg)
                result["resource"] = {"type": 7, "message": copy.deepcopy(msg)}
            result["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(msg["flags"] & MESSAGE_FLAG_EPHEMERAL),
            )
            inter.original_message_id = msg["id"]
        elif ctype == 8:
            errors = limits.validate_autocomplete(data)
            if errors:
                return 400, errors.body()
            inter.autocomplete_choices = copy.deepcopy(data["choices"])
        elif ctype == 9:
            errors = limits.validate_modal(data)
            if errors:
                return 400, errors.body()
            inter.modal = copy.deepcopy(data)
        inter.responded = True
        inter.response_type = ctype
        if rec.query.get("with_response") in ("1", "true", "True"):
            return 200, result
        return 204, None

    def _webhook_interaction(self, app_id: str, token: str) -> InteractionState:
        inter = next((i for i in self.interactions.values() if i.token == token), None)
        if app_id != self.app_id or inter is None or not inter.responded:
            raise Refusal(404, 10015, "Unknown Webhook")
        if time.time() - inter.created_wall > self.interaction_token_ttl:
            raise Refusal(401, 50027, "Invalid Webhook Token")
        return inter

    async def _webhook_execute(
        self, rec: RecordedRequest, app_id: str, token: str
    ) -> tuple[int, Any]:
        inter = self._webhook_interaction(app_id, token)
        body = rec.json
        err = self._validate_send(body, has_files=bool(rec.files))
        if err:
            return err
        channel_id = inter.payload.get("channel_id") or inter.payload.get("channel", {}).get("id")
        if inter.deferred_pending and inter.original_message_id in self.messages:
            # The first followup after a deferred "thinking" response edits that message.
            msg = self.messages[inter.original_message_id]
            err = self._apply_edit(rec, msg, body)
            if err:
                return err
            inter.deferred_pending = False
            self._echo("MESSAGE_UPDATE", msg)
        else:
            atts = self._attachments_for(rec, channel_id, body, [])
            if isinstance(atts, tuple):
                return atts
            flags = (body.get("flags") or 0) & (
                MESSAGE_FLAG_EPHEMERAL | limits.IS_COMPONENTS_V2 | 4 | 4096
            )
            msg = self._build_message(
                channel_id, body, attachments=atts, flags=flags, interaction=inter
            )
            inter.followup_ids.append(msg["id"])
            self._echo("MESSAGE_CREATE", msg)
        rec.message_id, rec.created = msg["id"], True
        if rec.query.get("wait") in ("1", "true", "True"):
            return 200, copy.deepcopy(msg)
        return 204, None

    def _webhook_target(
        self, app_id: str, token: str, message_id: str
    ) -> tuple[InteractionState, JSON]:
        """The interaction and the message a webhook route names."""
        inter = self._webhook_interaction(app_id, token)
        msg = self._webhook_message(inter, message_id)
        if msg is None:
            raise Refusal(404, 10008, "Unknown Message")
        return inter, msg

    def _webhook_message(self, inter: InteractionState, message_id: str) -> JSON | None:
        if message_id == "@original":
            return self.messages.get(inter.original_message_id or "")
        if message_id in inter.followup_ids or message_id == inter.original_message_id:
            return self.messages.get(message_id)
        return None

    async def _webhook_get(
        self, rec: RecordedRequest, app_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        _, msg = self._webhook_target(app_id, token, message_id)
        return 200, copy.deepcopy(msg)

    async def _webhook_patch(
        self, rec: RecordedRequest, app_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        inter, msg = self._webhook_target(app_id, token, message_id)
        err = self._apply_edit(rec, msg, rec.json)
        if err:
            return err
        if msg["id"] == inter.original_message_id:
            inter.deferred_pending = False
        rec.message_id = msg["id"]
        self._echo("MESSAGE_UPDATE", msg)
        return 200, copy.deepcopy(msg)

    async def _webhook_delete(
        self, rec: RecordedRequest, app_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        _, msg = self._webhook_target(app_id, token, message_id)
        self._delete_stored(msg)
        return 204, None
