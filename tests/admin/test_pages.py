from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from knox.models import AuthToken

from exchange import rates
from exchange.models import Clearance, Criticality, ExchangeRate, Match
from inventory import services as inventory_services
from inventory.access import SYSTEM
from inventory.models import Material
from tests.factories import MatchFactory, NotificationFactory, PartFactory, UserFactory, capability

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_everything(admin_user):
    """At least one row of every model the admin registers, so that each has a change form to open."""
    material = inventory_services.material_create(
        user=SYSTEM, name="AISI 1045", family=Material.Family.CARBON_STEEL, designations=["AISI 1045", "C45"]
    )
    capability(process="turning", materials=[material])
    # A match brings its request, both plants, their members, the part, the stock item and its ledger.
    match = MatchFactory(
        request__criticality=Criticality.PRODUCTION_STOPPED, status=Match.Status.APPROVED, status__admin=admin_user
    )
    Clearance.objects.create(request=match.request, serial="CND-2026-000001")
    rates.exchange_rate_save(
        exchange_rate=ExchangeRate(date=date(2026, 11, 27), rate=Decimal("245.67")), user=admin_user
    )
    NotificationFactory()
    inventory_services.interchange_propose(part=PartFactory(), substitute=PartFactory(), note="Plano", user=SYSTEM)
    Group.objects.create(name="Revisores")
    AuthToken.objects.create(user=admin_user)


def form_of(response, model) -> bool:
    return response.status_code == 200 and f'id="{model._meta.model_name}_form"' in response.content.decode()


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_change_form_and_add_form_renders_for_a_superuser(admin_client, one_of_everything, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"one_of_everything has no {model._meta.label} whose change form to open"
    assert form_of(admin_client.get(admin_url(model, "change", row.pk)), model)
    if admin.site._registry[model].has_add_permission(admin_client.get("/admin/").wsgi_request):
        assert form_of(admin_client.get(admin_url(model, "add")), model)


def test_admin_index_links_the_dashboard(admin_client, db):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:exchange_dashboard") in page


@pytest.mark.parametrize("path", ["admin:index", "admin:exchange_match_changelist", "admin:exchange_dashboard"])
def test_a_user_who_is_not_staff_cannot_reach_the_admin(client, db, path):
    client.force_login(UserFactory(is_staff=False))

    response = client.get(reverse(path))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
