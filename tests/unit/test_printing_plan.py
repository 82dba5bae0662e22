"""The routing rule: which queue prints which paper of which orders, from the TOML."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from config import ConfigError, load_settings
from config.settings import CONFIG_FILE_VARIABLE, PaperName, PrintQueue
from domain.printing import OrderPlace, PrintJob, one_queue, plan, serving_queues
from domain.statuses import PaperKind

QUEUES = {
    "wh11-laser": PrintQueue(papers=["picking_list"], warehouses=["11"]),
    "line1-printer": PrintQueue(papers=["job_card", "route_job"], sites=["1"]),
    "office": PrintQueue(papers=["route_card", "picking_list"]),
}
SEATTLE = OrderPlace("P000001", "1", frozenset({"11", "12"}))
PORTLAND = OrderPlace("P000002", "2", frozenset({"21"}))


def test_the_paper_names_of_the_settings_are_the_paper_kinds() -> None:
    assert set(get_args(PaperName)) == {kind.value for kind in PaperKind}


def test_each_paper_goes_to_the_queues_that_serve_its_orders() -> None:
    jobs = plan(QUEUES, [PaperKind.PICKING_LIST, PaperKind.JOB_CARD], [SEATTLE, PORTLAND])

    assert jobs == [
        PrintJob("wh11-laser", PaperKind.PICKING_LIST, ("P000001",), ("11",)),
        PrintJob("line1-printer", PaperKind.JOB_CARD, ("P000001",)),
        PrintJob("office", PaperKind.PICKING_LIST, ("P000001", "P000002")),
    ]


def test_only_the_chosen_queues_print() -> None:
    jobs = plan(QUEUES, [PaperKind.PICKING_LIST], [SEATTLE, PORTLAND], chosen=["office"])

    assert [job.queue for job in jobs] == ["office"]
    assert plan(QUEUES, [PaperKind.PICKING_LIST], [SEATTLE], chosen=[]) == []


def test_the_dialog_offers_the_queues_that_serve_the_papers_and_sites() -> None:
    assert serving_queues(QUEUES, [PaperKind.JOB_CARD], [PORTLAND]) == []
    assert serving_queues(QUEUES, [PaperKind.JOB_CARD], [SEATTLE]) == ["line1-printer"]
    assert serving_queues(QUEUES, [PaperKind.PICKING_LIST], [PORTLAND]) == ["office"]


def test_one_queue_prints_everything() -> None:
    assert one_queue("q", [PaperKind.ROUTE_CARD, PaperKind.JOB_CARD], [SEATTLE, PORTLAND]) == [
        PrintJob("q", PaperKind.JOB_CARD, ("P000001", "P000002")),
        PrintJob("q", PaperKind.ROUTE_CARD, ("P000001", "P000002")),
    ]


def test_the_toml_file_configures_the_queues(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "releasebot.toml"
    config.write_text(
        '[printing]\nserver = "cups.local"\n'
        '[printing.queues.wh11-laser]\npapers = ["picking-list"]\nwarehouses = ["11"]\n'
    )
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(config))

    printing = load_settings().printing

    assert printing.server == "cups.local:631"
    assert printing.queues == {"wh11-laser": QUEUES["wh11-laser"]}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[printing.queues.x]\npapers = ["menu"]\n', "PRINTING.QUEUES.X.PAPERS.0: Input should be"),
        ('[printing]\nserver = "cups:port"\n', "PRINTING.SERVER: a CUPS server is host:port"),
    ],
)
def test_a_wrong_printing_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toml: str, message: str
) -> None:
    config = tmp_path / "releasebot.toml"
    config.write_text(toml)
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(config))

    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_settings()
