"""Every user-facing Italian string, in one catalogue (this package).

Adapters and the core format these with `str.format`; nothing user-visible is
written inline elsewhere. Keep them short, natural and correctly accented.
One module per audience: answers (core), faq, discord, console, ops, teach; every
name is importable from `bot.messages` itself.
"""

from bot.messages.answers import *  # noqa: F403
from bot.messages.console import *  # noqa: F403
from bot.messages.discord import *  # noqa: F403
from bot.messages.faq import *  # noqa: F403
from bot.messages.ops import *  # noqa: F403
from bot.messages.teach import *  # noqa: F403
