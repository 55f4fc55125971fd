"""Fixtures for the core's unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from manual_clock import ManualClock

from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase, load_knowledge
from bot.core.matcher import Matcher

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "kubernetes-vs-compose.yaml"


# The shipped table, its matcher and an engine without FAQ: shared by the
# matcher tests (a test module may define its own fixture of the same name).
@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED)


@pytest.fixture(scope="module")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


@pytest.fixture(scope="module")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
