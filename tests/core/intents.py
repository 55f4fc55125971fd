"""What a matcher test compares: an intent's kind, feature and system."""

from __future__ import annotations

from bot.core.matcher import Intent


def summary(intent: Intent) -> tuple[str, str | None, str | None]:
    return intent.kind, intent.feature, intent.system
