"""Import clearances on the web: anyone checks one at /verify/<serial>/; members read /transparency/ and its CSV.

Asking for a clearance is a button on the shortage's page (web/views/requests.py).
"""

import csv
from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exchange import transparency
from exchange.clearances import source_reason
from exchange.models import Match
from inventory.selectors import plant_states

from ..transparency_forms import TransparencyFilterForm
from .matches import members_and_administrators


@require_GET
def verify(request, serial):
    verification = transparency.clearance_verification(serial, timezone.localdate())
    clearance = verification.clearance
    sources = [
        {
            **source,
            "source_label": Match.Source(source["source"]).label,
            "outcome_label": Match.Status(source["outcome"]).label,
            "reason": source_reason(source),
        }
        for source in (clearance.sources if clearance else [])
    ]
    posted_on = clearance.request_facts.get("posted_on") if clearance else None
    return render(
        request,
        "web/clearances/verify.html",
        {
            "verification": verification,
            "clearance": clearance,
            "sources": sources,
            "posted_on": date.fromisoformat(posted_on) if posted_on else None,
            # In full on a printed copy, for whoever holds the paper to type in.
            "verify_url": request.build_absolute_uri(),
        },
        status=404 if verification.state == "unknown" else 200,
    )


def _filter_form(request):
    return TransparencyFilterForm(request.GET or None, states=plant_states(), sectors=transparency.plant_sectors())


@members_and_administrators
@require_GET
def transparency_page(request):
    form = _filter_form(request)
    filters = form.filters()
    query = request.GET.urlencode()
    return render(
        request,
        "web/clearances/transparency.html",
        {
            "form": form,
            "figures": transparency.plant_figures_table(**filters),
            "clearances": transparency.granted_clearances(**filters),
            "declined": transparency.declined_sources(**filters),
            "query": f"?{query}" if query else "",
        },
    )


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT") if moment else ""


# Each table of the page as CSV: its header and its rows, the same figures the page shows.
CSV_TABLES = {
    "plants": (
        lambda: [
            _("Plant"),
            _("State"),
            _("Sector"),
            _("Shortages posted"),
            _("Served at home"),
            _("Cleared for import"),
            _("Median days to a domestic source"),
        ],
        lambda filters: (
            [
                row.plant,
                row.state,
                row.sector,
                row.shortages_posted,
                row.served_at_home,
                row.cleared_for_import,
                "" if row.median_days_to_domestic_source is None else row.median_days_to_domestic_source,
            ]
            for row in transparency.plant_figures_table(**filters)
        ),
    ),
    "clearances": (
        lambda: [_("Serial"), _("Plant"), _("Part"), _("Quantity"), _("Granted on"), _("Valid until"), _("Digest")],
        lambda filters: (
            [
                clearance.serial,
                clearance.request_facts.get("plant", ""),
                clearance.request_facts.get("part", ""),
                clearance.request_facts.get("quantity", ""),
                _day(clearance.granted_at),
                formats.date_format(clearance.valid_until, "SHORT_DATE_FORMAT"),
                clearance.digest,
            ]
            for clearance in transparency.granted_clearances(**filters)
        ),
    ),
    "declined": (
        lambda: [_("Request"), _("Requesting plant"), _("Source plant"), _("Reason"), _("Declined on")],
        lambda filters: (
            [row.request_id, row.requester, row.source, row.reason, _day(row.declined_at)]
            for row in transparency.declined_sources(**filters)
        ),
    ),
}


@members_and_administrators
@require_GET
def transparency_csv(request, table):
    if table not in CSV_TABLES:
        raise Http404
    header, rows = CSV_TABLES[table]
    filters = _filter_form(request).filters()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transparency-{table}.csv"'
    writer = csv.writer(response)
    writer.writerow(header())
    writer.writerows(rows(filters))
    return response
