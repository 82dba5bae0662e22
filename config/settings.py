"""Application settings: env vars, `.env`, then the TOML file named by RELEASEBOT_CONFIG.

A wrong value must stop start-up with a message that names the setting, so
`load_settings` turns pydantic's validation error into a `ConfigError` whose text a
person can act on.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

CONFIG_FILE_VARIABLE = "RELEASEBOT_CONFIG"


class ShortagePolicy(StrEnum):
    """What a release does with an order that is short of material."""

    REQUIRE_FULL = "require_full"
    ALLOW_PARTIAL = "allow_partial"


class ReleasePermissions(BaseModel):
    """Who may release for which sites: Slack user IDs and user group IDs -> site codes.

    Admins may release for every site; everyone else may look but not release.
    """

    admins: list[str] = []
    users: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    # installed in several workspaces or org-wide: a workspace (team ID, also inside an org,
    # or an org's enterprise ID for all its workspaces) -> the only sites anyone in it may
    # release for, whatever their own rights say
    workspaces: dict[str, list[str]] = {}


# the production papers by name, as domain.statuses.PaperKind has them (config imports no
# domain; tests/unit/test_settings.py checks the two agree); a hyphen may stand for `_`
PaperName = Literal["job_card", "route_card", "route_job", "picking_list"]


class PrintQueue(BaseModel):
    """A CUPS queue and what it prints: these papers of the orders of these sites, and
    (picking lists) of these warehouses' work. An empty list means every site or warehouse."""

    papers: list[PaperName]
    sites: list[str] = []
    warehouses: list[str] = []

    @field_validator("papers", mode="before")
    @classmethod
    def _hyphens(cls, value: object) -> object:
        if isinstance(value, list):
            return [v.replace("-", "_") if isinstance(v, str) else v for v in value]
        return value


class Printing(BaseModel):
    """The CUPS server and its queues, by queue name."""

    server: str = "localhost:631"  # host:port of cupsd (IPP)
    queues: dict[str, PrintQueue] = {}
    # how often a print job waiting for its printer (stopped, unreachable) looks again
    retry_seconds: float = Field(default=30, gt=0)

    @field_validator("server")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":") if ":" in value else (value, "", "631")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"a CUPS server is host:port, e.g. localhost:631, not {value!r}")
        return f"{host}:{port}"


class ConfigError(Exception):
    """A setting is missing or wrong; the message names it."""


class Settings(BaseSettings):
    """Everything releasebot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///releasebot.db"
    shortage_policy: ShortagePolicy = ShortagePolicy.REQUIRE_FULL
    paper_size: Literal["A4", "Letter"] = "A4"
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # the install flow (several workspaces, an org): with both, tokens come from installations
    # (GET /slack/install) and SLACK_BOT_TOKEN is not used
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    release_permissions: ReleasePermissions = ReleasePermissions()
    printing: Printing = Printing()
    # how long a replica holds a chat message it is sending before another may take it over
    outbox_lease_seconds: float = Field(default=60, gt=0)
    # an unfinished release older than this was cut off (its process died): report it as such
    release_interrupted_after_seconds: float = Field(default=600, gt=0)
    # how often each replica rebuilds its digest jobs from the subscriptions table
    digest_resync_seconds: float = Field(default=30, gt=0)
    # where the orders live: releasebot's own database, or a Tryton server (docs/erp.md)
    erp: Literal["local", "tryton"] = Field(
        default="local", validation_alias=AliasChoices("RELEASEBOT_ERP", "erp")
    )
    tryton_url: str = "http://localhost:8000/"
    tryton_database: str = ""
    tryton_user: str = "admin"
    tryton_password: SecretStr | None = None  # never logged: SecretStr prints as '**********'
    tryton_timeout_seconds: float = Field(default=30, gt=0)
    # how often `serve` refreshes its read copy of the ERP's orders
    erp_sync_seconds: float = Field(default=60, gt=0)
    # voice: Whisper beside pocketsphinx when releasebot[voice-neural] is installed; a model
    # directory of the operator's own instead of the pinned package's (used as it is)
    voice_neural: bool = True
    voice_model_dir: Path | None = None

    @field_validator("database_url")
    @classmethod
    def _database_url_parses(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as error:
            raise ValueError(f"not a database URL: {value!r}") from error
        backend = url.get_backend_name()
        if backend not in {"sqlite", "postgresql"}:
            raise ValueError(f"use sqlite:/// or postgresql+psycopg://, not {url.drivername!r}")
        if backend == "postgresql":  # psycopg 3 is the driver we ship, whatever the URL says
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)

    @model_validator(mode="after")
    def _client_id_and_secret_together(self) -> Settings:
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            raise ValueError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (the install flow needs "
                "both; for one workspace set neither and use SLACK_BOT_TOKEN)"
            )
        return self

    @property
    def installs(self) -> bool:
        """Installed through OAuth (tokens per workspace), not one SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = [init_settings, env_settings, dotenv_settings]
        config_file = os.environ.get(CONFIG_FILE_VARIABLE)
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, or raise `ConfigError` naming each wrong one."""
    config_file = os.environ.get(CONFIG_FILE_VARIABLE)
    if config_file and not Path(config_file).is_file():
        raise ConfigError(f"{CONFIG_FILE_VARIABLE}={config_file}: no such file")
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = "; ".join(
            ": ".join(
                part
                for part in (
                    ".".join(str(part) for part in issue["loc"]).upper(),  # none: two settings
                    issue["msg"].removeprefix("Value error, "),
                )
                if part
            )
            for issue in error.errors()
        )
        raise ConfigError(f"invalid setting - {problems}") from error
    except ValueError as error:  # a TOML file that does not parse
        raise ConfigError(f"{CONFIG_FILE_VARIABLE}={config_file}: {error}") from error
