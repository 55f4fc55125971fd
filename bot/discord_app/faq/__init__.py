"""The moderator FAQ on Discord: `/faq …` to write, `/faq-mostra` and `/faq-elenco` to read.

One feature package: `cog` (the commands), `views` (forms and buttons),
`rendering` (embeds and lines), `transformers` (entry names), `checks` (who
may write) and `transfer` (YAML files). Loaded as the extension
`bot.discord_app.faq`.

Read access. Discord applies `default_permissions` to a whole top-level command:
subcommands of one group cannot have different defaults. So the FAQ has two
surfaces instead of one group with mixed audiences:

* `/faq` (default permission Manage Messages, servers only) holds every
  moderator tool: `aggiungi`, `modifica`, `rimuovi`, `ripristina`, `storia`,
  `senza-risposta`, `esporta`, `importa`. Members don't even see it.
* `/faq-mostra nome:` and `/faq-elenco` are top-level commands with no default
  permissions, so everyone in a server can read the FAQ (`/faq mostra` and
  `/faq elenco` do the same inside the moderators' group). In Discord's command
  picker they sit right next to `/faq` (typing "/faq" lists them). Free
  questions keep flowing through mentions and `/chiedi`, which already answer
  with FAQ entries.

Who may write. Default permissions are only a default: server admins can
re-grant `/faq` to anyone (Server Settings > Integrations), and the moderator
roles of `MOD_ROLE_IDS` are unknown to Discord. So every `/faq` moderator tool also
checks in code (Manage Messages server-wide, or one of those roles), and the
checks run again when a form is submitted or a confirmation button pressed,
because a member may lose the role while a form is open. A refusal is an
ephemeral Italian message and changes nothing.

Every write goes to storage first and then to the engine's FAQ index
(`upsert_faq` / `remove_faq`, or a reload after an import), so the bot answers
with the new text at once, without a restart. Replies never ping: they are sent
with no allowed mentions, and text written by users (questions in lists and
titles) is shown with its markdown escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord_app.faq.cog import Faq

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(Faq(bot))
