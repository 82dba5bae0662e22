"""A real Tryton 8.2 for the tests: a template database built once, a trytond server.

The template (trytond-admin: init, activate releasebot_tryton and what it depends on,
then a company, the warehouse's production location and an admin password) takes about
a minute on PostgreSQL; it is named after a hash of the installed Tryton versions and of
our module's files, so it is built once per change and reused by later runs. Each test
run copies it (`CREATE DATABASE ... TEMPLATE`, a fraction of a second) and starts one
`trytond` on 127.0.0.1 on a free port, stopped at the end.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

import releasebot_tryton
from tests.ports import free_port

ADMIN_PASSWORD = "admin-test-password"
MODULE_DIR = Path(releasebot_tryton.__file__).parent
BIN = Path(sys.executable).parent

TRYTOND_CONF = """\
[database]
uri = {uri}
# a release locks its production NOWAIT; the loser's transaction is retried until the
# winner committed, so it reads the winner's result (never a 503 for a lost race)
retry = 40
[web]
listen = 127.0.0.1:{port}
[session]
max_attempt = 1000
"""


def tryton_unavailable(server_url: str) -> str | None:
    """Why the Tryton tests cannot run here, or None."""
    for executable in ("trytond", "trytond-admin"):
        if not (BIN / executable).exists():
            return f"{executable} is not installed: pip install -e '.[tryton]'"
    try:
        metadata.version("trytond")
    except metadata.PackageNotFoundError:
        return "trytond is not installed: pip install -e '.[tryton]'"
    if not any(
        ep.name == "releasebot_tryton" for ep in metadata.entry_points(group="trytond.modules")
    ):
        return "releasebot_tryton is not registered: pip install -e '.[tryton]' again"
    if make_url(server_url).get_backend_name() != "postgresql":
        return "the Tryton tests need PostgreSQL"
    return None


def _admin_dsn(server_url: str, database: str = "postgres") -> str:
    url = make_url(server_url).set(drivername="postgresql", database=database, query={})
    return url.render_as_string(hide_password=False)


def _template_name() -> str:
    digest = hashlib.sha256()
    for package in ("trytond", "trytond-stock", "trytond-production", "proteus"):
        digest.update(f"{package}={metadata.version(package)};".encode())
    for path in sorted(MODULE_DIR.glob("*")):
        if path.suffix in {".py", ".cfg", ".xml"}:
            digest.update(path.name.encode() + path.read_bytes())
    digest.update(TRYTOND_CONF.encode())
    return f"releasebot_tryton_tpl_{digest.hexdigest()[:12]}"


def _databases(server_url: str) -> set[str]:
    with psycopg.connect(_admin_dsn(server_url), autocommit=True) as connection:
        return {row[0] for row in connection.execute("SELECT datname FROM pg_database")}


def _execute(server_url: str, statement: str) -> None:
    with psycopg.connect(_admin_dsn(server_url), autocommit=True) as connection:
        connection.execute(statement)


def _conf(directory: Path, server_url: str, port: int) -> Path:
    url = make_url(server_url)
    uri = f"postgresql://{url.username or 'postgres'}"
    if url.password:
        uri += f":{url.password}"
    uri += f"@{url.host or '127.0.0.1'}:{url.port or 5432}/"
    path = directory / f"trytond-{port}.conf"
    path.write_text(TRYTOND_CONF.format(uri=uri, port=port))
    return path


def build_template(server_url: str, directory: Path) -> str:
    """The template database, built now unless an earlier run built this very one."""
    name = _template_name()
    if name in _databases(server_url):
        return name
    building = f"{name}_building_{uuid.uuid4().hex[:6]}"
    _execute(server_url, f'CREATE DATABASE "{building}"')
    conf = _conf(directory, server_url, 0)
    password = directory / "admin-password"
    password.write_text(ADMIN_PASSWORD)
    env = {**os.environ, "TRYTONPASSFILE": str(password)}
    try:
        subprocess.run(
            [
                str(BIN / "trytond-admin"),
                "-c",
                str(conf),
                "-d",
                building,
                "-u",
                "releasebot_tryton",
                "--activate-dependencies",
                "--email",
                "admin@example.com",
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
        subprocess.run(
            [sys.executable, "-m", "releasebot_tryton.setup", building, str(conf)],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    except subprocess.CalledProcessError as error:
        _execute(server_url, f'DROP DATABASE IF EXISTS "{building}"')
        raise RuntimeError(
            f"building the Tryton template failed: {error.stderr.decode()[-2000:]}"
        ) from error
    _execute(server_url, f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


@contextmanager
def database_from(server_url: str, template: str) -> Iterator[str]:
    """A copy of the template for this run, dropped afterwards."""
    name = f"releasebot_tryton_{uuid.uuid4().hex[:10]}"
    _execute(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield name
    finally:
        with suppress(psycopg.Error):
            _execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class TrytonServer:
    """One running trytond: where it listens and which database the tests use."""

    host: str
    port: int
    database: str
    user: str
    password: str
    process: subprocess.Popen[bytes]
    conf: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)

    def restart(self) -> None:
        """Start it again on the same port (after `kill`), ready when this returns."""
        self.process = _spawn(self.conf, self.log, self.database)
        _wait_until_ready(self)


def _spawn(conf: Path, log: Path, database: str) -> subprocess.Popen[bytes]:
    """trytond loading `database` before it listens (a database it was not started with
    is not loaded on a first login: 'res.user' is missing)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(BIN / "trytond"), "-c", str(conf), "-d", database],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_until_ready(server: TrytonServer, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"trytond exited: {server.log.read_text()[-2000:]}")
        with suppress(OSError), socket.create_connection((server.host, server.port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"trytond did not listen within {seconds} s")


@contextmanager
def tryton_server(server_url: str) -> Iterator[TrytonServer]:
    """Template (built if needed) -> this run's database -> a trytond serving it."""
    directory = Path(tempfile.mkdtemp(prefix="releasebot-tryton-"))
    try:
        template = build_template(server_url, directory)
        with database_from(server_url, template) as database:
            port = free_port()
            conf = _conf(directory, server_url, port)
            log = directory / "trytond.log"
            server = TrytonServer(
                host="127.0.0.1",
                port=port,
                database=database,
                user="admin",
                password=ADMIN_PASSWORD,
                process=_spawn(conf, log, database),
                conf=conf,
                log=log,
            )
            try:
                _wait_until_ready(server)
                yield server
            finally:
                if server.process.poll() is None:
                    server.process.terminate()
                    try:
                        server.process.wait(10)
                    except subprocess.TimeoutExpired:
                        server.kill()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
