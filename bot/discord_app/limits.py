"""Discord's size limits and the bot's colours, in one place.

The numbers are Discord's (https://discord.com/developers/docs); the fake
Discord in tests/discord_double enforces the same ones, so a text that is not
clipped to these fails the tests before it fails in production.
"""

from __future__ import annotations

from typing import Final

# Messages
CONTENT_LIMIT: Final = 2000

# Embeds
TITLE_LIMIT: Final = 256
DESCRIPTION_LIMIT: Final = 4096
FIELD_NAME_LIMIT: Final = 256
FIELD_VALUE_LIMIT: Final = 1024
FIELD_COUNT_LIMIT: Final = 25
FOOTER_LIMIT: Final = 2048
TOTAL_LIMIT: Final = 6000

# Components
BUTTON_LABEL_LIMIT: Final = 80
MODAL_TITLE_LIMIT: Final = 45
TEXT_INPUT_LIMIT: Final = 4000
SELECT_PLACEHOLDER_LIMIT: Final = 150
SELECT_OPTION_LIMIT: Final = 100  # an option's label, and its description
SELECT_OPTIONS_LIMIT: Final = 25

# Application commands
COMMAND_DESCRIPTION_LIMIT: Final = 100
CHOICE_NAME_LIMIT: Final = 100
CHOICES_LIMIT: Final = 25  # static choices and autocomplete suggestions alike

# Colours
NEUTRAL_COLOUR: Final = 0x3498DB
COLOUR_BY_VERDICT: Final = {"si": 0x2ECC71, "no": 0xE74C3C, "parziale": 0xF1C40F}
