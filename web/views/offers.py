"""An offer on another plant's shortage: one of the acting plant's own sources that fit, with a quote."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange.engine import rules
from exchange.models import PartRequest
from exchange.selectors import offer_sources
from exchange.services import match_offer_create
from inventory.errors import ConflictError
from inventory.processes import Process

from ..acting import acting_plant_required
from ..forms import OfferForm
from ..once import create_once

# The engine's hard conditions, as a foreman reads them.
FAILURE_TEXT = {
    rules.WRONG_PART: gettext_lazy("not the part asked for, nor one sharing its number"),
    rules.NO_UNITS: gettext_lazy("no exchangeable units available"),
    rules.PROCESS_NOT_NEEDED: gettext_lazy("the part does not need this process"),
    rules.MATERIAL_NOT_HANDLED: gettext_lazy("you do not work the part's material"),
    rules.TOO_LARGE: gettext_lazy("the part is too large for your limits"),
    rules.IT_GRADE_NOT_REACHED: gettext_lazy("your workshop does not reach the IT grade the part needs"),
}


def _why_not(source) -> list[str]:
    reasons = [str(FAILURE_TEXT[failure]) for failure in source.failures if failure in FAILURE_TEXT]
    if rules.PROCESS_MISSING in source.failures:
        reasons.append(
            _("your workshop lacks %(processes)s")
            % {"processes": ", ".join(str(Process(code).label).lower() for code in source.missing_processes)}
        )
    return reasons


@acting_plant_required
def offer(request, pk):
    plant = request.acting.plant
    part_request = get_object_or_404(PartRequest.objects.select_related("plant", "part", "material"), pk=pk)
    if part_request.plant_id == plant.pk:
        raise PermissionDenied(_("Your plant posted this shortage: other plants make the offers on it."))
    if part_request.status != PartRequest.Status.OPEN:
        return render(request, "web/shops/offer_closed.html", {"part_request": part_request}, status=409)
    stock, capabilities = offer_sources(part_request=part_request, plant_id=plant.pk)
    form = OfferForm(
        request.POST or None,
        stock_item_ids=[offered.source.pk for offered in stock if not offered.failures],
        capability_ids=[offered.source.pk for offered in capabilities if not offered.failures],
        initial={"quantity": part_request.quantity_outstanding},
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            match = match_offer_create(
                part_request=part_request,
                user=request.user,
                stock_item=data["stock_item"],
                capability=data["capability"],
                quantity=data["quantity"],
                price=data["price"],
                currency=data["currency"],
                lead_time_days=data["lead_time_days"],
                note=data["note"],
            )
            return f"/matches/{match.pk}/"

        try:
            return redirect(create_once(key=data["form_key"], user=request.user, create=create))
        except ValidationError as error:
            form.add_error(None, error)
        except ConflictError as error:
            conflict = str(error)
    return render(
        request,
        "web/shops/offer.html",
        {
            "part_request": part_request,
            "processes": [Process(code).label for code in part_request.processes if code in Process.values],
            "form": form,
            "conflict": conflict,
            "unfit_stock": [(s.source, _why_not(s)) for s in stock if s.failures],
            "unfit_capabilities": [(c.source, _why_not(c)) for c in capabilities if c.failures],
        },
    )
