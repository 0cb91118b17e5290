import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_and_change_form_renders_for_a_superuser(admin_client, one_of_everything, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    if admin.site._registry[model].has_add_permission(admin_client.get("/admin/").wsgi_request):
        assert admin_client.get(admin_url(model, "add")).status_code == 200


def test_admin_index_links_the_dashboard(admin_client, db):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:exchange_dashboard") in page


@pytest.mark.parametrize("path", ["admin:index", "admin:exchange_match_changelist", "admin:exchange_dashboard"])
def test_a_user_who_is_not_staff_cannot_reach_the_admin(client, db, path):
    client.force_login(UserFactory(is_staff=False))

    response = client.get(reverse(path))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
