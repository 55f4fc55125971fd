"""Channel chatter against each labelled server FAQ: how often the bot would answer unprompted.

Usage: python benchmarks/faq_chatter.py

The chatter sets (`tests/data/chatter*.jsonl`: greetings, jokes, status updates,
polls, near topics) must get no unprompted answer from the table; with a
server's FAQ loaded, some of them find an entry. For each server FAQ in
tests/data/, the share of chatter messages that `should_auto_reply` would post,
and the first few of them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.faq_eval import GUILD, load_faq  # noqa: E402
from bot.core.auto_reply import should_auto_reply  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.knowledge import load_knowledge_dir  # noqa: E402

DATA = ROOT / "tests" / "data"
SHOWN = 3


def chatter() -> list[str]:
    texts = []
    for path in sorted(DATA.glob("chatter*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                texts.append(item.get("text") or item.get("q") or "")
    return texts


def main() -> None:
    texts = chatter()
    engine = Engine(load_knowledge_dir(ROOT / "knowledge"))
    table_only = [text for text in texts if should_auto_reply(engine.ask(text), text)]
    print(f"{len(texts)} chatter messages; the table alone answers {len(table_only)}")
    print()
    print("| server FAQ | unprompted FAQ or table replies | first ones |")
    print("| :--- | ---: | :--- |")
    for path in sorted(DATA.glob("faq_server*.yaml")):
        engine.set_faq(GUILD, load_faq(path))
        replied = [
            text for text in texts if should_auto_reply(engine.ask(text, guild_id=GUILD), text)
        ]
        shown = "; ".join(repr(text[:50]) for text in replied[:SHOWN])
        print(f"| {path.name} | {len(replied)} ({len(replied) / len(texts):.1%}) | {shown} |")


if __name__ == "__main__":
    main()
