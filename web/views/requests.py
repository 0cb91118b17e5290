"""A plant's shortages: the list, posting one, and a shortage's page with its sources and actions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from exchange import clearances, selectors, services
from exchange.models import PartRequest
from inventory import access
from inventory.errors import ConflictError
from inventory.processes import Process
from inventory.selectors import part_with_numbers_by_number

from .. import paging
from ..acting import acting_plant_required
from ..forms import PageForm
from ..once import create_once
from ..request_forms import NoteForm, NumberLookupForm, ShortageForm, add_service_errors
from .matches import action_forms, allowed, members_and_administrators

# The list's filter, each status named for the shortages it shows.
STATUS_FILTER = {
    PartRequest.Status.OPEN: pgettext_lazy("shortages", "Open"),
    PartRequest.Status.FULFILLED: pgettext_lazy("shortages", "Fulfilled"),
    PartRequest.Status.CANCELLED: pgettext_lazy("shortages", "Cancelled"),
    PartRequest.Status.EXPIRED: pgettext_lazy("shortages", "Expired"),
}


@acting_plant_required
@require_GET
def request_list(request):
    status = request.GET.get("status", PartRequest.Status.OPEN)
    if status not in STATUS_FILTER:
        status = PartRequest.Status.OPEN
    page_form = PageForm(request.GET)
    page = (page_form.cleaned_data["page"] if page_form.is_valid() else None) or 1
    start, stop = paging.page_bounds(page)
    part_requests = selectors.plant_part_requests(
        plant_id=request.acting.plant.pk, status=status, today=timezone.localdate(), start=start, stop=stop
    )
    return render(
        request,
        "web/requests/list.html",
        {
            "part_requests": part_requests[: paging.PAGE_SIZE],
            "status": status,
            "statuses": STATUS_FILTER.items(),
            **paging.page_links(request, page, part_requests),
        },
    )


@acting_plant_required
def request_new(request):
    form = ShortageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        plant, user = request.acting.plant, request.user
        photos = form.cleaned_data["photos"]

        def post_shortage():
            fields = form.request_fields()
            if photos:
                part_request = services.part_request_create_with_photos(
                    plant=plant, user=user, image_files=photos, **fields
                )
            else:
                part_request = services.part_request_create(plant=plant, user=user, **fields)
            return f"/requests/{part_request.pk}/"

        try:
            url = create_once(key=form.cleaned_data["form_key"], user=user, create=post_shortage)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(url)
    # What the catalogue knows of the number sent, as the script would have shown it; only a clean number is looked up.
    number = form.cleaned_data.get("number", "") if form.is_bound else ""
    return render(request, "web/requests/new.html", {"form": form, "number": number, "found": _lookup(number)})


def _lookup(number):
    return part_with_numbers_by_number(number) if number else None


@acting_plant_required
@require_GET
def request_new_lookup(request):
    """The fragment the number field's script shows as a number is typed: the part found, or that it is unknown."""
    form = NumberLookupForm(request.GET)
    number = form.cleaned_data["number"] if form.is_valid() else ""
    return render(request, "web/includes/part_lookup.html", {"number": number, "found": _lookup(number)})


def _request_page(request, part_request_id, *, status=200, cancel_form=None):
    try:
        part_request = selectors.part_request_for_page(part_request_id=part_request_id, user=request.user)
    except PartRequest.DoesNotExist as error:
        raise Http404 from error
    matches = selectors.matches_for_request_page(part_request=part_request, user=request.user)
    today = timezone.localdate()
    asked = list(part_request.clearances.all())
    context = {
        "part_request": part_request,
        "matches": [(match, allowed(match, part_request, request.user), action_forms(match)) for match in matches],
        "processes": [Process(code).label for code in part_request.processes if code in Process.values],
        "keeps_records": access.keeps_records_of_plant(request.user, part_request.plant_id),
        "is_open": part_request.status == PartRequest.Status.OPEN,
        "days_stopped": part_request.days_stopped(today),
        "downtime_cost": part_request.downtime_cost_usd(today),
        "cancel_form": cancel_form or NoteForm(),
        "history": _history(part_request, matches),
        "clearances": asked,
        "may_ask_clearance": part_request.status == PartRequest.Status.OPEN
        and access.acts_for_plant(request.user, part_request.plant_id)
        and not any(clearance.status in clearances.LIVE_STATUSES for clearance in asked),
        "clearance_min_open_days": settings.CLEARANCE_MIN_OPEN_DAYS,
    }
    return render(request, "web/requests/detail.html", context, status=status)


def _history(part_request, matches):
    """The request's status changes and its matches', in one line of time; a match's names its source."""
    changes = list(part_request.history.all())
    for match in matches:
        for change in match.history.all():
            change.source = match.source_plant.name
            changes.append(change)
    return sorted(changes, key=lambda change: (change.at, change.pk))


@members_and_administrators
@require_GET
def request_detail(request, part_request_id):
    return _request_page(request, part_request_id)


@members_and_administrators
def request_cancel(request, part_request_id):
    return _request_action(request, part_request_id, "cancel")


@members_and_administrators
def request_rematch(request, part_request_id):
    return _request_action(request, part_request_id, "rematch")


@members_and_administrators
def request_clearance(request, part_request_id):
    return _request_action(request, part_request_id, "clearance")


def _request_action(request, part_request_id, action):
    url = f"/requests/{part_request_id}/"
    if request.method != "POST":
        return redirect(url)
    try:
        part_request = selectors.part_requests_visible_to(request.user).get(pk=part_request_id)
    except PartRequest.DoesNotExist as error:
        raise Http404 from error
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _request_page(request, part_request_id, cancel_form=form)
    try:
        if action == "cancel":
            services.part_request_cancel(part_request=part_request, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("The shortage is cancelled; its sources have been told."))
        elif action == "clearance":
            clearance = clearances.clearance_ask(part_request=part_request, user=request.user)
            messages.success(
                request,
                _("Clearance %(serial)s asked: an administrator will grant or refuse it.")
                % {"serial": clearance.serial},
            )
        else:
            services.part_request_rematch(part_request=part_request, user=request.user)
            messages.success(request, _("The sources have been searched again."))
    except ValidationError as error:
        add_service_errors(form, error)
        return _request_page(request, part_request_id, cancel_form=form)
    except ConflictError as error:
        messages.error(request, error.message)
        return _request_page(request, part_request_id, status=409)
    return redirect(url)
