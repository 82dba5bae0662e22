"""Audio clips as Slack sends them (m4a, webm, ogg, mp3, wav) -> 16 kHz mono 16-bit PCM."""

from __future__ import annotations

import io

import av

SAMPLE_RATE = 16_000
MAX_SECONDS = 30


class UnreadableAudio(ValueError):
    """The clip is no audio we can decode, or too long to be a command."""


def decode_pcm(data: bytes) -> bytes:
    """Decode any container and codec PyAV (FFmpeg) knows; resample to what the recogniser uses."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[bytes] = []
    size = 0
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise UnreadableAudio("the file has no sound track")
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunks.append(bytes(out.planes[0])[: out.samples * 2])
                    size += out.samples * 2
                if size > MAX_SECONDS * SAMPLE_RATE * 2:
                    raise UnreadableAudio(f"the clip is longer than {MAX_SECONDS} seconds")
            for out in resampler.resample(None):
                chunks.append(bytes(out.planes[0])[: out.samples * 2])
    except av.FFmpegError as error:
        raise UnreadableAudio(f"the file is not audio we can play ({error.strerror})") from None
    if not chunks:
        raise UnreadableAudio("the clip is empty")
    return b"".join(chunks)
