"""Code128 barcodes as 1-bit PNG files at print resolution.

markdown-pdf rasterises SVG at about 96 dpi, too coarse for a scanner, and stores
images uncompressed unless told otherwise: a 1-bit PNG at 300 dpi is crisp and tiny.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import barcode
from barcode.writer import ImageWriter

PRINT_DPI = 300
OPTIONS = {
    "module_width": 0.3,  # mm per narrow bar: scans well from a printed A4 page
    "module_height": 10.0,
    "quiet_zone": 3.0,
    "dpi": PRINT_DPI,
    "write_text": False,
}


def code128_png(value: str, directory: Path) -> Path:
    """The barcode of `value` as a PNG in `directory`, drawn once per value."""
    path = directory / f"bc-{hashlib.sha1(value.encode()).hexdigest()[:16]}.png"
    if not path.exists():
        code = barcode.get("code128", value, writer=ImageWriter(mode="1"))
        code.render(OPTIONS).save(path, optimize=True)
    return path
