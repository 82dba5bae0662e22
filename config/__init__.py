"""Settings and policies, read once from env vars, `.env` and a TOML file."""

from config.settings import ConfigError, Settings, ShortagePolicy, load_settings

__all__ = ["ConfigError", "Settings", "ShortagePolicy", "load_settings"]
