"""Code128 barcodes as small 1-bit PNG images, made in memory.

python-barcode encodes the value (the bars as a string of modules); its ImageWriter then
paints every module as a rectangle at print resolution and we wrote each to a file, 0.7 ms
a barcode, more than laying out a page. The modules are painted here as one row of pixels,
a pixel a module, stretched to the bar height: the page scales the image to its printed
width and the edges stay sharp (a 1-bit image is not smoothed), so zbarimg still reads it
from a 200 dpi scan.
"""

from __future__ import annotations

import hashlib
import io

import barcode
from PIL import Image

QUIET_MODULES = 10  # white on each side, as scanners want
HEIGHT_MODULES = 33  # the bars' height: 10 mm at 0.3 mm a module


def image_name(value: str) -> str:
    """The file name a page gives the barcode of `value` (any text is a safe name here)."""
    return f"bc-{hashlib.sha1(value.encode()).hexdigest()[:16]}.png"


def code128_png(value: str) -> bytes:
    """The Code128 barcode of `value` as a 1-bit PNG, a pixel a module."""
    [modules] = barcode.get("code128", value).build()
    row = "0" * QUIET_MODULES + modules + "0" * QUIET_MODULES
    line = Image.new("1", (len(row), 1))
    line.putdata([0 if module == "1" else 255 for module in row])  # a bar is black
    image = line.resize((len(row), HEIGHT_MODULES), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
