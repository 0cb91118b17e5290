"""The board: every open shortage of the country, most urgent first, for shops and plants to serve."""

from django.shortcuts import render
from django.utils import timezone

from exchange.engine.rules import great_circle_km
from exchange.selectors import board_requests, fitting_workshop, open_requests_slice, plant_capabilities
from inventory.selectors import plant_states

from .. import paging
from ..acting import acting_plant_required
from ..forms import BoardFilterForm


@acting_plant_required
def board(request):
    plant = request.acting.plant
    form = BoardFilterForm(request.GET or None, states=plant_states())
    # A filter that does not validate is shown with its error and left out; the others still apply.
    form.is_valid()
    filters = form.cleaned_data if form.is_bound else {}
    requests = board_requests(
        q=filters.get("q", ""),
        process=filters.get("process", ""),
        state=filters.get("state", ""),
        criticality=filters.get("criticality", ""),
    )
    capabilities = None
    if filters.get("fits"):
        capabilities = plant_capabilities(plant.pk)
        requests = requests.filter(fitting_workshop(capabilities))
    page = filters.get("page") or 1
    rows = open_requests_slice(requests, *paging.page_bounds(page))
    today = timezone.localdate()
    lines = []
    for part_request in rows[: paging.PAGE_SIZE]:
        distance_km = great_circle_km(
            plant.latitude, plant.longitude, part_request.plant.latitude, part_request.plant.longitude
        )
        days_open = (today - timezone.localtime(part_request.created_at).date()).days
        lines.append({"request": part_request, "distance_km": distance_km, "days_open": days_open})
    return render(
        request,
        "web/shops/board.html",
        {
            "form": form,
            "lines": lines,
            "fits": capabilities is not None,
            "no_capabilities": capabilities == [],
            **paging.page_links(request, page, rows),
        },
    )
