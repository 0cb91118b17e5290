"""Bin labels: a QR code that opens the item's page, drawn as inline SVG (no image requests)."""

import functools

import segno


# Drawing a code costs about 4 ms; a sheet of 24 is reprinted with the same addresses.
@functools.lru_cache(maxsize=4096)
def qr_svg(text: str) -> str:
    """The QR code of ``text`` as an SVG element, scalable to its label (no fixed size, no XML declaration).

    Error correction M survives a scuffed label in a store; segno raises it further when the data leaves
    room in the same symbol size.
    """
    return segno.make(text, error="m", micro=False).svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, title=None
    )
