"""Masked links in FAQ text: a label that reads as one address but leads to another.

Discord renders `[label](target)` as a link showing only the label, so a label
like `https://discord.com/download` pointing at `https://evil.example` would let
a moderator's answer send members somewhere they did not choose. Labels that are
plain words are fine; a label that looks like an address must lead to that
same host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# `[label](target)` or `[label](<target>)`, with an optional "title" after the
# target; the label may not contain brackets (Discord's own limit).
_MARKDOWN_LINK_RE = re.compile(r"\[([^\[\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Something a reader would take for an address: a scheme, or a dotted host with
# a letters-only top-level label, optionally followed by a path.
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_BARE_HOST_RE = re.compile(
    r"(?:www\.)?(?:[\w-]+\.)+[^\W\d_]{2,}(?::\d+)?(?:[/?#]\S*)?", re.IGNORECASE
)
# Markdown formatting and angle brackets a label may be wrapped in.
_LABEL_DECORATION = "*_~`<> \t"


@dataclass(frozen=True)
class MaskedLink:
    label: str
    target: str


def _host(address: str) -> str | None:
    """The lower-case host of an address, with or without a scheme; None if there is none."""
    text = address.strip()
    if not _SCHEME_RE.match(text):
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host.removeprefix("www.")


def _same_site(label_host: str | None, target_host: str | None) -> bool:
    """The target is the label's host or one of its subdomains (same owner)."""
    if label_host is None or target_host is None:
        return False
    return target_host == label_host or target_host.endswith("." + label_host)


def _looks_like_address(label: str) -> bool:
    return bool(_SCHEME_RE.match(label) or _BARE_HOST_RE.fullmatch(label))


def masked_links(text: str) -> list[MaskedLink]:
    """Every link whose label looks like an address on a different host than its target."""
    found: list[MaskedLink] = []
    for match in _MARKDOWN_LINK_RE.finditer(text):
        link = _masked(match)
        if link is not None:
            found.append(link)
    return found


def _masked(match: re.Match[str]) -> MaskedLink | None:
    """The link `match` found, if its label reads as an address on another host."""
    label = match.group(1).strip(_LABEL_DECORATION)
    target = match.group(2)
    if _looks_like_address(label) and not _same_site(_host(label), _host(target)):
        return MaskedLink(label=label, target=target)
    return None


def unmask_links(text: str) -> str:
    """`text` with every masked link shown as its real target.

    Saving refuses masked links; this covers entries stored before that check,
    so a member always sees where a link leads.
    """

    def shown(match: re.Match[str]) -> str:
        link = _masked(match)
        return match.group(0) if link is None else f"<{link.target}>"

    return _MARKDOWN_LINK_RE.sub(shown, text)
