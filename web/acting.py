"""The acting plant: the plant a signed-in member works for on these pages.

Kept in the session; a member of one plant acts for it without choosing; a member of several chooses at
/plant/. Who acts for which plant is inventory/access.py's rule alone: this module only remembers the
choice and re-checks it against that rule on every request, so a membership removed takes effect at once.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from inventory import access
from inventory.models import Plant

SESSION_KEY = "web_acting_plant"


@dataclass(frozen=True)
class Acting:
    plant: Plant
    plant_ids: frozenset[int]

    @property
    def several(self) -> bool:
        return len(self.plant_ids) > 1


def chosen_plant_id(request) -> int | None:
    """The plant the request acts for, if the user still acts for it: the one chosen, or the only one."""
    plant_ids = access.plant_ids_acted_for(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen in plant_ids:
        return chosen
    if len(plant_ids) == 1:
        return next(iter(plant_ids))
    return None


def choose_plant(request, plant: Plant) -> None:
    access.require_acts_for_plant(request.user, plant)
    request.session[SESSION_KEY] = plant.pk


def acting_plant_required(view):
    """For pages that work for a plant: sets ``request.acting`` (an ``Acting``) before calling the view.

    Visitors go to the sign-in page and come back; a member of several plants who has not chosen goes to
    /plant/ and comes back; a user who acts for no plant sees a page that says so.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        plant_ids = access.plant_ids_acted_for(request.user)
        if not plant_ids:
            return render(request, "web/no_plant.html", {"is_administrator": access.is_administrator(request.user)})
        plant_id = chosen_plant_id(request)
        if plant_id is None:
            return redirect(f"{reverse('web:plant')}?{urlencode({'next': request.get_full_path()})}")
        request.acting = Acting(plant=Plant.objects.get(pk=plant_id), plant_ids=plant_ids)
        return view(request, *args, **kwargs)

    return wrapper
