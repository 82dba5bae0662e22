"""Whisper's prose read into the command language, the pinned model's files checked, and
the two recognisers' answers combined: agree, one heard a command, or ask which."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.conversation import neural
from bot.conversation.commands import Help, NotUnderstood, ReleaseOrders, ShowOrder, Undo
from bot.conversation.neural import ModelRefused, normalise, packaged_model_dir, verify
from bot.conversation.orders import resolve
from bot.conversation.parser import parse
from bot.conversation.voice import UNHEARD_ORDER, Readings, about_known_orders, combine
from domain.statuses import PaperKind

ORDERS = ("P000214", "P000254", "P001309")
PICK = frozenset({PaperKind.PICKING_LIST})


@pytest.mark.parametrize(
    ("whisper", "expected"),
    [
        ("Could you release order 254, please?", ReleaseOrders(("P000254",))),
        (
            "Release production orders 1,309 and 214 and print the picking lists.",
            ReleaseOrders(("P001309", "P000214"), PICK),
        ),
        ("Release P-254 with the pick-list.", ReleaseOrders(("P000254",), PICK)),
        ("Release two fifty-four with picking list.", ReleaseOrders(("P000254",), PICK)),
        ("Show order 214.", ShowOrder("P000214")),
        ("Undo.", Undo()),
        ("Help!", Help()),
    ],
)
def test_whisper_text_is_read_as_the_command_it_says(whisper: str, expected: object) -> None:
    assert resolve(parse(normalise(whisper)), ORDERS) == expected


def test_times_keep_their_colon() -> None:
    assert normalise("Digest daily at 9:30 a.m.") == "digest daily at 9:30 am"


def test_the_packaged_model_is_the_pinned_one() -> None:
    directory = packaged_model_dir()
    assert directory is not None, "pip install releasebot[voice-neural]"
    verify(directory)  # raises on any difference


def test_a_changed_or_missing_model_file_is_refused(tmp_path: Path) -> None:
    for name in neural.MODEL_FILES:
        (tmp_path / name).write_bytes(b"not the model")
    with pytest.raises(ModelRefused, match=r"config\.json has sha256 .* not the pinned"):
        verify(tmp_path)
    (tmp_path / "config.json").unlink()
    with pytest.raises(ModelRefused, match=r"config\.json is missing"):
        verify(tmp_path)


def test_a_refused_model_leaves_pocketsphinx_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = packaged_model_dir()
    assert directory is not None
    for name in neural.MODEL_FILES:
        shutil.copyfile(directory / name, tmp_path / name)
    (tmp_path / "vocabulary.txt").write_text("tampered\n")
    monkeypatch.setattr(neural, "packaged_model_dir", lambda: tmp_path)
    neural.neural_recognizer.cache_clear()
    try:
        assert neural.neural_recognizer(None) is None
    finally:
        neural.neural_recognizer.cache_clear()


def test_an_order_that_is_none_of_the_known_ones_is_not_echoed() -> None:
    heard = about_known_orders(ReleaseOrders(("P000999",)), ORDERS)
    assert heard == NotUnderstood("", UNHEARD_ORDER)
    assert about_known_orders(ShowOrder("254"), ORDERS) == ShowOrder("P000254")
    assert about_known_orders(ReleaseOrders(("P000999",)), ()) == ReleaseOrders(("P000999",))


def test_the_recognisers_agree_or_one_of_them_heard_a_command() -> None:
    release = ReleaseOrders(("P000254",), PICK)
    assert combine(release, release) == release
    assert combine(NotUnderstood("x"), release) == release
    assert combine(release, NotUnderstood("x")) == release
    assert combine(NotUnderstood("a"), NotUnderstood("b")) == NotUnderstood("a")


def test_two_readings_of_the_orders_are_asked_about_and_others_not_guessed() -> None:
    heard, written = ReleaseOrders(("P000214",), PICK), ReleaseOrders(("P000254",), PICK)
    assert combine(heard, written) == Readings((written, heard))
    assert combine(Undo(), Help()) == NotUnderstood("", "I heard two different things")
