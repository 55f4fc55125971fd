"""The lead: the short answer a reply opens with, for the question as asked.

The table says whether a system has a feature; the user may have asked that,
or asserted the opposite ("compose non fa autoscaling, giusto?"), or asserted
a limitation ("sono vincolato a un unico host?"), or compared the systems, or
asked an open question. `direct` is the truth of the proposition the user
wrote: "si" confirms it, "no" corrects it, "parziale" says it holds in part,
None means the question has no yes/no answer (open questions, choices, a
feature asked about no system in particular).

`key` names the Italian wording in `messages.LEAD`; `system` fills it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from bot.core.knowledge import ABSENCE_ANY, KnowledgeBase
from bot.core.question_shape import Comparison, Shape, ShapeReader

Form = Literal["has", "limitation", "negated-confirmation", "open", "comparison"]

_RANK: Final = {"no": 0, "parziale": 1, "si": 2}
_NEGATE: Final = {"si": "no", "no": "si", "parziale": "parziale"}
_ABSENCE: Final = {"si": "no", "no": "si", "parziale": "si"}


@dataclass(frozen=True)
class Lead:
    form: Form
    direct: str | None
    key: str | None = None
    system: str | None = None


class LeadReader:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        aliases = [
            (alias, system.id) for system in kb.systems for alias in (system.name, *system.aliases)
        ]
        self.shapes = ShapeReader(aliases, kb.absence_cues, kb.partial_gaps)

    def read(
        self,
        question: str,
        feature_id: str,
        system: str | None,
        close_features: tuple[str, ...] = (),
    ) -> Lead:
        """`close_features`: the matcher's runners-up. Their absence cues count
        too: "k8s si ferma a un nodo?" asserts a limit whether the matcher
        reads it as failover or as cluster."""
        verdicts = {sid: cell.verdict for sid, cell in self.kb.feature(feature_id).cells.items()}
        gap_key = feature_id if "parziale" in verdicts.values() else None
        shape = self.shapes.read(question, (ABSENCE_ANY, feature_id, *close_features), gap_key)
        if shape.names_gap or (shape.qualified and shape.comparison is None):
            # "compose scala su più server?" asks about the part a partial cell
            # lacks; so does "compose non scala oltre un nodo, vero?".
            verdicts = {sid: "no" if v == "parziale" else v for sid, v in verdicts.items()}
        if shape.open or shape.choice:
            return Lead("open", None)
        if shape.comparison is not None:
            return self._compare(shape, shape.comparison, verdicts)
        asked = system if system in verdicts else None
        if asked is None and len(shape.systems) == 1:
            asked = shape.systems[0]
        if asked is None:
            return Lead("has", None)
        value = verdicts[asked]
        if shape.absence:
            # "compose mi limita a un solo container?": a partial cell has the
            # part one instance denies (replicas on one host).
            value = "no" if value == "parziale" and shape.one_instance else _ABSENCE[value]
        if not shape.negated:
            form: Form = "limitation" if shape.absence else "has"
            return Lead(form, value, value)
        value = _NEGATE[value]
        if value == "parziale" and shape.absolute:
            # "compose non scala per niente?": the total absence claimed is false,
            # but the short answer stays the cell's "in part", as seven of the nine
            # labels other authors wrote for such questions say.
            return Lead("negated-confirmation", "parziale", "actually-in-part")
        if value == "parziale":
            key = "not-entirely"
        elif value == "no":
            key = "actually-yes"
        else:
            key = "right" if shape.absence else "right-it-does-not"
        return Lead("negated-confirmation", value, key)

    def _compare(self, shape: Shape, comparison: Comparison, verdicts: dict[str, str]) -> Lead:
        if shape.absence:
            # "solo compose ha problemi coi segreti?" compares the lack.
            verdicts = {system: _ABSENCE[verdict] for system, verdict in verdicts.items()}
        named = [system for system in comparison.systems if system in verdicts]
        involved = named if len(named) > 1 else list(verdicts)
        subject = comparison.subject or (named[0] if named else None)
        others = [system for system in involved if system != subject]
        having = [system for system in involved if verdicts[system] == "si"]
        relation = comparison.relation
        key: str | None = None
        holder: str | None = None
        value: str | None
        if relation in {"better", "worse", "same", "at-least", "at-most"}:
            if subject is None or not others:
                return Lead("comparison", None)
            mine = _RANK[verdicts[subject]]
            theirs = [_RANK[verdicts[other]] for other in others]
            if relation == "better":
                value = "si" if all(mine > rank for rank in theirs) else "no"
            elif relation == "worse":
                value = "si" if all(mine < rank for rank in theirs) else "no"
            elif relation == "at-least":
                value = "si" if all(mine >= rank for rank in theirs) else "no"
            elif relation == "at-most":
                value = "si" if all(mine <= rank for rank in theirs) else "no"
            else:
                value = "si" if all(mine == rank for rank in theirs) else "no"
        elif relation == "differ":
            value = "si" if len({verdicts[system] for system in involved}) > 1 else "no"
        elif relation == "all":
            ranks = [_RANK[verdicts[system]] for system in involved]
            value = "si" if min(ranks) == 2 else "no" if min(ranks) == 0 else "parziale"
            if value == "no" and len(having) == 1:
                key, holder = "only", having[0]
        elif relation == "one":
            # Exactly one has it; a partial rival makes it hold only in part.
            rest = [system for system in involved if system not in having]
            if len(having) != 1:
                value = "no"
            elif all(verdicts[system] == "no" for system in rest):
                value, key, holder = "si", "yes-only", having[0]
            else:
                value = "parziale"
        elif relation == "any":
            value = "si" if having else "no"
            if len(having) == 1:
                key, holder = "yes-only", having[0]
        elif relation == "none":
            value = "si" if all(verdicts[system] == "no" for system in involved) else "no"
            if value == "no" and len(having) == 1:
                key, holder = "this-one-does", having[0]
        else:
            only = comparison.subject
            rest = [system for system in involved if system != only]
            # "the only one that has it", fully: a partial rival does not count.
            if only is None or verdicts[only] != "si":
                value = "no"
            elif all(verdicts[system] == "no" for system in rest):
                value, key, holder = "si", "yes-only", only
            else:
                value = "si" if all(verdicts[system] != "si" for system in rest) else "no"
        if shape.negated and value is not None:
            value, key, holder = _NEGATE[value], None, None
        return Lead("comparison", value, key or value, self._name(holder))

    def _name(self, system: str | None) -> str | None:
        return self.kb.system(system).name if system is not None else None


def read_lead(kb: KnowledgeBase, question: str, feature_id: str, system: str | None) -> Lead:
    """One-off reading (benchmarks); answer building keeps a `LeadReader`."""
    return LeadReader(kb).read(question, feature_id, system)
