"""One grammar, two uses: what speech can say, the text parser understands."""

from __future__ import annotations

import random

import pytest
from pocketsphinx import Decoder

from bot.conversation import language
from bot.conversation.commands import NotUnderstood
from bot.conversation.grammar import (
    Alt,
    Cap,
    Many,
    Node,
    Opt,
    Rule,
    Separated,
    Seq,
    TextOnly,
    Typed,
    Words,
    jsgf_words,
)
from bot.conversation.parser import parse


def _say(grammar: Node, rng: random.Random) -> list[str] | None:
    """One random sentence the spoken grammar allows (None: this branch is typed only)."""
    match grammar:
        case Words(fixed):
            return list(fixed)
        case Typed() | TextOnly():
            return None
        case Seq(parts):
            said: list[str] = []
            for part in parts:
                words = _say(part, rng)
                if words is None:
                    return None
                said += words
            return said
        case Alt(options):
            spoken = [words for option in options if (words := _say(option, rng)) is not None]
            return rng.choice(spoken) if spoken else None
        case Opt(part):
            return (_say(part, rng) or []) if rng.random() < 0.5 else []
        case Many(part):
            said = []
            for _ in range(rng.randint(1, 3)):
                words = _say(part, rng)
                if words is None:
                    return None
                said += words
            return said
        case Separated(_, item, separator):
            more = tuple(part for _ in range(rng.randint(0, 2)) for part in (separator, item))
            return _say(Seq((item, *more)), rng)
        case Rule(_, body) | Cap(_, body, _):
            return _say(body, rng)
    raise TypeError(grammar)


@pytest.fixture(scope="module")
def decoder() -> Decoder:
    return Decoder(lm=None, loglevel="FATAL")


def test_the_speech_grammar_loads_and_every_word_is_in_the_dictionary(decoder) -> None:
    grammar = language.jsgf()
    decoder.add_jsgf_string("commands", grammar)
    words = jsgf_words(grammar)
    assert {"release", "route", "card", "digest", "seven"} <= words
    assert [word for word in words if decoder.lookup_word(word) is None] == []


def test_typed_forms_are_not_in_the_speech_grammar() -> None:
    words = jsgf_words(language.jsgf())
    assert not [word for word in words if any(char.isdigit() for char in word)]
    assert "oh" not in words  # "oh" for zero: measured to hurt more than help
    assert "thanks" not in words  # text-only courtesy


def test_every_spoken_sentence_parses_as_a_command() -> None:
    """Parses, that is: "thirteen in the morning" is a command with an impossible time."""
    rng = random.Random(6)
    for _ in range(500):
        sentence = " ".join(_say(language.COMMAND, rng) or [])
        result = parse(sentence)
        assert not isinstance(result, NotUnderstood) or result.reason, sentence


def test_known_orders_and_sites_narrow_the_speech_grammar(decoder) -> None:
    grammar = language.jsgf(frozenset({"P000123", "P004560"}), frozenset({"2", "S3"}))
    decoder.add_jsgf_string("known", grammar)
    rules = dict(line.split(" = ", 1) for line in grammar.splitlines() if " = " in line)
    assert rules["<order_digits>"] == (
        "( forty five sixty | four five six zero "
        "| one ( hundred ( and twenty three | twenty three ) | twenty three | two three ) "
        "| zero zero ( four five six zero | zero one two three ) );"
    )
    assert rules["<site_code>"] == "two;"
