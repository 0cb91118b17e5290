"""The match lifecycle in one table: the only moves a match can make."""

from django.utils.translation import gettext_lazy as _

from .models import Match

S = Match.Status

# action -> (statuses it is allowed from, status it leads to)
TRANSITIONS = {
    "approve": ({S.PROPOSED}, S.APPROVED),
    "reject": ({S.PROPOSED, S.APPROVED}, S.REJECTED),
    "accept": ({S.APPROVED}, S.ACCEPTED),
    "ship": ({S.ACCEPTED}, S.SHIPPED),
    "fulfil": ({S.ACCEPTED, S.SHIPPED}, S.FULFILLED),
    "decline": ({S.PROPOSED, S.APPROVED}, S.DECLINED),
    "cancel": ({S.ACCEPTED}, S.CANCELLED),
}
# How each action is named to a person, in messages about it.
ACTION_LABELS = {
    "approve": _("approve"),
    "reject": _("reject"),
    "accept": _("accept"),
    "ship": _("ship"),
    "fulfil": _("confirm receipt of"),
    "decline": _("decline"),
    "cancel": _("cancel"),
}
# Quoting changes no status but is allowed only before the requester commits.
QUOTABLE = {S.PROPOSED, S.APPROVED}
# Matches that still hold a claim on the request.
OPEN_STATUSES = {S.PROPOSED, S.APPROVED, S.ACCEPTED, S.SHIPPED}
# Matches committed to the request: their units are reserved at the source (accepted) or on their way
# (shipped; a match shipped before shipping moved stock still holds them reserved: see
# selectors.stock_matches_holding_reservations).
RESERVING_STATUSES = {S.ACCEPTED, S.SHIPPED}
