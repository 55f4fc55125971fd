"""How common a word is in everyday language, for the FAQ search's weights.

A word that no entry of a server uses counts against every entry: the
question is about something the FAQ does not cover. That holds for
"terraform" or "airflow", not for "pagare" or "studente", which a member
uses to tell their story around a question the FAQ does answer. So such a
word weighs less the more common it is in everyday Italian or English
(`knowledge/faq/common_words.txt`, written by `benchmarks/common_words.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from bot.core.knowledge import KnowledgeError

COMMON_WORDS_FILE: Final = Path("faq") / "common_words.txt"
# Zipf values (log10 per billion words): under FLOOR_ZIPF a word is rare and
# weighs fully; from EVERYDAY_ZIPF on, it weighs EVERYDAY_WEIGHT of that.
# Chosen leave-one-server-out on the labelled server FAQs (benchmarks/faq.md).
FLOOR_ZIPF: Final = 3.0
EVERYDAY_ZIPF: Final = 5.0
EVERYDAY_WEIGHT: Final = 0.1


def parse_common_words(text: str, path: str = "<common words>") -> dict[str, float]:
    zipf: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        try:
            zipf[key] = float(value)
        except ValueError:
            raise KnowledgeError(f"{path}:{number}: expected 'stem<TAB>zipf'") from None
    return zipf


def load_common_words(knowledge: str | Path) -> dict[str, float]:
    """The stems next to a knowledge file or directory; none when there is no file."""
    knowledge = Path(knowledge)
    directory = knowledge.parent if knowledge.is_file() else knowledge
    path = directory / COMMON_WORDS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read the file: {exc}") from None
    return parse_common_words(text, str(path))


def unknown_word_weight(zipf: float) -> float:
    """The share of its full weight that a word no entry uses keeps."""
    if zipf <= FLOOR_ZIPF:
        return 1.0
    share = (zipf - FLOOR_ZIPF) / (EVERYDAY_ZIPF - FLOOR_ZIPF)
    return max(EVERYDAY_WEIGHT, 1.0 - (1.0 - EVERYDAY_WEIGHT) * share)
