from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exchange import services
from exchange.admin import MatchAdmin, ReviewQueuePaginator
from exchange.models import Criticality, Match, MatchStatusChange
from tests.factories import MatchFactory, PartFactory, PlantFactory, ShopFactory, every_urgency

CHANGELIST = reverse("admin:exchange_match_changelist")


def run_action(client, action, matches, listing="", **extra):
    return client.post(
        CHANGELIST + listing,
        {"action": action, ACTION_CHECKBOX_NAME: [match.pk for match in matches], **extra},
        follow=True,
    )


def listed_ids(response):
    return [match.pk for match in response.context["cl"].result_list]


def test_queue_is_ordered_by_urgency_then_age_then_score(admin_client, admin_user):
    # given: proposals of every criticality, two of them degraded and of different ages
    preventive = MatchFactory(request__criticality=Criticality.PREVENTIVE)
    old_degraded = MatchFactory(request__criticality=Criticality.DEGRADED)
    new_degraded = MatchFactory(request__criticality=Criticality.DEGRADED)
    stopped = MatchFactory(request__criticality=Criticality.PRODUCTION_STOPPED)
    approved = MatchFactory(request__criticality=Criticality.PRODUCTION_STOPPED)
    Match.objects.filter(pk__in=[preventive.pk, old_degraded.pk]).update(created_at=timezone.now() - timedelta(days=5))
    admin_client.post(CHANGELIST, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [approved.pk]})

    # when
    response = admin_client.get(CHANGELIST)

    # then: production stopped first, then degraded (the oldest first), then preventive, however old
    assert listed_ids(response) == [stopped.pk, old_degraded.pk, new_degraded.pk, preventive.pk]
    assert approved.pk in listed_ids(admin_client.get(CHANGELIST, {"status": "all"}))


def test_queue_puts_the_better_score_first_among_proposals_of_the_same_age(admin_client):
    weaker, stronger = MatchFactory(), MatchFactory()
    same_time = timezone.now() - timedelta(hours=3)
    Match.objects.filter(pk=weaker.pk).update(created_at=same_time, score=0.41)
    Match.objects.filter(pk=stronger.pk).update(created_at=same_time, score=0.87)

    assert listed_ids(admin_client.get(CHANGELIST)) == [stronger.pk, weaker.pk]


def test_queue_row_shows_part_plants_distance_score_quote_and_age(admin_client):
    match = MatchFactory(
        request__part=PartFactory(name="Rodamiento 6205"),
        request__plant=PlantFactory(name="Sidor", state="Bolívar"),
        source_plant=ShopFactory(name="Tornería Lara", state="Lara", latitude=10.07, longitude=-69.32),
        request__criticality=Criticality.PRODUCTION_STOPPED,
        request__quantity=2,
    )
    source_member = match.source_plant.memberships.first().user
    services.match_quote(match=match, user=source_member, price="120", currency="USD", lead_time_days=5)
    Match.objects.filter(pk=match.pk).update(created_at=timezone.now() - timedelta(days=2), score=0.734)

    # Whitespace, the non-breaking space of "2 days" too, as one space
    row = " ".join(admin_client.get(CHANGELIST).content.decode().split("result_list", 1)[1].split())

    for text in [
        "Rodamiento 6205 × 2",
        "Production stopped · #",
        "Sidor (Bolívar)",
        "← Tornería Lara (Lara)",
        "Stock",
        f"{match.distance_km:,.0f} km",
        "0.73",
        "120.00 USD · 5 d",
        "2 days",
        "Proposed",
    ]:
        assert text in row


def test_admin_index_names_the_exchange_and_links_the_dashboard_and_the_queue(admin_client):
    page = admin_client.get(reverse("admin:index"), headers={"accept-language": "es"}).content.decode()

    assert "<title>Administración | Intercambio de repuestos</title>" in page
    assert "Intercambio de repuestos — administración" in page
    assert "Administración de Django" not in page and "Django administration" not in page
    assert f'href="{reverse("admin:exchange_dashboard")}"' in page
    assert f'href="{CHANGELIST}"' in page


def test_approve_action_approves_through_the_service_and_notifies(admin_client, django_capture_on_commit_callbacks):
    match = MatchFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "approve_selected", [match])

    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED
    assert MatchStatusChange.objects.filter(
        match=match, to_status=Match.Status.APPROVED, user__username="admin"
    ).exists()
    assert [str(message) for message in response.context["messages"]] == ["1 match approved."]
    assert any(f"#{match.pk}" in message.subject for message in mail.outbox)


def test_approve_action_names_the_rows_it_could_not_move_and_approves_the_rest(admin_client):
    # given: two matches already approved, one waiting
    first, second, waiting = MatchFactory(), MatchFactory(), MatchFactory()
    run_action(admin_client, "approve_selected", [first, second])

    # when: all three are approved again
    response = run_action(admin_client, "approve_selected", [first, second, waiting], listing="?status=all")

    # then: the waiting one is approved, and the two others are named in one message with the reason
    waiting.refresh_from_db()
    assert waiting.status == Match.Status.APPROVED
    texts = [str(message) for message in response.context["messages"]]
    assert texts == [
        f"#{first.pk}, #{second.pk} could not be approved: Cannot approve a match that is Approved.",
        "1 match approved.",
    ]


