"""The papers a release asked for, rendered by `reports` (after the release committed,
in the outbox dispatcher's thread, never in Slack's 3 seconds) for upload into Slack."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.delivery.papers import PaperRenderer
from domain.runtime import Runtime
from domain.statuses import PaperKind
from reports.service import render_release_papers


class NothingToPrint(Exception):
    """The release released no order, so it has no papers."""


def paper_renderer(run: Runtime) -> PaperRenderer:
    def render(release_id: int, kind: PaperKind) -> tuple[str, bytes]:
        with tempfile.TemporaryDirectory(prefix="releasebot-papers-") as out_dir:
            paths = render_release_papers(
                run.papers, release_id, [kind], Path(out_dir), run.settings.paper_size
            )
            if not paths:
                raise NothingToPrint(f"release {release_id} released no order")
            [path] = paths
            return path.name, path.read_bytes()

    return render
