"""What every command shares: the runtime, the consoles, and one way to fail."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import typer
from pydantic import BaseModel, TypeAdapter
from rich.console import Console

from config import ConfigError, load_settings
from domain.db import DatabaseFailed, SchemaOutOfDate
from domain.erp import ErpUnavailable
from domain.runtime import Runtime

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """One clear line on stderr, a non-zero exit, no traceback."""
    err_console.print(f"[red]error:[/red] {message}", soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


class OneLineFormatter(logging.Formatter):
    """A log record as one line with its error's cause: a terminal gets no traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            cause = getattr(error, "orig", None) or error  # the driver's words, not SQLAlchemy's
            lines = str(cause).strip().splitlines()
            message = f"{message}: {lines[0] if lines else type(cause).__name__}"
        return f"{record.levelname.lower()}: {message}"


def log_in_one_line() -> None:
    """Warnings and errors of the domain on stderr, one line each (unless logging is set up)."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


@contextmanager
def runtime(*, migrate: bool = False) -> Iterator[Runtime]:
    """Settings and an up-to-date database, with start-up problems turned into one line each.

    SQLite files are brought up to date on the way; `migrate` does it for any database.
    """
    log_in_one_line()
    try:
        settings = load_settings()
    except ConfigError as error:
        fail(str(error))
    try:
        with Runtime(settings).started(migrate=migrate) as run:
            yield run
    except (SchemaOutOfDate, ConfigError, ErpUnavailable, DatabaseFailed) as error:
        fail(str(error))


def print_json(value: BaseModel | Sequence[BaseModel] | object) -> None:
    """Listings' `--json`: plain JSON on stdout, nothing else."""
    data = TypeAdapter(type(value)).dump_python(value, mode="json")
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
