"""A private cupsd for the tests: its own ServerRoot, spool and logs under a temporary
directory, listening on 127.0.0.1 on a free port, with cups-pdf queues whose PDFs the
tests open.

cups-pdf reads its configuration from /etc/cups/cups-pdf-<queue>.conf (the path is
compiled in), so each test queue writes its own file there, pointing its output into
the test's directory, and removes it afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.ports import free_port

CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_CONFIG_DIR = Path("/etc/cups")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")

CUPSD_CONF = """\
Listen 127.0.0.1:{port}
LogLevel info
Browsing No
WebInterface No
DefaultAuthType None
MaxJobs 0
<Location />
  Order allow,deny
  Allow all
</Location>
# job names stay private as on a stock cupsd; only the admin operations are open, so that
# the tests can stop and start their printers without a password
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""

CUPS_FILES_CONF = """\
ServerRoot {root}/etc
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
SystemGroup root
Printcap {root}/printcap
FileDevice Yes
"""


def cups_unavailable() -> str | None:
    """Why a private cupsd with cups-pdf cannot run here, or None."""
    try:
        import cups  # noqa: F401  (pycups, the `print` extra)
    except ImportError:
        return "pycups is not installed (pip install -e '.[print]')"
    if not os.access(CUPSD, os.X_OK):
        return f"cupsd is not installed ({CUPSD}; Debian package `cups`)"
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        return "cups-pdf is not installed (Debian package `printer-driver-cups-pdf`)"
    if os.geteuid() != 0:
        return "a private cupsd with the cups-pdf backend needs root"
    return None


