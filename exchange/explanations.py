"""A match's explanation in words, written when it is read, in the reader's language.

A match stores the facts of its explanation (the kind of fit, the stock's condition, the
units it covers of those needed, the distance, the processes and the lead time); the
sentence is made here in the active language, so that the API, the admin, the pages and
each e-mail speak their reader's. An explanation stored before its facts were (a
``summary`` and no ``fit``) is shown as it was written.
"""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inventory.models import StockItem
from inventory.processes import Process

FIT_WORDS = {
    "same_part": lambda explanation: _("same part"),
    "cross_reference": lambda explanation: _("cross-referenced number"),
    "interchange": lambda explanation: (
        _("interchangeable part, interchange #%(interchange)d") % {"interchange": explanation["interchange"]}
    ),
}


def explanation_summary(explanation: dict, *, units: int | None = None) -> str:
    """The one-line summary of an explanation; ``units``, when given, are the units the match holds now."""
    fit = explanation.get("fit")
    if fit in FIT_WORDS:
        return _stock_summary(explanation, fit, units if units is not None else explanation["units"])
    if fit == "fabrication":
        return _("Can make or repair it %(distance)s away (%(processes)s), in about %(days)d days.") % {
            "distance": distance_words(explanation.get("distance_km")),
            "processes": ", ".join(str(Process(code).label) for code in explanation["processes"]),
            "days": explanation["lead_time_days"],
        }
    if fit == "offer":
        return _("Offered by %(plant)s.") % {"plant": explanation["offered_by"]}
    return explanation.get("summary", "")


def _stock_summary(explanation, fit, units):
    facts = {
        "how": FIT_WORDS[fit](explanation),
        "condition": str(StockItem.Condition(explanation["condition"]).label).lower(),
        "quantity": units,
        "needed": explanation["needed"],
        "distance": distance_words(explanation.get("distance_km")),
    }
    if explanation.get("own_store"):
        return (
            ngettext(
                "In your own store (%(how)s, %(condition)s): covers %(quantity)d of %(needed)d unit.",
                "In your own store (%(how)s, %(condition)s): covers %(quantity)d of %(needed)d units.",
                facts["needed"],
            )
            % facts
        )
    return (
        ngettext(
            "In stock %(distance)s away (%(how)s, %(condition)s): covers %(quantity)d of %(needed)d unit.",
            "In stock %(distance)s away (%(how)s, %(condition)s): covers %(quantity)d of %(needed)d units.",
            facts["needed"],
        )
        % facts
    )


def distance_words(distance_km: float | None) -> str:
    if distance_km is None:
        return _("an unknown distance")
    return f"{formats.number_format(round(distance_km), 0, force_grouping=True)} km"
