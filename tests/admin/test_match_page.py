"""A match's own page in the admin: the review's buttons, the request's photos, the explanation in words."""

import re

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.auth.models import Permission
from django.urls import reverse

from exchange import services
from exchange.models import Match, MatchStatusChange
from tests.factories import MatchFactory, MembershipFactory, UserFactory, image_upload


def page_of(match):
    return reverse("admin:exchange_match_change", args=[match.pk])


def approve(client, match, **headers):
    return client.post(reverse("admin:exchange_match_approve", args=[match.pk]), follow=True, headers=headers)


def reject(client, match, reason, **headers):
    return client.post(
        reverse("admin:exchange_match_reject", args=[match.pk]), {"reason": reason}, follow=True, headers=headers
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_approve_button_approves_through_the_service_and_returns_to_the_page(admin_client, admin_user):
    match = MatchFactory()
    assert b'action="%s"' % reverse("admin:exchange_match_approve", args=[match.pk]).encode() in (
        admin_client.get(page_of(match)).content
    )

    response = approve(admin_client, match)

    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED
    assert MatchStatusChange.objects.filter(match=match, to_status=Match.Status.APPROVED, user=admin_user).exists()
    assert response.redirect_chain[-1][0] == page_of(match)
    assert messages_of(response) == [f"Match #{match.pk} approved."]


def test_the_reject_button_rejects_with_the_reason_given(admin_client):
    match = MatchFactory()

    response = reject(admin_client, match, "  The shop in Carabobo is closer.  ")

    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED
    assert match.reject_reason == "The shop in Carabobo is closer."
    assert match.history.last().note == "The shop in Carabobo is closer."
    assert messages_of(response) == [f"Match #{match.pk} rejected."]
    assert "The shop in Carabobo is closer." in response.content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_reject_button_without_a_reason_rejects_nothing_and_names_the_field(admin_client, reason):
    match = MatchFactory()

    response = reject(admin_client, match, reason)

    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    assert not match.history.filter(to_status=Match.Status.REJECTED).exists()
    assert messages_of(response) == ["Not rejected: reason: This field is required."]


def test_a_refused_approval_is_told_on_the_page(admin_client, admin_user):
    match = MatchFactory()
    services.match_approve(match=match, user=admin_user)

    response = approve(admin_client, match)

    assert messages_of(response) == [f"Match #{match.pk}: Cannot approve a match that is Approved."]


def test_the_page_offers_only_the_moves_the_status_allows(admin_client, admin_user):
    match = MatchFactory()
    approve_url = reverse("admin:exchange_match_approve", args=[match.pk])
    reject_url = reverse("admin:exchange_match_reject", args=[match.pk])

    proposed_page = admin_client.get(page_of(match)).content.decode()
    services.match_approve(match=match, user=admin_user)
    approved_page = admin_client.get(page_of(match)).content.decode()
    services.match_reject(match=match, user=admin_user, reason="Too far.")
    rejected_page = admin_client.get(page_of(match)).content.decode()

    assert approve_url in proposed_page and reject_url in proposed_page
    assert approve_url not in approved_page and reject_url in approved_page
    assert approve_url not in rejected_page and reject_url not in rejected_page


def test_a_plant_member_signed_in_cannot_approve_or_reject(client, db):
    match = MatchFactory()
    member = match.request.plant.memberships.first().user
    client.force_login(member)

    approve(client, match)
    reject(client, match, "Mine is better.")

    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    assert client.get(page_of(match)).status_code == 302


def test_staff_without_the_right_to_review_can_read_the_page_but_not_approve(client, db):
    match = MatchFactory()
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_match"))
    client.force_login(reader)

    page = client.get(page_of(match))
    response = client.post(reverse("admin:exchange_match_approve", args=[match.pk]))

    assert page.status_code == 200
    assert reverse("admin:exchange_match_approve", args=[match.pk]) not in page.content.decode()
    assert response.status_code == 403
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED


def test_approving_by_get_is_refused(admin_client):
    match = MatchFactory()

    response = admin_client.get(reverse("admin:exchange_match_approve", args=[match.pk]))

    assert response.status_code == 405
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED


def test_the_page_shows_the_requests_photos(admin_client, media_root):
    match = MatchFactory()
    member = match.request.plant.memberships.first().user
    [photo] = services.part_request_photos_add(part_request=match.request, user=member, image_files=[image_upload()])

    page = admin_client.get(page_of(match)).content.decode()

    assert f'src="{photo.thumbnail.url}"' in page
    assert f'href="{photo.image.url}"' in page


def test_the_page_says_so_when_the_request_has_no_photos(admin_client):
    match = MatchFactory()

    page = admin_client.get(page_of(match)).content.decode()

    assert "The request has no photos." in page


def test_the_page_in_spanish_names_the_buttons_the_score_and_the_history(admin_client):
    match = MatchFactory()
    MembershipFactory(plant=match.source_plant)

    page = admin_client.get(page_of(match), headers={"accept-language": "es"}).content.decode()

    assert "Intercambio de repuestos — administración" in page
    assert "Aprobar esta propuesta" in page and "Rechazar esta propuesta" in page
    assert "Motivo del rechazo" in page
    for label in ["ajuste a la pieza", "distancia", "plazo", "historial de la fuente", "unidades cubiertas"]:
        assert f"<td>{label}</td>" in page
    # The history row of the proposal, with its status as a word, not its code
    assert re.search(r'<td class="field-to_status">\s*<p>Propuesta</p>', page)
    assert ">proposed<" not in page


def test_the_queue_in_spanish_has_short_headers_and_the_reviewers_messages(admin_client):
    first, second = MatchFactory(), MatchFactory()
    admin_client.post(reverse("admin:exchange_match_approve", args=[first.pk]))

    queue = admin_client.get(reverse("admin:exchange_match_changelist"), headers={"accept-language": "es"})
    response = admin_client.post(
        reverse("admin:exchange_match_changelist") + "?status=all",
        {"action": "approve_selected", "_selected_action": [first.pk, second.pk]},
        follow=True,
        headers={"accept-language": "es"},
    )

    headers = [str(header["text"]) for header in result_headers(queue.context["cl"])]
    assert headers[1:] == ["#", "Pieza", "Plantas", "Fuente", "Punt.", "Cotización", "Espera"]
    assert messages_of(response) == [
        f"#{first.pk} no se pudieron aprobar: No se puede aprobar una propuesta en estatus «Aprobada».",
        "1 propuesta aprobada.",
    ]
