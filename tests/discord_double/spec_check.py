"""Check recorded REST traffic against Discord's published OpenAPI description.

``spec/openapi.json.gz`` is ``specs/openapi.json`` of github.com/discord/discord-api-spec
(commit 74fda0f, July 2026; MIT licence), gzipped. Every request body the double recorded
(``DISCORD_DOUBLE_RECORD=path.jsonl``) is validated against the request schema of its route
and method, with ``$ref``s resolved inside the spec. Snowflakes may be JSON integers:
discord.py sends some that way (``message_reference.message_id``) and Discord accepts them.

    python tests/discord_double/spec_check.py recording.jsonl   # prints failures, exit 1 if any
"""

from __future__ import annotations

import copy
import gzip
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("spec") / "openapi.json.gz"
SPEC_URI = "urn:discord-api-spec"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
JSON = dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    method: str
    path: str
    template: str | None  # the spec's path template, None if the spec lacks the route
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.template is not None and not self.errors


def _path_regex(template: str) -> re.Pattern[str]:
    """``/channels/{channel_id}/messages`` -> a regex matching concrete paths."""
    segments = [
        "[^/]+" if seg.startswith("{") and seg.endswith("}") else re.escape(seg)
        for seg in template.split("/")
    ]
    return re.compile("^" + "/".join(segments) + "$")


def _pointer(*parts: str) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class SpecChecker:
    def __init__(self, spec_path: Path = SPEC_PATH) -> None:
        with gzip.open(spec_path, "rt", encoding="utf-8") as f:
            spec: JSON = json.load(f)
        schemas = spec["components"]["schemas"]
        # Integer snowflakes are fine (see the module docstring).
        snowflake = copy.deepcopy(schemas["SnowflakeType"])
        schemas["SnowflakeType"] = {"anyOf": [snowflake, {"type": "integer", "minimum": 0}]}
        self.spec = spec
        self.registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
        )
        # Literal segments beat parameters: "/messages/@original" before "/messages/{id}".
        templates = sorted(spec["paths"], key=lambda t: (t.count("{"), -len(t)))
        self._routes = [(_path_regex(t), t) for t in templates]

    def template_for(self, path: str) -> str | None:
        return next((t for regex, t in self._routes if regex.match(path)), None)

    @cache  # noqa: B019 - one checker per run, a few dozen routes
    def _validator(self, template: str, method: str) -> Draft202012Validator | None:
        operation = self.spec["paths"][template].get(method.lower()) or {}
        content = (operation.get("requestBody") or {}).get("content") or {}
        if "application/json" not in content:
            return None
        ref = (
            SPEC_URI
            + "#"
            + _pointer(
                "paths", template, method.lower(), "requestBody", "content", "application/json"
            )
            + "/schema"
        )
        return Draft202012Validator({"$ref": ref}, registry=self.registry)

    def check(self, record: JSON) -> Verdict:
        method, path = record["method"], record["path"]
        template = self.template_for(path)
        if template is None:
            return Verdict(method, path, None, ("route not in the spec",))
        if method.lower() not in self.spec["paths"][template]:
            return Verdict(method, path, template, (f"{method} not in the spec for {template}",))
        body = record.get("body")
        if method not in BODY_METHODS:
            # No GET or DELETE route takes a body; Discord ignores one (only raw test
            # clients send any).
            return Verdict(method, path, template, ())
        validator = self._validator(template, method)
        if validator is None:
            errors = () if body is None else ("the spec takes no JSON body here",)
            return Verdict(method, path, template, errors)
        if body is None:
            required = (
                self.spec["paths"][template][method.lower()].get("requestBody", {}).get("required")
            )
            errors = ("a body is required",) if required and method in BODY_METHODS else ()
            return Verdict(method, path, template, errors)
        found = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return Verdict(
            method,
            path,
            template,
            tuple(
                f"{'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message}"[:300]
                for e in found
            ),
        )

    def check_all(self, records: Iterable[JSON]) -> list[Verdict]:
        return [self.check(record) for record in records]


def read_recording(path: Path) -> Iterator[JSON]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main(argv: list[str]) -> int:
    """Check a recording: every request must validate. Those the double refused with a 400
    too are listed apart: tests that send a bad body on purpose, to see it refused."""
    checker = SpecChecker()
    records = list(read_recording(Path(argv[1])))
    failed, refused_too = [], []
    for record in records:
        verdict = checker.check(record)
        if not verdict.ok:
            (refused_too if record.get("status") == 400 else failed).append(verdict)
    for title, verdicts in (("refused by the double too", refused_too), ("FAILING", failed)):
        for v in verdicts:
            print(f"{title}: {v.method} {v.path} ({v.template}): " + "; ".join(v.errors)[:300])
    print(
        f"{len(records)} requests: {len(failed)} failing,"
        f" {len(refused_too)} invalid and refused by the double too"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
