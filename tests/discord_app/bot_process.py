"""Run the real `run_bot(settings)` in this process against a fake Discord.

    python tests/discord_app/bot_process.py API_BASE GATEWAY_URL [--init]

API_BASE is the double's REST root (http://127.0.0.1:PORT/api/v10) and
GATEWAY_URL its websocket (ws://127.0.0.1:PORT/gateway). Settings come from
the environment as in production. The only differences from `python -m bot
run`: discord.py is pointed at the double, and `guild_ready_timeout` is short
so READY does not wait the default 2 s.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    api_base, gateway_url, *flags = argv
    import discord.gateway
    import discord.http
    import yarl

    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)

    from bot.config import ConfigError, format_config_error, load_settings
    from bot.discord_app.runner import run_bot

    try:
        settings = load_settings(require_token=True)
    except ConfigError as exc:
        sys.stderr.write(format_config_error(exc) + "\n")
        return 2
    return run_bot(settings, init="--init" in flags, guild_ready_timeout=0.05)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
