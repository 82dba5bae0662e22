"""The papers a release asked for, rendered by `reports` for upload into Slack."""

from __future__ import annotations

from bot.delivery.papers import PaperRenderer
from domain.runtime import Runtime
from domain.statuses import PaperKind


def paper_renderer(run: Runtime) -> PaperRenderer:
    def render(release_id: int, kind: PaperKind) -> tuple[str, bytes]:
        raise NotImplementedError("the papers package is not there yet")

    return render
