"""Typed access to YAML nodes that fails with file:line messages.

The knowledge loader walks YAML *nodes* rather than plain Python values, so
every problem is reported with the file and line it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable

import yaml

Node = yaml.Node


class KnowledgeError(Exception):
    """A knowledge file is malformed; the message names file, line and problem."""


class NodeReader:
    """Typed access to YAML nodes that fails with file:line messages."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Node | None, problem: str) -> KnowledgeError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return KnowledgeError(f"{self.path}{line}: {problem}")

    def mapping(
        self,
        node: Node,
        what: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> dict[str, Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        required = tuple(required)
        allowed = set(required) | set(optional)
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, f"{what}: keys must be strings")
            if key not in allowed:
                raise self.fail(
                    key_node,
                    f"{what}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})",
                )
            if key in result:
                raise self.fail(key_node, f"{what}: duplicate key '{key}'")
            result[key] = value_node
        for key in required:
            if key not in result:
                raise self.fail(node, f"{what}: missing key '{key}'")
        return result

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.fail(node, f"{what} must be a text value")
        value = str(node.value).strip()
        if not value:
            raise self.fail(node, f"{what} must not be empty")
        return value

    def sequence(self, node: Node, what: str) -> list[Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def texts(self, node: Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        return tuple(self.text(item, f"{what} item") for item in self.sequence(node, what))


# libyaml's parser, where PyYAML has it, reads a table several times faster
# (most of a one-shot `ask`'s start). Both give the same nodes: values, tags
# and lines.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_yaml(text: str, path: str) -> Node:
    """The YAML text's root node; KnowledgeError names the line of a syntax error."""
    try:
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        # Read again by the pure-Python parser, whose messages users know.
        root = _compose_or_fail(text, path)
    if root is None:
        raise KnowledgeError(f"{path}: the file is empty")
    return root


def _compose_or_fail(text: str, path: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(f"{path}{line}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: invalid YAML: {exc}") from None


def identifier(reader: NodeReader, node: Node, what: str) -> str:
    value = reader.text(node, what)
    if (
        not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in value)
        or value != value.lower()
    ):
        raise reader.fail(
            node, f"{what} '{value}' must use lowercase ascii letters, digits and '-'"
        )
    return value


def bounded(reader: NodeReader, node: Node, what: str, limit: int) -> str:
    value = reader.text(node, what)
    if len(value) > limit:
        raise reader.fail(node, f"{what} is {len(value)} characters long (at most {limit})")
    return value
