"""Signing in and out, and choosing the acting plant."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from config.login import throttled
from inventory import access

from .. import acting
from ..forms import PlantChoiceForm, SignInForm

login = throttled(
    auth_views.LoginView.as_view(
        template_name="web/login.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
        next_page="/",
    )
)
# POST only (Django 5): a link or a prefetch cannot sign anyone out.
logout = auth_views.LogoutView.as_view(next_page="/login/")


def _safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else default


@login_required
def plant(request):
    plant_ids = access.plant_ids_acted_for(request.user)
    if not plant_ids:
        return render(request, "web/no_plant.html", {"is_administrator": access.is_administrator(request.user)})
    form = PlantChoiceForm(
        request.POST or None, plant_ids=plant_ids, initial={"plant": acting.chosen_plant_id(request)}
    )
    if request.method == "POST" and form.is_valid():
        acting.choose_plant(request, form.cleaned_data["plant"])
        return redirect(_safe_next(request))
    return render(request, "web/plant.html", {"form": form, "next": _safe_next(request, default="")})
