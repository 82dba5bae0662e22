"""Settings: where they come from, and the one-line message a wrong one stops start-up with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from config import ConfigError, ShortagePolicy, load_settings
from config.settings import CONFIG_FILE_VARIABLE


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No setting from the machine running the tests; `.env` is read from an empty directory."""
    for name in ("DATABASE_URL", "SHORTAGE_POLICY", CONFIG_FILE_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def toml_file(monkeypatch: pytest.MonkeyPatch, path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(path))
    return path


def test_defaults_are_a_sqlite_file_here_and_require_full() -> None:
    settings = load_settings()

    assert settings.database_url == "sqlite:///releasebot.db"
    assert settings.shortage_policy is ShortagePolicy.REQUIRE_FULL


def test_environment_variables_set_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHORTAGE_POLICY", "allow_partial")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////var/lib/releasebot/prod.db")

    settings = load_settings()

    assert settings.shortage_policy is ShortagePolicy.ALLOW_PARTIAL
    assert settings.database_url == "sqlite:////var/lib/releasebot/prod.db"


def test_a_dotenv_file_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SHORTAGE_POLICY=allow_partial\nUNRELATED=1\n")

    assert load_settings().shortage_policy is ShortagePolicy.ALLOW_PARTIAL


def test_the_toml_file_named_by_releasebot_config_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    toml_file(
        monkeypatch,
        tmp_path / "releasebot.toml",
        'shortage_policy = "allow_partial"\ndatabase_url = "sqlite:///from-toml.db"\n',
    )

    settings = load_settings()

    assert settings.shortage_policy is ShortagePolicy.ALLOW_PARTIAL
    assert settings.database_url == "sqlite:///from-toml.db"


def test_environment_beats_dotenv_beats_toml(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    toml_file(
        monkeypatch,
        tmp_path / "releasebot.toml",
        'shortage_policy = "allow_partial"\ndatabase_url = "sqlite:///toml.db"\n',
    )
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///dotenv.db\n")

    assert load_settings().database_url == "sqlite:///dotenv.db"
    assert load_settings().shortage_policy is ShortagePolicy.ALLOW_PARTIAL
    monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
    assert load_settings().database_url == "sqlite:///env.db"


def test_a_wrong_policy_in_the_environment_names_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHORTAGE_POLICY", "sometimes")

    with pytest.raises(ConfigError) as error:
        load_settings()

    assert str(error.value) == (
        "invalid setting - SHORTAGE_POLICY: Input should be 'require_full' or 'allow_partial'"
    )


def test_a_wrong_policy_in_dotenv_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SHORTAGE_POLICY=strict\n")

    with pytest.raises(ConfigError, match="SHORTAGE_POLICY: Input should be 'require_full'"):
        load_settings()


def test_a_wrong_policy_in_the_toml_file_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    toml_file(monkeypatch, tmp_path / "releasebot.toml", "shortage_policy = 3\n")

    with pytest.raises(ConfigError, match="SHORTAGE_POLICY: Input should be 'require_full'"):
        load_settings()


def test_a_missing_toml_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(missing))

    with pytest.raises(ConfigError) as error:
        load_settings()

    assert str(error.value) == f"RELEASEBOT_CONFIG={missing}: no such file"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("shortage_policy = \n", "Invalid value (at line 1, column 19)"),
        ('shortage_policy = "allow_partial\n', "at line 1"),
        ("[[[\n", "at line 1"),
    ],
)
def test_a_toml_file_that_does_not_parse_is_named_with_the_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, problem: str
) -> None:
    path = toml_file(monkeypatch, tmp_path / "broken.toml", text)

    with pytest.raises(ConfigError) as error:
        load_settings()

    assert str(error.value).startswith(f"RELEASEBOT_CONFIG={path}: ")
    assert problem in str(error.value)


def test_a_toml_file_that_is_not_text_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00")
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(path))

    with pytest.raises(ConfigError, match=f"^RELEASEBOT_CONFIG={path}: "):
        load_settings()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("not a url", "not a database URL: 'not a url'"),
        ("", "not a database URL: ''"),
        ("mysql://user@db/releasebot", "use sqlite:/// or postgresql+psycopg://, not 'mysql'"),
        ("oracle+cx_oracle://db", "not 'oracle+cx_oracle'"),
    ],
)
def test_a_bad_database_url_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, url: str, problem: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)

    with pytest.raises(ConfigError) as error:
        load_settings()

    assert str(error.value).startswith("invalid setting - DATABASE_URL: ")
    assert problem in str(error.value)


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("postgresql://ann:s3cret@db:5432/plant", "postgresql+psycopg://ann:s3cret@db:5432/plant"),
        ("postgresql+asyncpg://db/plant", "postgresql+psycopg://db/plant"),
        ("postgresql+psycopg://db/plant", "postgresql+psycopg://db/plant"),
        ("sqlite+pysqlite:///x.db", "sqlite+pysqlite:///x.db"),
    ],
)
def test_postgresql_urls_use_psycopg_3(
    monkeypatch: pytest.MonkeyPatch, url: str, normalised: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)

    assert load_settings().database_url == normalised


def test_the_install_flow_needs_client_id_and_secret_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")

    with pytest.raises(ConfigError) as error:
        load_settings()

    assert str(error.value) == (
        "invalid setting - SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (the install "
        "flow needs both; for one workspace set neither and use SLACK_BOT_TOKEN)"
    )
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "secret")
    assert load_settings().installs
