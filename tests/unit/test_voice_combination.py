"""Whisper's prose read into the command language, the pinned model's files checked, and
the two recognisers' answers combined: agree, one heard a command, or ask which."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.conversation import neural
from bot.conversation.commands import (
    Digest,
    Help,
    NotUnderstood,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.neural import ModelRefused, normalise, packaged_model_dir, readings, verify
from bot.conversation.orders import resolve
from bot.conversation.speech import Heard as SphinxHeard
from bot.conversation.voice import (
    DIFFERENT,
    UNHEARD_NUMBER,
    UNHEARD_ORDER,
    Hypothesis,
    Readings,
    about_known_orders,
    backed,
    combine,
    neural_hypothesis,
    sphinx_hypothesis,
)
from domain.statuses import PaperKind
from tests.commands import command

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
    assert resolve(command(normalise(whisper)), ORDERS) == expected


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
    heard = about_known_orders("release order nine nine nine", ORDERS)
    assert heard.understood == NotUnderstood("release order nine nine nine", UNHEARD_ORDER)
    assert about_known_orders("show two five four", ORDERS).understood == ShowOrder("P000254")
    without_list = about_known_orders("release nine nine nine", ()).understood
    assert without_list == ReleaseOrders(("999",))


def said(words: str) -> Hypothesis:
    return about_known_orders(words, ORDERS)


def test_the_recognisers_agree_or_the_other_backs_the_one_command() -> None:
    release = ReleaseOrders(("P000254",), PICK)
    sentence = "release order two five four with picking list"
    assert combine(said(sentence), said(sentence)) == release
    # Whisper made out no command but heard the order's number: pocketsphinx's is taken
    assert combine(said(sentence), said("really sore two five four with ticking list")) == release
    assert combine(said("reduce order two fifty four"), said(sentence)) == release
    # nothing heard by the other: nothing against it
    assert combine(said(sentence), said("")) == release


def test_a_lone_command_the_other_does_not_back_is_not_echoed() -> None:
    # floor talk that pocketsphinx forced onto a command, Whisper heard as what it was
    assert combine(said("show order two one four"), said("the compressor is leaking")) == (
        NotUnderstood("the compressor is leaking", DIFFERENT)
    )
    assert isinstance(combine(said("undo"), said("i am going to lunch now")), NotUnderstood)
    assert combine(said("undo"), said("undo not")) == Undo()  # its key word is there
    assert backed(ReleaseOrders(("P000254",)), "two hundred and fifty four")
    assert not backed(ReleaseOrders(("P000254",)), "two fifty")
    assert combine(said("help"), said("help")) == Help()


def test_whisper_backs_an_order_it_misheard_as_it_mishears_numbers() -> None:
    assert backed(ReleaseOrders(("P001329",)), "release order thirty twenty nine")
    assert backed(ReleaseOrders(("P001309", "P000214")), "release one three nine and two one four")
    assert backed(ShowOrder("P000254"), "show order two four")
    # a digit heard otherwise, or two dropped, is no backing
    assert not backed(ReleaseOrders(("P001309",)), "release order one three zero eight")
    assert not backed(ReleaseOrders(("P001309",)), "release order one nine")
    assert not backed(ReleaseOrders(("P000214",)), "release order forty four")
    sure = said("release order one three zero nine with picking list")
    assert combine(sure, said("release order one three nine with picking list")) == (
        ReleaseOrders(("P001309",), PICK)
    )


def test_two_readings_of_the_orders_are_asked_about_and_others_not_guessed() -> None:
    heard = said("release two one four with picking list")
    written = said("release two five four with picking list")
    assert isinstance(heard.understood, ReleaseOrders)
    assert isinstance(written.understood, ReleaseOrders)
    assert combine(heard, written) == Readings((written.understood, heard.understood))
    assert combine(said("undo"), said("help")) == NotUnderstood("", DIFFERENT)
    assert combine(said("mumble"), said("grumble")) == NotUnderstood("mumble")


def test_a_digest_heard_at_two_times_is_asked_about() -> None:
    spoken = said("digest daily at eight thirty")
    written = said("digest daily at ten thirty")
    assert combine(spoken, written) == Readings((Digest("daily 10:30"), Digest("daily 08:30")))
    assert combine(spoken, said("digest off")) == Readings((Digest("off"), Digest("daily 08:30")))
    assert combine(spoken, said("help")) == NotUnderstood("", DIFFERENT)


def sphinx(words: str, order_fit: float = -0.001) -> Hypothesis:
    """What pocketsphinx makes of a clip whose order number words fit `order_fit` per frame."""
    heard = SphinxHeard(words, -0.002, -0.001, 0.0, order_fit)
    return sphinx_hypothesis(heard, ORDERS)


def test_pocketsphinx_does_not_echo_numbers_it_is_unsure_of() -> None:
    sure = sphinx("release order two five four with picking list")
    assert sure.understood == ReleaseOrders(("P000254",), PICK)

    unsure = sphinx("release order two five four with picking list", order_fit=-0.005)
    assert unsure.understood == NotUnderstood(unsure.words, UNHEARD_NUMBER)
    assert unsure.also == (ReleaseOrders(("P000254",), PICK),)  # for Whisper to back
    assert sphinx("undo", order_fit=-0.005).understood == Undo()  # no number in it


def test_whisper_takes_the_best_reading_about_existing_orders() -> None:
    heard = whisper("release order nine nine nine", "release order two one four")
    assert heard.understood == ReleaseOrders(("P000214",))
    assert whisper("the compressor is leaking").understood == NotUnderstood(
        "the compressor is leaking"
    )
    assert whisper().understood == NotUnderstood("")
    # readings far below the best are left out; alike ones count once
    transcribed = [("Undo.", -0.1), ("Undo!", -0.2), ("Undo that.", -0.35), ("Help.", -0.9)]
    assert readings(transcribed) == ["undo", "undo that"]


def whisper(*readings: str) -> Hypothesis:
    return neural_hypothesis(list(readings), ORDERS)


def test_whisper_alone_is_taken_where_pocketsphinx_heard_no_command() -> None:
    release = ReleaseOrders(("P000254",), PICK)
    sentence = "release order two five four with picking list"
    assert combine(said("mumble"), whisper(sentence)) == release


def test_a_number_pocketsphinx_was_unsure_of_is_settled_by_whisper_or_asked() -> None:
    unsure = sphinx("release order two one four with picking list", order_fit=-0.005)
    sentence = "release order two five four with picking list"
    release = ReleaseOrders(("P000254",), PICK)
    # every Whisper reading says P000254: taken
    assert combine(unsure, whisper(sentence, sentence)) == release
    # Whisper's readings split: the two are asked about
    split = whisper(sentence, "release order one three zero nine with picking list")
    assert combine(unsure, split) == Readings((release, ReleaseOrders(("P000214",), PICK)))
    # pocketsphinx's command is one of Whisper's readings: both heard it
    assert combine(said("release order one three zero nine with picking list"), split) == (
        ReleaseOrders(("P001309",), PICK)
    )
