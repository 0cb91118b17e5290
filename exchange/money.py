"""Dollars and bolívares: amounts are Decimals rounded to the cent only where a figure is stored or shown.

Why not py-moneyed or django-money: see docs/architecture.md ("Money").
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, as a person rounds a price (Decimal's default would round half to even)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def ves_to_usd(amount_ves: Decimal, rate: Decimal) -> Decimal:
    """Bolívares to dollars at ``rate`` bolívares per dollar, to the cent."""
    return to_cents(Decimal(amount_ves) / Decimal(rate))


def share_of(amount: Decimal, part: int, whole: int) -> Decimal:
    """What ``part`` units of a price for ``whole`` units cost, to the cent: a quote prices its whole quantity."""
    return to_cents(Decimal(amount) * part / whole)
