from django.shortcuts import render

from exchange import selectors

from ..acting import acting_plant_required
from ..forms import SignInForm

# Unread notices shown on the home page; the rest are at /notifications/.
HOME_NOTICES = 5


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
            "notices": [
                notice
                for notice in selectors.notifications_for(request.user, plant_id=plant.pk, limit=HOME_NOTICES)
                if notice.read_at is None
            ],
        },
    )
