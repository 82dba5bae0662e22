"""Settings and policies, read once from env vars, `.env` and a TOML file."""

from config.settings import (
    ConfigError,
    ReleasePermissions,
    Settings,
    ShortagePolicy,
    load_settings,
)

__all__ = ["ConfigError", "ReleasePermissions", "Settings", "ShortagePolicy", "load_settings"]
