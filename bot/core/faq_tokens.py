"""Which words of an FAQ entry or a member's question count as evidence.

Pasted logs and code are evidence, but only through the words the FAQ knows:
`split_pasted` separates a question's prose from its code spans, blocks and
pasted paths, URLs or host:port pairs, so the index can drop the pod hashes,
timestamps and column headers of a paste and keep "CrashLoopBackOff". Ways of
asking ("cosa vuol dire"), chat filler and the function words of English
error messages say nothing about the topic and are dropped everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from bot.core.text import content_tokens, stem

# Code spans and blocks in chat markdown: ```...``` first, then `...`.
_CODE: Final = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.DOTALL)
# Pasted paths, URLs, image references and host:port pairs outside backticks
# ("registry.gitlab.com/io/app:1.2", "/var/lib/docker"): read like code.
# Tested one whitespace-separated chunk at a time: no backtracking over a long paste.
_TECHNICAL: Final = re.compile(r"[/=]|\w:\w|\w\.\w+\.\w")
DIGIT: Final = re.compile(r"\d")
# English function words of pasted errors ("repository does not exist or may
# require authorization"): no topic, and they would dilute the real evidence.
_ENGLISH_NOISE: Final = frozenset(
    """
    a an as at be been by did doesn don from has have if into may must no not
    off one or so than that this was were will would you your
    """.split()
)
# Ways of asking and chat filler that say nothing about the topic: "cosa vuol
# dire X?" must be found by X, not by an entry asked the same way, and "ciao a
# tutti", "non va davvero" must not count as words no entry explains.
_ASKING: Final = frozenset(
    """
    vuol vuole dire significa significato non gia sta stanno sia va vanno
    devo deve dobbiamo dopo ogni davvero ancora sempre mai tutti tutto tutte tutta
    qualcuno qualcosa niente nulla cosi pero quindi allora ecco comunque cmq
    proprio invece altro altra altri questo questa questi quello quella quelli
    qui qua ora adesso voglio vorrei riesco riesce serve servono
    """.split()
)


def clean_tokens(tokens: Iterable[str]) -> list[str]:
    # Single digits are the debris of versions, IPs and table columns.
    return [
        token
        for token in content_tokens(tokens)
        if token not in _ENGLISH_NOISE
        and token not in _ASKING
        and not (len(token) == 1 and token.isdigit())
    ]


def token_stems(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(token) for token in clean_tokens(tokens))


def split_pasted(question: str) -> tuple[str, str]:
    """A question's prose, and its pasted code, paths and URLs."""
    pasted = [match.group(0) for match in _CODE.finditer(question)]
    chunks = _CODE.sub(" ", question).split()
    pasted += [chunk for chunk in chunks if _TECHNICAL.search(chunk)]
    prose = " ".join(chunk for chunk in chunks if not _TECHNICAL.search(chunk))
    return prose, " ".join(pasted)
