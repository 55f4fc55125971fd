"""Write knowledge/faq/common_words.txt: how common each word stem is in everyday language.

Usage: python benchmarks/common_words.py   (needs the `bench` extra: wordfreq)

The FAQ search weighs a word no entry uses by how rare it is in the language
(`bot/core/faq_common_words.py`): "pagare" or "studente" in a member's question
say little about its topic, "terraform" says a lot. The figures are Zipf values
(log10 of occurrences per billion words) from the wordfreq package by Robyn
Speer, whose data is licensed CC BY-SA 4.0; each stem keeps its most common word.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wordfreq import top_n_list, zipf_frequency  # noqa: E402

from bot.core.faq_common_words import COMMON_WORDS_FILE, FLOOR_ZIPF  # noqa: E402
from bot.core.text import stem, tokenize  # noqa: E402

HEADER = """\
# How common each word stem is in everyday Italian and English, as a Zipf value
# (log10 of occurrences per billion words), for stems at or above {floor}.
# Written by benchmarks/common_words.py from the wordfreq package (Robyn Speer,
# https://github.com/rspeer/wordfreq), whose data is licensed CC BY-SA 4.0.
"""


def main() -> None:
    zipf: dict[str, float] = {}
    for language in ("it", "en"):
        for word in top_n_list(language, 100_000):
            value = zipf_frequency(word, language)
            if value < FLOOR_ZIPF:
                break
            if not word.isalpha() or tokenize(word) != [word]:
                continue
            key = stem(word)
            zipf[key] = max(zipf.get(key, 0.0), value)
    lines = [f"{key}\t{value:.2f}" for key, value in sorted(zipf.items())]
    path = ROOT / "knowledge" / COMMON_WORDS_FILE
    path.write_text(HEADER.format(floor=FLOOR_ZIPF) + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} stems to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
