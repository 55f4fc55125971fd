"""The YAML exchange format of FAQ entries: export (`dump_entries`) and import (`load_entries`).

Pure code, like `bot.core.faq`: no I/O, no discord. Loading checks only the
shape of a file; the field rules of `bot.core.faq.validate_entry` are applied
on import, so that every problem is reported together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

import yaml

from bot import messages as msg
from bot.core.faq import FaqEntry, InvalidEntry

FORMAT_VERSION = 1
YAML_MAX_CHARS = 5_000_000
# Most entries one exchange file may hold (callers pass the per-guild cap when
# they know it): the file is refused before any record is built.
FILE_MAX_ENTRIES = 1_000


class InvalidFile(InvalidEntry):
    """An export file that is not valid YAML or does not have the expected shape."""


class FaqRecord(TypedDict):
    """One entry as read from an export file, before it belongs to a guild."""

    name: str
    question: str
    answer: str
    phrasings: list[str]


# --- writing ------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line text as literal blocks for readability."""


# Line breaks beyond "\n" that PyYAML may fold when emitted plain or as blocks.
_UNUSUAL_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style: str | None = None
    if _UNUSUAL_BREAKS.intersection(data):
        style = '"'  # escaped, so it survives a round trip exactly
    elif "\n" in data:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def record_of(entry: FaqEntry) -> FaqRecord:
    return {
        "name": entry.name,
        "question": entry.question,
        "answer": entry.answer,
        "phrasings": list(entry.phrasings),
    }


def dump_entries(entries: Iterable[FaqEntry]) -> str:
    """Serialise entries to the YAML exchange format (guild-independent)."""
    items: list[dict[str, Any]] = []
    for entry in entries:
        item: dict[str, Any] = dict(record_of(entry))
        if not entry.phrasings:
            del item["phrasings"]
        items.append(item)
    body = yaml.dump(
        {"version": FORMAT_VERSION, "faq": items},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return f"{msg.FAQ_YAML_HEADER}\n{body}"


def dump_parts(entries: Sequence[FaqEntry], max_bytes: int) -> list[str]:
    """`dump_entries`, split into complete files of at most `max_bytes` UTF-8 bytes each.

    Import adds or updates by name, so importing the parts one after the other
    is the same as importing one big file. A single entry always fits (it is at
    most a few tens of kilobytes).
    """
    text = dump_entries(entries)
    if len(entries) <= 1 or len(text.encode("utf-8")) <= max_bytes:
        return [text]
    middle = len(entries) // 2
    return dump_parts(entries[:middle], max_bytes) + dump_parts(entries[middle:], max_bytes)


# --- reading ------------------------------------------------------------------

_REQUIRED = ("name", "question", "answer")
_KNOWN = frozenset((*_REQUIRED, "phrasings"))


def _record_from(number: int, item: object, problems: list[str]) -> FaqRecord | None:
    if not isinstance(item, Mapping):
        problems.append(msg.FAQ_YAML_ENTRY_NOT_MAPPING.format(number=number))
        return None
    before = len(problems)
    unknown = sorted(str(k) for k in item if k not in _KNOWN)
    if unknown:
        fields = ", ".join(f"«{k}»" for k in unknown)
        problems.append(msg.FAQ_YAML_UNKNOWN.format(number=number, fields=fields))
    values: dict[str, str] = {}
    for key in _REQUIRED:
        value = item.get(key)
        if value is None:
            problems.append(msg.FAQ_YAML_MISSING.format(number=number, field=key))
        elif not isinstance(value, str):
            problems.append(msg.FAQ_YAML_NOT_TEXT.format(number=number, field=key))
        else:
            values[key] = value
    raw_phrasings = item.get("phrasings")
    phrasings: list[str] = []
    if raw_phrasings is not None:
        if isinstance(raw_phrasings, list) and all(isinstance(p, str) for p in raw_phrasings):
            phrasings = list(raw_phrasings)
        else:
            problems.append(msg.FAQ_YAML_PHRASINGS.format(number=number))
    if len(problems) > before:
        return None
    return {
        "name": values["name"],
        "question": values["question"],
        "answer": values["answer"],
        "phrasings": phrasings,
    }


class _AliasRefused(yaml.MarkedYAMLError):
    """An alias (`*name`) in an import file: one line can expand into thousands."""


class _Loader(yaml.SafeLoader):
    """Safe loader that refuses aliases, so a small file cannot expand on load."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _AliasRefused(problem="alias", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def load_entries(text: str, *, max_entries: int = FILE_MAX_ENTRIES) -> list[FaqRecord]:
    """Parse the YAML exchange format; raise `InvalidFile` with Italian problems.

    Only the shape is checked here; field rules are applied on import, by
    `validate_entry`, so that every problem is reported together. Files with
    YAML aliases or more than `max_entries` entries are refused outright.
    Parsing a large file takes a while: async callers run this in a thread.
    """
    if len(text) > YAML_MAX_CHARS:
        raise InvalidFile([msg.FAQ_YAML_TOO_BIG.format(max=YAML_MAX_CHARS)])
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except _AliasRefused as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise InvalidFile([msg.FAQ_YAML_ALIASES.format(line=line)]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            raise InvalidFile([msg.FAQ_YAML_INVALID_NOPOS]) from exc
        problem = msg.FAQ_YAML_INVALID.format(line=mark.line + 1, column=mark.column + 1)
        raise InvalidFile([problem]) from exc
    except yaml.YAMLError as exc:
        raise InvalidFile([msg.FAQ_YAML_INVALID_NOPOS]) from exc

    items: object
    if isinstance(data, list):
        items = data
    elif isinstance(data, Mapping) and "faq" in data:
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            problem = msg.FAQ_YAML_VERSION.format(version=version, supported=FORMAT_VERSION)
            raise InvalidFile([problem])
        extra = sorted(str(k) for k in data if k not in ("version", "faq"))
        if extra:
            raise InvalidFile([msg.FAQ_YAML_TOP_KEYS.format(keys=", ".join(extra))])
        items = data["faq"] if data["faq"] is not None else []
    else:
        raise InvalidFile([msg.FAQ_YAML_SHAPE])
    if not isinstance(items, list):
        raise InvalidFile([msg.FAQ_YAML_SHAPE])
    if len(items) > max_entries:
        raise InvalidFile([msg.FAQ_YAML_TOO_MANY.format(count=len(items), max=max_entries)])

    problems: list[str] = []
    records = [_record_from(n, item, problems) for n, item in enumerate(items, start=1)]
    if problems:
        raise InvalidFile(problems)
    return [r for r in records if r is not None]
