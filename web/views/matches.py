"""A match's page and the actions on it: the requester's (accept, decline, cancel, fulfil: receive) and the
source's (quote, ship).

Each action is a POST form with the API's field names that calls the exchange service the API calls,
then redirects to the match page (or to a safe local ``next``, the shortage's page when sent from there).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from exchange import selectors, services
from exchange.models import Match, PartRequest
from exchange.transitions import QUOTABLE, TRANSITIONS
from inventory import access
from inventory.errors import ConflictError

from ..acting import acting_plant_required
from ..forms import QuoteForm, ShipForm
from ..request_forms import DeclineForm, FulfilForm, NoteForm, add_service_errors


def members_and_administrators(view):
    """For the pages of one shortage or match: members as ever, and administrators who act for no plant,
    who keep the records (``request.acting`` is then None)."""
    for_members = acting_plant_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access.is_administrator(request.user) and not access.plant_ids_acted_for(request.user):
            request.acting = None
            return view(request, *args, **kwargs)
        return for_members(request, *args, **kwargs)

    return wrapper


def allowed(match: Match, part_request: PartRequest, user) -> set[str]:
    """The actions to offer this viewer as buttons, on either side; the service still decides."""
    requester = access.acts_for_plant(user, part_request.plant_id)
    source = access.acts_for_plant(user, match.source_plant_id)
    keeps_records = access.is_administrator(user) or requester or source
    actions = set()
    if source and match.status in QUOTABLE:
        actions.add("quote")
    if source and match.status in TRANSITIONS["ship"][0]:
        actions.add("ship")
    if requester and match.status in TRANSITIONS["accept"][0] and match.is_quoted:
        actions.add("accept")
    if keeps_records and match.status in TRANSITIONS["decline"][0]:
        actions.add("decline")
    if keeps_records and match.status in TRANSITIONS["cancel"][0]:
        actions.add("cancel")
    if requester and match.status in TRANSITIONS["fulfil"][0]:
        actions.add("fulfil")
    if part_request.status != PartRequest.Status.OPEN:
        actions -= {"accept", "decline", "quote"}
    return actions


def action_forms(match: Match, bound=None) -> dict:
    """The forms of a match's actions, their ids prefixed by the match (a page lists several); ``bound``
    replaces one by the form sent back with its errors."""
    prefix = f"match{match.pk}_%s"
    forms = {
        "decline": DeclineForm(auto_id=prefix),
        "fulfil": FulfilForm(auto_id=prefix, initial={"quantity": match.quantity_shipped or match.quantity}),
        "cancel": NoteForm(auto_id=prefix),
        "quote": QuoteForm(
            auto_id=prefix,
            initial={
                "price": match.quote_price,
                "currency": match.quote_currency or Match.Currency.USD,
                "lead_time_days": match.quote_lead_time_days,
                "quantity": match.quantity,
            },
        ),
        "ship": ShipForm(auto_id=prefix),
    }
    return {**forms, **(bound or {})}


def _match_page(request, match_id, *, status=200, bound=None):
    try:
        match = selectors.match_for_page(match_id=match_id, user=request.user)
    except Match.DoesNotExist as error:
        raise Http404 from error
    context = {
        "match": match,
        "part_request": match.request,
        "actions": allowed(match, match.request, request.user),
        "forms": action_forms(match, bound),
        "bound_form": next(iter(bound.values())) if bound else None,
        "history": match.history.all(),
    }
    return render(request, "web/matches/detail.html", context, status=status)


@members_and_administrators
@require_GET
def match_detail(request, match_id):
    return _match_page(request, match_id)


def _accept(match, user, form):
    services.match_accept(match=match, user=user)


def _decline(match, user, form):
    services.match_decline(match=match, user=user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])


def _cancel(match, user, form):
    services.match_cancel(match=match, user=user, note=form.cleaned_data["note"])


def _fulfil(match, user, form):
    services.match_fulfil(match=match, user=user, **form.cleaned_data)


def _quote(match, user, form):
    services.match_quote(match=match, user=user, **form.cleaned_data)


def _ship(match, user, form):
    services.match_ship(match=match, user=user, note=form.cleaned_data["note"])


# action → (its form, what the service does, the message on success)
ACTIONS = {
    "accept": (NoteForm, _accept, gettext_lazy("You accepted this source. Its plant has been told.")),
    "decline": (DeclineForm, _decline, gettext_lazy("You declined this source.")),
    "cancel": (NoteForm, _cancel, gettext_lazy("The match is cancelled; the units are released.")),
    "fulfil": (FulfilForm, _fulfil, gettext_lazy("Receipt confirmed. Thank you.")),
    "quote": (QuoteForm, _quote, gettext_lazy("Your quote is saved. The requester has been told.")),
    "ship": (ShipForm, _ship, gettext_lazy("Marked as shipped. The requester has been told.")),
}


def match_action(action):
    form_class, act, success = ACTIONS[action]

    @members_and_administrators
    def view(request, match_id):
        page = f"/matches/{match_id}/"
        if request.method != "POST":
            return redirect(page)
        try:
            match = selectors.matches_visible_to(request.user).select_related("request").get(pk=match_id)
        except Match.DoesNotExist as error:
            raise Http404 from error
        form = form_class(request.POST, auto_id=f"match{match_id}_%s")
        if not form.is_valid():
            return _match_page(request, match_id, bound={action: form})
        try:
            act(match, request.user, form)
        except ValidationError as error:
            add_service_errors(form, error)
            return _match_page(request, match_id, bound={action: form})
        except ConflictError as error:
            messages.error(request, error.message)
            return _match_page(request, match_id, status=409)
        messages.success(request, success)
        return redirect(_safe_next(request, page))

    view.__name__ = f"match_{action}"
    return view


def _safe_next(request, default):
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


match_accept = match_action("accept")
match_decline = match_action("decline")
match_cancel = match_action("cancel")
match_fulfil = match_action("fulfil")
match_quote = match_action("quote")
match_ship = match_action("ship")
