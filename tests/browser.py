"""Debian's chromium as the browser tests launch it (Playwright drives it; it downloads no browser).

The background-networking flags keep it from calling out: this machine's network is closed.
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
