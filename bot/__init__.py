"""Timoniere: an Italian-speaking Q&A bot for Discord communities."""

__version__ = "0.1.0"
