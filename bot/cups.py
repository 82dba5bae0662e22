"""The CUPS server over IPP, through pycups (libcups): printer states, submitting a PDF,
finding a job again by its document name, and a job's fate.

libcups keeps its server per thread, so every call names it again before connecting.
A stock cupsd keeps job names private to their owner (`JobPrivateValues default`), but
not the document name: a job is found again by the name of the file it was sent as,
which carries the outbox key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class PrinterState(StrEnum):
    IDLE = "idle"
    PRINTING = "printing"
    STOPPED = "stopped"
    UNREACHABLE = "unreachable"


class NoSuchQueue(Exception):
    """The CUPS server has no queue of that name: printing there again cannot help."""


class PrintRefused(Exception):
    """CUPS refused the request itself (a client error): sending it again cannot help."""


class Unreachable(Exception):
    """The CUPS server did not answer (down, refused, a network error)."""


@dataclass(frozen=True)
class PrinterStatus:
    queue: str
    state: PrinterState
    accepting: bool = True
    message: str = ""

    @property
    def waiting_reason(self) -> str | None:
        """Why a job cannot go there now (the person reads it), None when it can."""
        if self.state is PrinterState.UNREACHABLE:
            return f"printer unreachable ({self.message})" if self.message else "unreachable"
        if self.state is PrinterState.STOPPED:
            return "printer stopped" + (f" ({self.message})" if self.message else "")
        if not self.accepting:
            return "printer not accepting jobs" + (f" ({self.message})" if self.message else "")
        return None


class JobState(StrEnum):
    WAITING = "waiting"  # pending, held, processing or stopped with its printer
    PRINTED = "printed"
    FAILED = "failed"  # canceled or aborted


@dataclass(frozen=True)
class JobStatus:
    state: JobState
    reason: str = ""


_PRINTER_STATES = {3: PrinterState.IDLE, 4: PrinterState.PRINTING, 5: PrinterState.STOPPED}
_FAILED = {7: "job canceled", 8: "job aborted by CUPS"}
_PRINTED = 9


def pycups_missing() -> str | None:
    """What to install when pycups is not there (it is the `print` extra), or None."""
    try:
        import cups  # noqa: F401
    except ImportError:
        return "printing needs pycups: pip install 'releasebot[print]' (builds on libcups2-dev)"
    return None


def document_name(key: str) -> str:
    """The file name a job is sent as: the outbox key in characters CUPS keeps."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", key) + ".pdf"


class Cups:
    """One CUPS server (`host:port`)."""

    def __init__(self, server: str) -> None:
        self.server = server

    def _connect(self) -> Any:
        import cups  # the `print` extra; imported when a job prints

        cups.setServer(self.server)
        try:
            return cups.Connection()
        except RuntimeError as error:
            raise Unreachable(f"{self.server}: {error}") from error

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """A call on a fresh connection; IPP `not-found` and transport errors told apart."""
        import cups

        connection = self._connect()
        try:
            return getattr(connection, method)(*args, **kwargs)
        except cups.IPPError as error:
            status, text = error.args
            if status == cups.IPP_NOT_FOUND:
                raise NoSuchQueue(text) from error
            if 0x0400 <= status < 0x0500:
                raise PrintRefused(text) from error
            raise Unreachable(f"{self.server}: {text}") from error  # server errors, libcups'

        except (cups.HTTPError, RuntimeError) as error:
            raise Unreachable(f"{self.server}: {error}") from error

    def status(self, queue: str) -> PrinterStatus:
        """The queue's state; unreachable (not raised) when the server does not answer."""
        try:
            attributes = self._call(
                "getPrinterAttributes",
                queue,
                requested_attributes=[
                    "printer-state",
                    "printer-is-accepting-jobs",
                    "printer-state-message",
                ],
            )
        except Unreachable as error:
            return PrinterStatus(queue, PrinterState.UNREACHABLE, False, str(error))
        return PrinterStatus(
            queue,
            _PRINTER_STATES.get(attributes.get("printer-state", 3), PrinterState.IDLE),
            bool(attributes.get("printer-is-accepting-jobs", True)),
            str(attributes.get("printer-state-message") or ""),
        )

    def submit(self, queue: str, pdf: Path, title: str) -> int:
        """Send a PDF (named by `document_name`); CUPS's job id once it has it whole."""
        return int(self._call("printFile", queue, str(pdf), title, {}))

    def find(self, queue: str, name: str) -> int | None:
        """The latest job of `queue` sent as document `name` (finished ones included)."""
        jobs = self._call(
            "getJobs",
            which_jobs="all",
            requested_attributes=["job-id", "job-printer-uri", "document-name-supplied"],
        )
        found = [
            job_id
            for job_id, attributes in jobs.items()
            if str(attributes.get("job-printer-uri", "")).endswith(f"/printers/{queue}")
            and attributes.get("document-name-supplied") == name
        ]
        return max(found, default=None)

    def job(self, job_id: int) -> JobStatus | None:
        """What became of a job; None when CUPS no longer knows it."""
        try:
            attributes = self._call(
                "getJobAttributes",
                job_id,
                requested_attributes=[
                    "job-state",
                    "job-state-reasons",
                    "job-printer-state-message",
                ],
            )
        except NoSuchQueue:
            return None
        state = int(attributes.get("job-state", 3))
        message = str(attributes.get("job-printer-state-message") or "")
        if state == _PRINTED:
            return JobStatus(JobState.PRINTED)
        if state in _FAILED:  # the printer's last words, when it said any
            return JobStatus(
                JobState.FAILED, f"{_FAILED[state]} ({message})" if message else _FAILED[state]
            )
        reasons = attributes.get("job-state-reasons") or ""
        reasons = ", ".join(reasons) if isinstance(reasons, list) else str(reasons)
        return JobStatus(JobState.WAITING, reasons)