@dataclass
class CupsServer:
    """A running private cupsd."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def address(self) -> str:
        """As the `printing.server` setting takes it."""
        return f"127.0.0.1:{self.port}"

    def connection(self):  # -> cups.Connection
        import cups

        cups.setServer(self.address)
        return cups.Connection()

    def log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace") if path.exists() else ""

    def add_pdf_queue(self, name: str, out_dir: Path) -> Path:
        """A cups-pdf queue writing its PDFs into `out_dir`; returns its config file."""
        out_dir.mkdir(parents=True, exist_ok=True)
        spool = self.root / "cups-pdf" / name
        spool.mkdir(parents=True, exist_ok=True)
        for directory in (out_dir, spool):
            directory.chmod(0o777)
        config = CUPS_PDF_CONFIG_DIR / f"cups-pdf-{name}.conf"
        config.write_text(f"Out {out_dir}\nAnonDirName {out_dir}\nSpool {spool}\nLabel 0\n")
        self.connection().addPrinter(
            name, device=f"cups-pdf:/{name}", filename=str(CUPS_PDF_PPD), info=name
        )
        connection = self.connection()
        connection.enablePrinter(name)
        connection.acceptJobs(name)
        return config

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cupsd() -> CupsServer:
    """cupsd in the foreground (`-f`) with its own configuration; waits until it answers.

    Its directory is not pytest's (that is private to root, and cupsd runs its filters as
    the `lp` user, who must read the PPDs and spool files there); `stop` removes it.
    """
    root = Path(tempfile.mkdtemp(prefix="releasebot-cupsd-"))
    root.chmod(0o755)
    for directory in ("etc", "spool", "cache", "state", "tmp", "log"):
        (root / directory).mkdir(parents=True, exist_ok=True)
    (root / "tmp").chmod(0o1777)
    port = free_port()
    (root / "etc" / "cupsd.conf").write_text(CUPSD_CONF.format(port=port))
    (root / "etc" / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=root))
    process = subprocess.Popen(
        [
            CUPSD,
            "-f",
            "-c",
            str(root / "etc" / "cupsd.conf"),
            "-s",
            str(root / "etc" / "cups-files.conf"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(root / "log" / "stderr").open("wb"),
    )
    server = CupsServer(root, port, process)
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"cupsd exited with {process.returncode}: {server.log()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"cupsd did not listen on {port}") from None
            time.sleep(0.05)


def printing_toml(server: str, queue: str, papers: list[str], sites: list[str]) -> str:
    """The `[printing]` section of a RELEASEBOT_CONFIG printing `papers` of `sites` at
    `queue`, looking again at a waiting printer every 0.3 s."""
    return (
        f'\n[printing]\nserver = "{server}"\nretry_seconds = 0.3\n'
        f"[printing.queues.{queue}]\npapers = {papers!r}\nsites = {sites!r}\n".replace("'", '"')
    )


def jobs_of(server: CupsServer, queue: str) -> int:
    """How many jobs CUPS has had for `queue` (finished ones included)."""
    jobs = server.connection().getJobs(
        which_jobs="all", requested_attributes=["job-id", "job-printer-uri"]
    )
    return sum(1 for job in jobs.values() if job["job-printer-uri"].endswith(f"/{queue}"))


@dataclass
class PdfPrinter:
    """A cups-pdf queue of the private cupsd; what it printed lands in `out_dir`."""

    server: CupsServer
    name: str
    out_dir: Path

    def printed(self) -> list[Path]:
        return sorted(self.out_dir.glob("*.pdf"))

    def wait_for_files(self, count: int, timeout: float = 60) -> list[Path]:
        """The PDFs once `count` of them are complete (cups-pdf writes, then closes)."""
        deadline = time.monotonic() + timeout
        while True:
            files = self.printed()
            if len(files) >= count and self._idle():
                return files
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.name} printed {len(files)} files, expected {count}; "
                    f"cupsd log: {self.server.log()[-3000:]}"
                )
            time.sleep(0.1)

    def _idle(self) -> bool:
        return not self.server.connection().getJobs(which_jobs="not-completed")

    def stop(self) -> None:
        """As `cupsdisable`: the printer stops (IPP Pause-Printer); jobs wait in CUPS."""
        self.server.connection().disablePrinter(self.name, reason="stopped by the test")

    def start(self) -> None:
        """As `cupsenable`: the printer takes up its jobs again."""
        self.server.connection().enablePrinter(self.name)


@contextmanager
def pdf_printer(server: CupsServer, out_dir: Path, name: str | None = None) -> Iterator[PdfPrinter]:
    name = name or f"test-{uuid.uuid4().hex[:8]}"
    config = server.add_pdf_queue(name, out_dir)
    try:
        yield PdfPrinter(server, name, out_dir)
    finally:
        config.unlink(missing_ok=True)
        with suppress(Exception):  # the test stopped the server
            server.connection().deletePrinter(name)


class IppProxy:
    """A TCP relay in front of cupsd that runs `on_answer` once, when cupsd answers the
    request that carried a PDF (the job is in CUPS whole) and before the client hears it;
    `down` makes the CUPS server unreachable (connections refused) until `up`."""

    def __init__(self, target: CupsServer, on_answer: Callable[[], None] = lambda: None) -> None:
        self._target = target
        self._on_answer = on_answer
        self._fired = threading.Event()
        self.port = 0
        self.up()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def fired(self) -> bool:
        return self._fired.is_set()

    def up(self) -> None:
        """Listen (again, on the same port)."""
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def down(self) -> None:
        """Stop listening: a client is refused, as by a CUPS server that is down."""
        self._listener.close()

    close = down

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self._target.port))
            sent_document = threading.Event()
            threading.Thread(
                target=self._pump, args=(client, upstream, sent_document, True), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(upstream, client, sent_document, False), daemon=True
            ).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, document: threading.Event, up: bool
    ) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                if up and b"%PDF-" in data:
                    document.set()
                if (
                    not up
                    and document.is_set()
                    and not data.startswith(b"HTTP/1.1 100")
                    and not self._fired.is_set()
                ):
                    self._fired.set()
                    self._on_answer()
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
