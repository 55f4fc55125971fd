"""Does a chat message read as a question? Used before answering unprompted."""

from __future__ import annotations

from typing import Final

from bot.core.text import tokenize

_QUESTION_OPENERS: Final = frozenset(
    """
    come cosa cos che chi quale quali quanto quanti quanta quante quando dove perche
    perché posso possiamo puoi si esiste esistono ce serve conviene meglio
    differenza differenze qualcuno sapete sai how what why which can does
    is are should
    """.split()
)


def looks_like_question(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    if "?" in stripped:
        return True
    tokens = tokenize(stripped)
    return bool(tokens) and tokens[0] in _QUESTION_OPENERS
