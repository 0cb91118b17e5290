from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from exchange.models import Match
from tests.factories import MatchFactory, ShopFactory, stock_item


def test_rematch_action_finds_new_stock_for_the_request(admin_client):
    match = MatchFactory()
    newcomer = ShopFactory(name="Taller Nuevo")
    stock_item(plant=newcomer, part=match.request.part, quantity=4)

    response = admin_client.post(
        reverse("admin:exchange_partrequest_changelist"),
        {"action": "rematch_selected", ACTION_CHECKBOX_NAME: [match.request_id]},
        follow=True,
    )

    assert Match.objects.filter(request=match.request, source_plant=newcomer).exists()
    assert "Matched 1 request" in [str(message) for message in response.context["messages"]][0]


def test_request_page_lists_its_matches_best_first_and_its_history(admin_client):
    match = MatchFactory()

    page = admin_client.get(reverse("admin:exchange_partrequest_change", args=[match.request_id])).content.decode()

    assert match.summary in page
    assert "Request status changes" in page or "request status changes" in page.lower()
    assert 'name="status"' not in page


def test_editing_a_request_goes_through_the_service(admin_client):
    part_request = MatchFactory(request__quantity=2).request
    url = reverse("admin:exchange_partrequest_change", args=[part_request.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(
        {
            "quantity": 6,
            "part": part_request.part_id,
            "criticality": "production_stopped",
            "processes": [],
            "description": "",
        }
    )
    for prefix in ("photos", "matches", "history"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    part_request.refresh_from_db()
    assert part_request.quantity == 6 and part_request.criticality == "production_stopped"