def test_reject_action_names_the_rows_it_could_not_move(admin_client, admin_user):
    rejected, waiting = MatchFactory(), MatchFactory()
    run_action(admin_client, "reject_selected", [rejected], reason="Too far.")

    response = run_action(admin_client, "reject_selected", [rejected, waiting], listing="?status=all", reason="Dup.")

    texts = [str(message) for message in response.context["messages"]]
    assert texts == [
        f"#{rejected.pk} could not be rejected: Cannot reject a match that is Rejected.",
        "1 match rejected.",
    ]


def test_reject_action_asks_for_a_reason_before_rejecting(admin_client):
    match = MatchFactory()

    page = run_action(admin_client, "reject_selected", [match])
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    assert b'name="reason"' in page.content

    run_action(admin_client, "reject_selected", [match], reason="Too far; the shop in Carabobo is better.")
    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED
    assert match.reject_reason == "Too far; the shop in Carabobo is better."
    assert match.history.last().note == "Too far; the shop in Carabobo is better."


def test_reject_with_a_blank_reason_rejects_nothing(admin_client):
    match = MatchFactory()

    response = run_action(admin_client, "reject_selected", [match], reason="   ")

    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    assert response.context["form"].errors


def test_change_page_is_a_read_only_record_with_explanation_links_and_history(admin_client):
    match = MatchFactory()

    page = admin_client.get(reverse("admin:exchange_match_change", args=[match.pk])).content.decode()

    assert match.summary in page
    assert reverse("admin:exchange_partrequest_change", args=[match.request_id]) in page
    assert reverse("admin:inventory_stockitem_change", args=[match.stock_item_id]) in page
    assert "Match status changes" in page or "match status changes" in page.lower()
    assert 'name="status"' not in page and 'name="quantity"' not in page
    assert admin_client.get(reverse("admin:exchange_match_add")).status_code == 403


@pytest.mark.parametrize("search", ["6205-2RS", "6205 2rs", "skf 62052rs", "6205"])
def test_queue_is_searchable_by_any_brand_of_number_and_by_plant(admin_client, search):
    bearing = PartFactory(numbers=[("FAG", "6205-2RSR"), ("SKF", "6205-2RS")])
    wanted = MatchFactory(request__part=bearing, request__plant=PlantFactory(name="Sidor"))
    other = MatchFactory()

    by_number = listed_ids(admin_client.get(CHANGELIST, {"q": search}))
    by_plant = listed_ids(admin_client.get(CHANGELIST, {"q": "sidor"}))

    assert by_number == [wanted.pk] and other.pk not in by_number
    assert by_plant == [wanted.pk]


def test_filters_by_source_state(admin_client):
    in_zulia = MatchFactory(source_plant=ShopFactory(state="Zulia"))
    MatchFactory(source_plant=ShopFactory(state="Lara"))

    response = admin_client.get(CHANGELIST, {"source_plant__state": "Zulia"})

    assert listed_ids(response) == [in_zulia.pk]


def test_queue_pages_follow_urgency_then_cost_so_far_then_age_then_score_across_every_group(admin_client, monkeypatch):
    # given: proposals of every criticality, with and without a stop date and a day's cost, of different
    # ages and scores, more than one page of three (each page is read one urgency group at a time)
    monkeypatch.setattr(MatchAdmin, "list_per_page", 3)
    now = timezone.now()
    rows = []
    for urgency in every_urgency(timezone.localdate()):
        for hours_old, score in ((1, 0.5), (30, 0.2), (30, 0.9)):
            match = MatchFactory(
                request__criticality=urgency.criticality,
                request__stopped_since=urgency.stopped_since,
                request__downtime_usd_per_day=urgency.downtime_usd_per_day,
            )
            Match.objects.filter(pk=match.pk).update(created_at=now - timedelta(hours=hours_old), score=score)
            rows.append((urgency.rank, urgency.weight, hours_old, score, match.pk))
    expected = [pk for *_, pk in sorted(rows, key=lambda row: (row[0], -row[1], -row[2], -row[3], -row[4]))]

    # when: the reviewer walks every page
    listed = []
    for page in range(1, len(rows) // 3 + 1):
        listed += listed_ids(admin_client.get(CHANGELIST, {"p": page}))

    # then: the pages together are the queue in its order, each proposal once
    assert listed == expected


def test_queue_counts_up_to_its_limit_and_says_there_are_more(admin_client, monkeypatch):
    monkeypatch.setattr(ReviewQueuePaginator, "COUNT_LIMIT", 3)
    monkeypatch.setattr(MatchAdmin, "list_per_page", 2)
    for _ in range(4):
        MatchFactory()

    page = admin_client.get(CHANGELIST, headers={"accept-language": "es"}).content.decode()

    assert "Más de 3 propuestas: acótelas con los filtros" in page
    assert "4 propuestas" not in page


def test_queue_within_its_limit_says_how_many_it_holds(admin_client, monkeypatch):
    monkeypatch.setattr(ReviewQueuePaginator, "COUNT_LIMIT", 3)
    monkeypatch.setattr(MatchAdmin, "list_per_page", 2)
    for _ in range(3):
        MatchFactory()

    page = admin_client.get(CHANGELIST).content.decode()

    assert "3 matches" in page
    assert "More than" not in page
