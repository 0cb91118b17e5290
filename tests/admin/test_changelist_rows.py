"""Every changelist's rows are Django's own, cell for cell, drawn by inventory.changelists.changelist_rows."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from knox.models import AuthToken

from exchange.models import Clearance, PartRequest
from inventory.changelists import changelist_rows
from inventory.models import Interchange
from inventory.templatetags import changelist_rows as tag_module
from tests.factories import PartFactory

# Each list as it first opens, sorted on its second column backwards, searched, and chosen from a popup.
VARIANTS = [{}, {"o": "-2"}, {"q": "a"}, {"_popup": "1"}, {"status": "all"}]


@pytest.fixture
def every_list_has_rows(db, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    AuthToken.objects.create(admin_user)
    Group.objects.create(name="Almacenistas")
    # The demo asks no clearance and proposes no interchange: one of each, written directly.
    part_request = PartRequest.objects.first()
    Clearance.objects.create(request=part_request, asked_by=admin_user)
    Interchange.objects.create(part=part_request.part, substitute=PartFactory(), note="Catálogo", created_by=admin_user)


def changelists(request_factory, admin_user, variant):
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        request = request_factory.get(url, variant)
        request.user = admin_user
        try:
            cl = model_admin.get_changelist_instance(request)
        except admin.options.IncorrectLookupParameters:
            continue
        cl.formset = None  # as changelist_view sets it for a list without editable columns
        yield model, cl


@pytest.mark.parametrize("variant", VARIANTS, ids=["plain", "sorted", "searched", "popup", "filtered"])
def test_every_changelist_draws_djangos_cells(every_list_has_rows, admin_user, variant):
    drawn = 0
    for model, cl in changelists(RequestFactory(), admin_user, variant):
        ours = [list(row) for row in changelist_rows(cl)]
        djangos = [list(row) for row in admin_list.results(cl)]
        assert ours == djangos, model._meta.label
        drawn += bool(ours)
    assert drawn


def test_every_list_of_the_demo_has_rows_to_compare(every_list_has_rows, admin_user):
    empty = [model._meta.label for model, cl in changelists(RequestFactory(), admin_user, {}) if not cl.result_list]
    assert not empty


def test_the_changelist_page_draws_its_rows_with_changelist_rows(every_list_has_rows, admin_client, monkeypatch):
    drawn = []
    monkeypatch.setattr(tag_module, "changelist_rows", lambda cl: drawn.append(cl) or changelist_rows(cl))

    page = admin_client.get(reverse("admin:exchange_match_changelist"))

    assert page.status_code == 200 and len(drawn) == 1
    assert all(f'value="{match.pk}"' in page.content.decode() for match in drawn[0].result_list)
