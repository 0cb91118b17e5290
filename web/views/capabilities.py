"""The workshop: the acting plant's capabilities, what each fits today, and their forms."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from exchange.selectors import fitting_requests_by_capability, plant_capabilities
from inventory import access
from inventory.errors import ConflictError
from inventory.models import Capability, Material
from inventory.services import capability_create, capability_delete, capability_update

from ..acting import acting_plant_required
from ..forms import CapabilityForm, NewCapabilityForm
from ..once import create_once

FIELDS = ("process", "max_diameter_mm", "max_length_mm", "max_weight_kg", "best_it_grade", "lead_time_days", "notes")


def _capability_fields(data):
    return {name: data[name] for name in FIELDS} | {"notes": data["notes"] or ""}


@acting_plant_required
def capability_list(request):
    capabilities = plant_capabilities(request.acting.plant.pk)
    fits = fitting_requests_by_capability(capabilities)
    return render(
        request,
        "web/shops/capabilities.html",
        {"lines": [(capability, fits[capability.pk]) for capability in capabilities]},
    )


@acting_plant_required
def capability_new(request):
    plant = request.acting.plant
    form = NewCapabilityForm(
        request.POST or None, taken=[capability.process for capability in plant_capabilities(plant.pk)]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            capability = capability_create(
                plant=plant,
                user=request.user,
                materials=Material.objects.filter(pk__in=data["materials"]),
                **_capability_fields(data),
            )
            return f"/capabilities/{capability.pk}/"

        try:
            url = create_once(key=data["form_key"], user=request.user, create=create)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Capability saved. The exchange now matches it to open shortages."))
            return redirect(url)
    return render(request, "web/shops/capability_new.html", {"form": form})


def records_keeper_required(view):
    """A plant's own record: its members come through the acting plant; administrators of no plant come
    straight in (inventory/access.py lets them keep every plant's records); the view checks the object."""
    for_members = acting_plant_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access.is_administrator(request.user) and not access.plant_ids_acted_for(request.user):
            return view(request, *args, **kwargs)
        return for_members(request, *args, **kwargs)

    return wrapper


def _capability_kept_by(request, pk) -> Capability:
    capability = get_object_or_404(
        Capability.objects.select_related("plant").prefetch_related("materials__designations"), pk=pk
    )
    # Another plant's workshop is not this user's to see here: as if it were not there.
    if not access.keeps_records_of_plant(request.user, capability.plant):
        raise Http404
    return capability


def _designations(capability) -> str:
    # The first designation of each material names it; any other would resolve to the same grade.
    return ", ".join(
        next((d.designation for d in material.designations.all()), material.name)
        for material in capability.materials.all()
    )


@records_keeper_required
def capability_detail(request, pk):
    capability = _capability_kept_by(request, pk)
    initial = {name: getattr(capability, name) for name in FIELDS} | {"materials": _designations(capability)}
    taken = (
        Capability.objects.filter(plant_id=capability.plant_id)
        .exclude(pk=capability.pk)
        .values_list("process", flat=True)
    )
    form = CapabilityForm(request.POST or None, initial=initial, taken=set(taken))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            capability_update(
                capability=capability,
                user=request.user,
                materials=Material.objects.filter(pk__in=data["materials"]),
                **_capability_fields(data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(f"/capabilities/{capability.pk}/")
    fits = fitting_requests_by_capability(plant_capabilities(capability.plant_id))
    return render(
        request,
        "web/shops/capability.html",
        {"capability": capability, "form": form, "fits": fits.get(capability.pk)},
    )


@records_keeper_required
def capability_delete_confirm(request, pk):
    capability = _capability_kept_by(request, pk)
    conflict = ""
    if request.method == "POST":
        try:
            capability_delete(capability=capability, user=request.user)
        except ConflictError as error:
            conflict = str(error)
        else:
            messages.success(request, _("Capability deleted."))
            return redirect("/capabilities/")
    return render(request, "web/shops/capability_delete.html", {"capability": capability, "conflict": conflict})
