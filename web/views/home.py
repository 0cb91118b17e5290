from django.shortcuts import render

from exchange import selectors

from ..acting import acting_plant_required
from ..forms import SignInForm


def home(request):
    """Visitors find the sign-in form at the exchange's address; members their plant's home."""
    if not request.user.is_authenticated:
        return render(request, "web/login.html", {"form": SignInForm(request)})
    return _plant_home(request)


@acting_plant_required
def _plant_home(request):
    plant = request.acting.plant
    return render(
        request,
        "web/home.html",
        {
            "plant": plant,
            "waiting": selectors.matches_waiting_for_plant(plant.pk),
            "shortages": selectors.open_requests_with_best_source(plant.pk),
            "figures": selectors.plant_figures(plant.pk),
        },
    )
