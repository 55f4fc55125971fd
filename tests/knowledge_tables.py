"""Generated knowledge tables for the tests of Discord's command limits."""

from __future__ import annotations

from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
TABLE: Final = ROOT / "knowledge" / "kubernetes-vs-compose.yaml"


def extra_feature(number: int, systems: tuple[str, ...] = ("kubernetes", "compose")) -> str:
    """One more row of the table, as YAML under `features:`."""
    cells = "".join(
        f"      {system}:\n"
        f"        verdict: parziale\n"
        f"        headline: Voce di prova {number}\n"
        f"        text: Testo di prova numero {number}.\n"
        for system in systems
    )
    return (
        f"  - id: voce-{number:03}\n"
        f"    title: Voce di prova {number}\n"
        f"    description: Una riga generata per provare i limiti di Discord\n"
        f"    cells:\n{cells}\n"
    )


def table_with_rows(rows: int) -> str:
    """The real table grown (or kept) to `rows` features, by adding generated ones."""
    text = TABLE.read_text(encoding="utf-8")
    existing = text.count("\n  - id: ", text.index("\nfeatures:"), text.index("\nabsence_cues:"))
    extra = "".join(extra_feature(number) for number in range(rows - existing))
    at = text.index("absence_cues:")
    return text[:at] + extra + text[at:]
