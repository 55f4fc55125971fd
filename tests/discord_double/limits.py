"""Discord limits the double enforces (docs section 10), with Discord-shaped 50035 error trees.

Every validator returns a :class:`FormErrors`; an empty one means "valid".
"""

from __future__ import annotations

import unicodedata
from typing import Any

JSON = dict[str, Any]

# Component types
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT = 5, 6, 7, 8
SECTION, TEXT_DISPLAY, THUMBNAIL, MEDIA_GALLERY, FILE, SEPARATOR, CONTAINER, LABEL = (
    9,
    10,
    11,
    12,
    13,
    14,
    17,
    18,
)
SELECTS = {STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT}
IS_COMPONENTS_V2 = 1 << 15

# Option types
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)


class FormErrors:
    """Builds ``{"a": {"0": {"b": {"_errors": [{code, message}]}}}}`` trees."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: tuple[Any, ...] | list[Any], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self.tree)

    def flat(self) -> list[str]:
        """``["embeds.0.fields: Must be 25 or fewer in length.", ...]`` (for assertions)."""
        out: list[str] = []

        def walk(node: JSON, prefix: str) -> None:
            for key, value in node.items():
                if key == "_errors":
                    out.extend(f"{prefix}: {e['message']}" for e in value)
                else:
                    walk(value, f"{prefix}.{key}" if prefix else key)

        walk(self.tree, "")
        return out

    def body(self) -> JSON:
        return {"code": 50035, "message": "Invalid Form Body", "errors": self.tree}


def _max_len(errors: FormErrors, path: tuple[Any, ...], value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _bad_len(errors: FormErrors, path: tuple[Any, ...], value: Any, lo: int, hi: int) -> None:
    n = len(value) if isinstance(value, str | list) else 0
    if value is None or not lo <= n <= hi:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")


def _url(errors: FormErrors, path: tuple[Any, ...], value: Any, *, attachment_ok: bool) -> None:
    if value is None:
        return
    schemes = ("http://", "https://") + (("attachment://",) if attachment_ok else ())
    if not isinstance(value, str) or not value.startswith(schemes) or len(value) > 2048:
        errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------


def embed_size(embed: JSON) -> int:
    """Characters counted towards the 6000 limit (whitespace-trimmed)."""

    def n(value: Any) -> int:
        return len(value.strip()) if isinstance(value, str) else 0

    total = n(embed.get("title")) + n(embed.get("description"))
    total += n((embed.get("footer") or {}).get("text")) + n((embed.get("author") or {}).get("name"))
    for f in embed.get("fields") or []:
        total += n(f.get("name")) + n(f.get("value"))
    return total


def validate_embeds(errors: FormErrors, embeds: Any) -> None:
    if embeds is None:
        return
    if not isinstance(embeds, list):
        errors.add(("embeds",), "LIST_TYPE_CONVERT", "Must be an array.")
        return
    if len(embeds) > 10:
        errors.add(("embeds",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, e in enumerate(embeds):
        p = ("embeds", i)
        _max_len(errors, (*p, "title"), (e.get("title") or "").strip(), 256)
        _max_len(errors, (*p, "description"), (e.get("description") or "").strip(), 4096)
        _url(errors, (*p, "url"), e.get("url"), attachment_ok=False)
        color = e.get("color")
        if color is not None and not (isinstance(color, int) and 0 <= color <= 0xFFFFFF):
            errors.add(
                (*p, "color"), "NUMBER_TYPE_MAX", "int value should be <= 16777215 and >= 0."
            )
        footer = e.get("footer")
        if footer is not None:
            text = footer.get("text")
            if not isinstance(text, str) or not text.strip():
                errors.add((*p, "footer", "text"), "BASE_TYPE_REQUIRED", "This field is required")
            else:
                _max_len(errors, (*p, "footer", "text"), text.strip(), 2048)
            _url(errors, (*p, "footer", "icon_url"), footer.get("icon_url"), attachment_ok=True)
        author = e.get("author")
        if author is not None:
            name = author.get("name")
            if not isinstance(name, str) or not name.strip():
                errors.add((*p, "author", "name"), "BASE_TYPE_REQUIRED", "This field is required")
            else:
                _max_len(errors, (*p, "author", "name"), name.strip(), 256)
            _url(errors, (*p, "author", "url"), author.get("url"), attachment_ok=False)
            _url(errors, (*p, "author", "icon_url"), author.get("icon_url"), attachment_ok=True)
        for key in ("image", "thumbnail"):
            if e.get(key) is not None:
                _url(errors, (*p, key, "url"), e[key].get("url"), attachment_ok=True)
        fields = e.get("fields") or []
        if len(fields) > 25:
            errors.add((*p, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, f in enumerate(fields):
            fp = (*p, "fields", j)
            for key, limit in (("name", 256), ("value", 1024)):
                value = f.get(key)
                if not isinstance(value, str) or not value.strip():
                    errors.add((*fp, key), "BASE_TYPE_REQUIRED", "This field is required")
                else:
                    _max_len(errors, (*fp, key), value.strip(), limit)
        total += embed_size(e)
    if total > 6000:
        errors.add(
            ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )


def _walk_components(components: list[JSON]) -> list[JSON]:
    out: list[JSON] = []
    for c in components or []:
        out.append(c)
        out.extend(_walk_components(c.get("components") or []))
        if isinstance(c.get("component"), dict):
            out.extend(_walk_components([c["component"]]))
        if isinstance(c.get("accessory"), dict):
            out.append(c["accessory"])
    return out


def _validate_button(errors: FormErrors, p: tuple[Any, ...], b: JSON) -> None:
    style = b.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        errors.add((*p, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
    _max_len(errors, (*p, "label"), b.get("label"), 80)
    if style == 5:
        if not b.get("url"):
            errors.add((*p, "url"), "BASE_TYPE_REQUIRED", "This field is required")
        _url(errors, (*p, "url"), b.get("url"), attachment_ok=False)
        if b.get("custom_id") is not None:
            errors.add(
                (*p, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                "A custom id is not allowed",
            )
    elif style == 6:
        if not b.get("sku_id"):
            errors.add((*p, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        if not b.get("custom_id"):
            errors.add((*p, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
        else:
            _bad_len(errors, (*p, "custom_id"), b.get("custom_id"), 1, 100)
        if b.get("url") is not None:
            errors.add((*p, "url"), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "A url is not allowed")
    if style != 6 and not b.get("label") and not b.get("emoji"):
        errors.add((*p, "label"), "BUTTON_COMPONENT_INVALID", "A label or emoji is required")


def _validate_select(errors: FormErrors, p: tuple[Any, ...], s: JSON) -> None:
    _bad_len(errors, (*p, "custom_id"), s.get("custom_id"), 1, 100)
    _max_len(errors, (*p, "placeholder"), s.get("placeholder"), 150)
    min_v, max_v = s.get("min_values", 1), s.get("max_values", 1)
    if not 0 <= min_v <= 25:
        errors.add((*p, "min_values"), "NUMBER_TYPE_MAX", "int value should be <= 25 and >= 0.")
    if not 1 <= max_v <= 25:
        errors.add((*p, "max_values"), "NUMBER_TYPE_MAX", "int value should be <= 25 and >= 1.")
    if s.get("type") == STRING_SELECT:
        options = s.get("options") or []
        if not 1 <= len(options) <= 25:
            errors.add(
                (*p, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
            )
        if max_v > len(options) and options:
            errors.add(
                (*p, "max_values"),
                "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
                "max_values exceeds options",
            )
        for k, o in enumerate(options):
            _bad_len(errors, (*p, "options", k, "label"), o.get("label"), 1, 100)
            _bad_len(errors, (*p, "options", k, "value"), o.get("value"), 1, 100)
            _max_len(errors, (*p, "options", k, "description"), o.get("description"), 100)


def validate_components(
    errors: FormErrors, components: Any, *, flags: int = 0, path: str = "components"
) -> None:
    if components is None:
        return
    if not isinstance(components, list):
        errors.add((path,), "LIST_TYPE_CONVERT", "Must be an array.")
        return
    every = _walk_components(components)
    seen: set[str] = set()
    for c in every:
        cid = c.get("custom_id")
        if cid is not None:
            if cid in seen:
                errors.add(
                    (path,),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(cid)
    if flags & IS_COMPONENTS_V2:
        if len(every) > 40:
            errors.add((path,), "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total components.")
        text = sum(len(c.get("content") or "") for c in every if c.get("type") == TEXT_DISPLAY)
        if text > 4000:
            errors.add(
                (path,),
                "BASE_TYPE_MAX_LENGTH",
                "Text display content must be 4000 or fewer in total.",
            )
        for i, c in enumerate(every):
            if c.get("type") == BUTTON:
                _validate_button(errors, (path, "all", i), c)
            elif c.get("type") in SELECTS:
                _validate_select(errors, (path, "all", i), c)
        return
    if len(components) > 5:
        errors.add((path,), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for i, row in enumerate(components):
        p = (path, i)
        if row.get("type") != ACTION_ROW:
            errors.add(
                (*p, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).'
            )
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= 5:
            errors.add(
                (*p, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
            )
        types = {c.get("type") for c in children}
        if types & SELECTS and len(children) > 1:
            errors.add(
                (*p, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for j, c in enumerate(children):
            cp = (*p, "components", j)
            if c.get("type") == BUTTON:
                _validate_button(errors, cp, c)
            elif c.get("type") in SELECTS:
                _validate_select(errors, cp, c)
            else:
                errors.add(
                    (*cp, "type"),
                    "UNION_TYPE_CHOICES",
                    "Invalid component type for a message action row.",
                )


def validate_allowed_mentions(errors: FormErrors, am: Any) -> None:
    if am is None:
        return
    parse = am.get("parse")
    if parse is not None:
        for i, value in enumerate(parse):
            if value not in ("users", "roles", "everyone"):
                errors.add(
                    ("allowed_mentions", "parse", i),
                    "BASE_TYPE_CHOICES",
                    "Value must be one of ('everyone', 'roles', 'users').",
                )
        for key in ("users", "roles"):
            if key in parse and am.get(key):
                errors.add(
                    ("allowed_mentions",),
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{key}"] and {key}: [ids] are mutually exclusive.',
                )
    for key in ("users", "roles"):
        if len(am.get(key) or []) > 100:
            errors.add(
                ("allowed_mentions", key), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."
            )


def message_is_empty(msg: JSON) -> bool:
    content = msg.get("content")
    return (
        not (isinstance(content, str) and content.strip())
        and not msg.get("embeds")
        and not msg.get("attachments")
        and not msg.get("sticker_ids")
        and not msg.get("components")
        and not msg.get("poll")
    )


def validate_message(body: JSON) -> FormErrors:
    """Create/edit message bodies (channel messages, interaction responses, webhooks)."""
    errors = FormErrors()
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errors.add(("content",), "STRING_TYPE_CONVERT", "Could not interpret value as string.")
    _max_len(errors, ("content",), content, 2000)
    validate_embeds(errors, body.get("embeds"))
    flags = body.get("flags") or 0
    validate_components(errors, body.get("components"), flags=flags)
    if flags & IS_COMPONENTS_V2 and (content or body.get("embeds")):
        errors.add(
            ("content",),
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content' and 'embeds' fields cannot be used with MessageFlags.IS_COMPONENTS_V2",
        )
    validate_allowed_mentions(errors, body.get("allowed_mentions"))
    nonce = body.get("nonce")
    if isinstance(nonce, str) and len(nonce) > 25:
        errors.add(("nonce",), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    return errors


# ---------------------------------------------------------------------------------------------
# Application commands
# ---------------------------------------------------------------------------------------------


def _name_char_ok(ch: str) -> bool:
    if ch in "-_'":
        return True
    if unicodedata.category(ch)[0] in ("L", "N"):
        return True
    cp = ord(ch)
    return 0x0900 <= cp <= 0x097F or 0x0E00 <= cp <= 0x0E7F  # Devanagari, Thai (incl. marks)


def chat_input_name_ok(name: Any) -> bool:
    """``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`` plus "lowercase where possible"."""
    return (
        isinstance(name, str)
        and 1 <= len(name) <= 32
        and all(_name_char_ok(c) for c in name)
        and name == name.lower()
    )


def command_size(cmd: JSON) -> int:
    """Characters counted toward the 8000 limit: names, descriptions, choice names and values."""

    def opt_size(o: JSON) -> int:
        n = len(o.get("name") or "") + len(o.get("description") or "")
        for c in o.get("choices") or []:
            n += len(str(c.get("name") or "")) + len(str(c.get("value") or ""))
        return n + sum(opt_size(s) for s in o.get("options") or [])

    return opt_size(cmd)


def _validate_options(
    errors: FormErrors, p: tuple[Any, ...], options: list[JSON], depth: int
) -> None:
    if len(options) > 25:
        errors.add((*p, "options"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    kinds = {o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options}
    if len(kinds) > 1:
        errors.add(
            (*p, "options"),
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-commands and groups cannot be mixed with other options",
        )
    names: set[str] = set()
    seen_optional = False
    for i, o in enumerate(options):
        op = (*p, "options", i)
        otype = o.get("type")
        if not chat_input_name_ok(o.get("name")):
            errors.add((*op, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if o.get("name") in names:
            errors.add(
                (*op, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option name already exists",
            )
        names.add(o.get("name"))
        _bad_len(errors, (*op, "description"), o.get("description"), 1, 100)
        if otype not in range(1, 12):
            errors.add((*op, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1..11).")
        if otype == SUB_COMMAND_GROUP:
            if depth > 0:
                errors.add(
                    (*op, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command groups can only be nested at the top level",
                )
            children = o.get("options") or []
            if not children or any(c.get("type") != SUB_COMMAND for c in children):
                errors.add(
                    (*op, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command groups must contain sub-commands only",
                )
            _validate_options(errors, op, children, depth + 1)
            continue
        if otype == SUB_COMMAND:
            if depth > 1:
                errors.add(
                    (*op, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-commands cannot be nested this deep",
                )
            children = o.get("options") or []
            if any(c.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for c in children):
                errors.add(
                    (*op, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-commands cannot contain sub-commands",
                )
            _validate_options(errors, op, children, depth + 1)
            continue
        if o.get("required"):
            if seen_optional:
                errors.add(
                    (*op, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = o.get("choices")
        if choices:
            if len(choices) > 25:
                errors.add(
                    (*op, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
                )
            if o.get("autocomplete"):
                errors.add(
                    (*op, "autocomplete"),
                    "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE",
                    "Autocomplete cannot be enabled if choices are present",
                )
            if otype not in (STRING, INTEGER, NUMBER):
                errors.add(
                    (*op, "choices"),
                    "APPLICATION_COMMAND_OPTION_CHOICES_TYPE_INVALID",
                    "Choices are only allowed on string, integer and number options",
                )
            for k, c in enumerate(choices):
                _bad_len(errors, (*op, "choices", k, "name"), c.get("name"), 1, 100)
                if otype == STRING:
                    _bad_len(errors, (*op, "choices", k, "value"), c.get("value"), 1, 100)
        if o.get("autocomplete") and otype not in (STRING, INTEGER, NUMBER):
            errors.add(
                (*op, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_TYPE_INVALID",
                "Autocomplete is only allowed on string, integer and number options",
            )
        for key in ("min_length", "max_length"):
            v = o.get(key)
            if v is not None and not 0 <= v <= 6000:
                errors.add((*op, key), "NUMBER_TYPE_MAX", "int value should be <= 6000 and >= 0.")


def validate_commands(commands: Any) -> tuple[int, JSON] | None:
    """Bulk overwrite (PUT) body → ``(status, error body)`` or ``None`` when valid."""
    errors = FormErrors()
    if not isinstance(commands, list):
        errors.add((), "LIST_TYPE_CONVERT", "Must be an array.")
        return 400, errors.body()
    counts = {1: 0, 2: 0, 3: 0, 4: 0}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        counts[ctype] = counts.get(ctype, 0) + 1
        name = cmd.get("name")
        if (ctype, name) in seen:
            errors.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add((ctype, name))
        if ctype == 1:
            if not chat_input_name_ok(name):
                errors.add(
                    (i, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
                )
            _bad_len(errors, (i, "description"), cmd.get("description"), 1, 100)
            _validate_options(errors, (i,), cmd.get("options") or [], 0)
            if command_size(cmd) > 8000:
                errors.add(
                    (i,), "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)"
                )
        else:
            _bad_len(errors, (i, "name"), name, 1, 32)
            if cmd.get("description"):
                errors.add(
                    (i, "description"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                    "Context menu commands cannot have a description",
                )
            if cmd.get("options"):
                errors.add(
                    (i, "options"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                    "Context menu commands cannot have options",
                )
    if counts[1] > 100 or counts[2] > 15 or counts[3] > 15:
        return 400, {
            "code": 30032,
            "message": "Maximum number of application commands reached (100)",
        }
    if errors:
        return 400, errors.body()
    return None


# ---------------------------------------------------------------------------------------------
# Interaction callbacks
# ---------------------------------------------------------------------------------------------


def validate_autocomplete(data: Any) -> FormErrors:
    errors = FormErrors()
    choices = (data or {}).get("choices")
    if choices is None:
        errors.add(("data", "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        return errors
    if len(choices) > 25:
        errors.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for k, c in enumerate(choices):
        _bad_len(errors, ("data", "choices", k, "name"), c.get("name"), 1, 100)
        value = c.get("value")
        if isinstance(value, str):
            _max_len(errors, ("data", "choices", k, "value"), value, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            errors.add(
                ("data", "choices", k, "value"), "BASE_TYPE_REQUIRED", "This field is required"
            )
    return errors


def _validate_text_input(
    errors: FormErrors, p: tuple[Any, ...], t: JSON, *, in_label: bool
) -> None:
    _bad_len(errors, (*p, "custom_id"), t.get("custom_id"), 1, 100)
    if t.get("style") not in (1, 2):
        errors.add((*p, "style"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
    if in_label:
        if t.get("label") is not None:
            errors.add(
                (*p, "label"),
                "TEXT_INPUT_LABEL_NOT_ALLOWED",
                "label is not allowed inside a label component",
            )
    else:
        _bad_len(errors, (*p, "label"), t.get("label"), 1, 45)
    min_l, max_l = t.get("min_length"), t.get("max_length")
    if min_l is not None and not 0 <= min_l <= 4000:
        errors.add((*p, "min_length"), "NUMBER_TYPE_MAX", "int value should be <= 4000 and >= 0.")
    if max_l is not None and not 1 <= max_l <= 4000:
        errors.add((*p, "max_length"), "NUMBER_TYPE_MAX", "int value should be <= 4000 and >= 1.")
    _max_len(errors, (*p, "value"), t.get("value"), 4000)
    _max_len(errors, (*p, "placeholder"), t.get("placeholder"), 100)


def validate_modal(data: Any) -> FormErrors:
    errors = FormErrors()
    data = data or {}
    _bad_len(errors, ("data", "custom_id"), data.get("custom_id"), 1, 100)
    _bad_len(errors, ("data", "title"), data.get("title"), 1, 45)
    comps = data.get("components") or []
    if not 1 <= len(comps) <= 5:
        errors.add(
            ("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    for i, c in enumerate(comps):
        p = ("data", "components", i)
        ctype = c.get("type")
        if ctype == ACTION_ROW:
            children = c.get("components") or []
            if len(children) != 1 or children[0].get("type") != TEXT_INPUT:
                errors.add(
                    (*p, "components"),
                    "MODAL_ACTION_ROW_INVALID",
                    "Action rows in modals must contain exactly one text input",
                )
            for j, child in enumerate(children):
                if child.get("type") == TEXT_INPUT:
                    _validate_text_input(errors, (*p, "components", j), child, in_label=False)
        elif ctype == LABEL:
            _bad_len(errors, (*p, "label"), c.get("label"), 1, 45)
            _max_len(errors, (*p, "description"), c.get("description"), 100)
            inner = c.get("component") or {}
            if inner.get("type") == TEXT_INPUT:
                _validate_text_input(errors, (*p, "component"), inner, in_label=True)
            elif inner.get("type") in SELECTS:
                _validate_select(errors, (*p, "component"), inner)
            elif inner.get("type") != 19:  # file upload
                errors.add(
                    (*p, "component", "type"),
                    "UNION_TYPE_CHOICES",
                    "Invalid component type in a label.",
                )
        elif ctype != TEXT_DISPLAY:
            errors.add(
                (*p, "type"), "UNION_TYPE_CHOICES", "Invalid top-level modal component type."
            )
    return errors
