"""A match's page (/matches/<id>/) and its actions: the requester's (accept, decline, cancel, fulfil) and the
source's (quote: `price`, `currency`, `lead_time_days`, `quantity`; ship with a note)."""

from datetime import date
from decimal import Decimal

import pytest

from exchange import engine, rates, services
from exchange.models import ExchangeRate, Match, PartRequest
from inventory.access import SYSTEM
from inventory.models import StockItem
from tests.factories import MembershipFactory, PartFactory, PlantFactory, stock_item

from .conftest import signed_in


@pytest.fixture
def shortage(plant, member):
    part = PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS")], import_price_usd="40.00")
    return services.part_request_create(plant=plant, user=member, part=part, quantity=3)


@pytest.fixture
def match(shortage, other_plant):
    stock_item(plant=other_plant, part=shortage.part, quantity=5)
    engine.part_request_match(part_request_id=shortage.pk)
    return Match.objects.get(request=shortage)


@pytest.fixture
def quoted(match, admin_user, other_member):
    """Approved by an administrator and quoted by the source plant, as the requester finds it."""
    services.match_approve(match=match, user=admin_user)
    return services.match_quote(match=match, user=other_member, price="95.50", currency="USD", lead_time_days=2)


@pytest.fixture
def bcv_rate(db):
    return rates.exchange_rate_save(
        exchange_rate=ExchangeRate(date=date(2026, 11, 27), rate=Decimal("245.5")), user=SYSTEM
    )


@pytest.fixture
def accepted(quoted, member):
    return services.match_accept(match=quoted, user=member)


@pytest.fixture
def third_client(db):
    return signed_in(MembershipFactory(plant=PlantFactory(name="Planta Tercera")).user)


def status(match):
    match.refresh_from_db()
    return match.status


def test_the_page_shows_the_source_quantity_quote_explanation_and_history(member_client, quoted, other_plant):
    page = member_client.get(f"/matches/{quoted.pk}/").content.decode()

    assert f"Fuente: {other_plant.name}" in page
    assert "<dt>Cotización</dt>" in page and "95,50 USD" in page and "2 días" in page
    assert "Cotizado: 95,50 USD, 2 días" in page  # the quote's line in the history, in Venezuelan numbers
    assert quoted.summary in page
    assert "Historial" in page and "admin" in page  # who approved
    assert f'href="/requests/{quoted.request_id}/"' in page
    assert f'action="/matches/{quoted.pk}/accept/"' in page
    assert 'id="decline"' in page and f'action="/matches/{quoted.pk}/decline/"' in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [("member", 200), ("several", 200), ("source", 200), ("third", 404), ("staff", 200), ("visitor", 302)],
)
def test_who_sees_a_match_page(who, expected, match, member, several_member, other_member, admin_user, third_client):
    from django.test import Client

    clients = {
        "member": signed_in(member),
        "several": signed_in(several_member),
        "source": signed_in(other_member),
        "third": third_client,
        "staff": signed_in(admin_user),
        "visitor": Client(),
    }

    response = clients[who].get(f"/matches/{match.pk}/")

    if who == "several":
        assert response["Location"].startswith("/plant/")  # chooses a plant first, then sees it
        clients[who].post("/plant/", {"plant": match.source_plant_id})
        response = clients[who].get(f"/matches/{match.pk}/")
    assert response.status_code == expected
    if who == "visitor":
        assert response["Location"] == f"/login/?next=/matches/{match.pk}/"


def test_the_source_plant_sees_no_requester_buttons_but_may_decline(other_client, quoted):
    page = other_client.get(f"/matches/{quoted.pk}/").content.decode()

    assert "/accept/" not in page and "/fulfil/" not in page
    # SPEC: either side declines
    assert f'action="/matches/{quoted.pk}/decline/"' in page


def test_the_requester_accepts_an_approved_quoted_source(member_client, quoted):
    response = member_client.post(f"/matches/{quoted.pk}/accept/")

    assert response.status_code == 302 and response["Location"] == f"/matches/{quoted.pk}/"
    assert status(quoted) == Match.Status.ACCEPTED
    assert StockItem.objects.get(pk=quoted.stock_item_id).reserved == quoted.quantity
    assert "Aceptó esta fuente" in member_client.get(response["Location"]).content.decode()


def test_a_double_tapped_accept_reserves_once_and_says_why_the_second_did_nothing(member_client, quoted):
    member_client.post(f"/matches/{quoted.pk}/accept/")

    second = member_client.post(f"/matches/{quoted.pk}/accept/")

    assert second.status_code == 409
    assert "No se puede aceptar" in second.content.decode()
    assert StockItem.objects.get(pk=quoted.stock_item_id).reserved == quoted.quantity


def test_accepting_before_the_source_quotes_is_a_409_with_the_message(member_client, match, admin_user):
    services.match_approve(match=match, user=admin_user)

    response = member_client.post(f"/matches/{match.pk}/accept/")

    assert response.status_code == 409
    assert "La fuente aún no ha cotizado" in response.content.decode()
    assert status(match) == Match.Status.APPROVED


def test_accepting_when_the_units_are_gone_is_a_409_and_changes_nothing(member_client, quoted):
    # given: another plant took the units meanwhile
    StockItem.objects.filter(pk=quoted.stock_item_id).update(reserved=5)

    response = member_client.post(f"/matches/{quoted.pk}/accept/")

    assert response.status_code == 409
    assert status(quoted) == Match.Status.APPROVED


def test_the_source_plant_may_not_accept_for_the_requester(other_client, quoted):
    response = other_client.post(f"/matches/{quoted.pk}/accept/")

    assert response.status_code == 403 and "No puede hacer esto" in response.content.decode()
    assert status(quoted) == Match.Status.APPROVED


def test_a_third_plant_gets_404_on_every_action(third_client, quoted):
    for action in ("accept", "decline", "cancel", "fulfil"):
        assert third_client.post(f"/matches/{quoted.pk}/{action}/", {"reason": "price"}).status_code == 404
    assert status(quoted) == Match.Status.APPROVED


def test_visitors_are_sent_to_sign_in_by_every_action(client, quoted):
    for action in ("accept", "decline", "cancel", "fulfil"):
        assert client.post(f"/matches/{quoted.pk}/{action}/")["Location"].startswith("/login/")


def test_a_get_on_an_action_goes_to_the_match_page(member_client, quoted):
    assert member_client.get(f"/matches/{quoted.pk}/accept/")["Location"] == f"/matches/{quoted.pk}/"
    assert status(quoted) == Match.Status.APPROVED


def test_declining_needs_a_reason_and_records_it_with_the_note(member_client, quoted):
    refused = member_client.post(f"/matches/{quoted.pk}/decline/", {"note": "caro"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Diga por qué rechaza esta fuente." in page and f'href="#match{quoted.pk}_reason_0"' in page
    assert status(quoted) == Match.Status.APPROVED

    response = member_client.post(
        f"/matches/{quoted.pk}/decline/", {"reason": "price", "note": "El doble del importado"}
    )

    assert response["Location"] == f"/matches/{quoted.pk}/"
    assert status(quoted) == Match.Status.DECLINED
    assert (quoted.decline_reason, quoted.decline_note) == ("price", "El doble del importado")


def test_the_source_reads_why_it_was_declined_on_the_match_page(member_client, other_client, quoted):
    member_client.post(f"/matches/{quoted.pk}/decline/", {"reason": "lead_time", "note": "Lo necesitamos ya"})

    page = " ".join(other_client.get(f"/matches/{quoted.pk}/").content.decode().split())

    assert "<dt>Por qué se rechazó</dt><dd>Plazo de entrega: Lo necesitamos ya</dd>" in page


def test_a_quote_in_bolivares_shows_its_dollars_and_the_rate_it_was_converted_at(
    match, other_client, other_member, admin_user
):
    rates.exchange_rate_save(
        exchange_rate=ExchangeRate(date=date(2026, 11, 27), rate=Decimal("245.5")), user=admin_user
    )
    services.match_quote(match=match, user=other_member, price="491", currency="VES", lead_time_days=2)

    page = " ".join(other_client.get(f"/matches/{match.pk}/").content.decode().split())

    assert "<dt>En dólares</dt><dd>2,00 USD a 245,5000 Bs por dólar, la tasa del día de la cotización</dd>" in page


def test_actions_sent_from_the_shortage_page_return_to_it_but_never_to_another_site(member_client, quoted):
    back = member_client.post(f"/matches/{quoted.pk}/accept/", {"next": f"/requests/{quoted.request_id}/"})
    assert back["Location"] == f"/requests/{quoted.request_id}/"

    away = member_client.post(f"/matches/{quoted.pk}/cancel/", {"next": "https://evil.example/"})
    assert away["Location"] == f"/matches/{quoted.pk}/"


def test_the_requester_cancels_an_accepted_match_and_the_units_are_released(member_client, accepted):
    response = member_client.post(f"/matches/{accepted.pk}/cancel/", {"note": "Ya no hace falta"})

    assert response.status_code == 302
    assert status(accepted) == Match.Status.CANCELLED
    assert StockItem.objects.get(pk=accepted.stock_item_id).reserved == 0


def test_the_requester_receives_the_units_and_the_request_closes(member_client, accepted):
    response = member_client.post(f"/matches/{accepted.pk}/fulfil/", {"quantity": str(accepted.quantity)})

    assert response.status_code == 302
    assert status(accepted) == Match.Status.FULFILLED
    part_request = PartRequest.objects.get(pk=accepted.request_id)
    assert part_request.quantity_fulfilled == accepted.quantity
    assert "Recepción confirmada" in member_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("quantity", "message"), [("0", "mayor o igual a 1"), ("x", "número entero"), ("99", "unidades enviadas")]
)
def test_a_receipt_of_a_wrong_quantity_is_a_form_error(member_client, accepted, quantity, message):
    response = member_client.post(f"/matches/{accepted.pk}/fulfil/", {"quantity": quantity})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page and message in page
    assert f'href="#match{accepted.pk}_quantity"' in page
    assert status(accepted) == Match.Status.ACCEPTED


def test_the_requester_receives_fewer_units_than_shipped_into_its_store(member_client, accepted, other_member, plant):
    services.match_ship(match=accepted, user=other_member, note="Zoom 77")
    page = member_client.get(f"/matches/{accepted.pk}/").content.decode()
    assert 'name="into_stock"' in page and "Guardarlas en nuestro almacén como repuestos" in page
    # the box's hint reads after its label, not before the box
    assert page.index("Guardarlas en nuestro almacén") < page.index("Entran en la existencia de su planta")

    response = member_client.post(f"/matches/{accepted.pk}/fulfil/", {"quantity": "2", "into_stock": "on"})

    assert response.status_code == 302
    accepted.refresh_from_db()
    assert (accepted.status, accepted.quantity_received, accepted.quantity_in_transit) == (
        Match.Status.FULFILLED,
        2,
        1,
    )
    spares = StockItem.objects.get(plant=plant, part=accepted.request.part)
    assert (spares.quantity, spares.exchangeable) == (2, False)
    page = member_client.get(response["Location"]).content.decode()
    assert "No recibidas" in page and "1 unidad: el administrador del intercambio le da seguimiento" in page
    assert "2 recibidas (a la existencia)" in page


def test_the_source_plant_may_not_confirm_receipt(other_client, accepted):
    assert other_client.post(f"/matches/{accepted.pk}/fulfil/", {"quantity": "3"}).status_code == 403
    assert status(accepted) == Match.Status.ACCEPTED


def test_an_administrator_without_a_plant_may_decline_but_not_accept(staff_client, quoted):
    assert staff_client.post(f"/matches/{quoted.pk}/accept/").status_code == 403

    response = staff_client.post(f"/matches/{quoted.pk}/decline/", {"reason": "other", "note": "Duplicada"})

    assert response.status_code == 302 and status(quoted) == Match.Status.DECLINED


def test_the_match_page_costs_a_fixed_number_of_queries(member_client, accepted, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert member_client.get(f"/matches/{accepted.pk}/").status_code == 200


def test_the_homes_links_to_matches_open_for_both_plants(member_client, other_client, quoted):
    # given: the requester is to accept the quoted source; the source is then to ship it
    assert f'href="/matches/{quoted.pk}/"' in member_client.get("/").content.decode()
    member_client.post(f"/matches/{quoted.pk}/accept/")

    assert f'href="/matches/{quoted.pk}/"' in other_client.get("/").content.decode()
    for client in (member_client, other_client):
        assert client.get(f"/matches/{quoted.pk}/").status_code == 200


def test_no_template_comment_leaks_into_a_page(member_client, accepted):
    for address in (f"/matches/{accepted.pk}/", f"/requests/{accepted.request_id}/", "/requests/", "/requests/new/"):
        assert "{#" not in member_client.get(address).content.decode(), address


# The source plant's side


def test_the_source_sees_the_quote_form_and_the_requester_does_not(match, other_client, member_client):
    source_page = other_client.get(f"/matches/{match.pk}/").content.decode()
    requester_page = member_client.get(f"/matches/{match.pk}/").content.decode()

    assert f'action="/matches/{match.pk}/quote/"' in source_page
    for name in ("price", "currency", "lead_time_days", "quantity"):
        assert f'name="{name}"' in source_page
    assert f'action="/matches/{match.pk}/quote/"' not in requester_page


def test_the_source_quotes_in_venezuelan_numbers(match, other_client, bcv_rate):
    response = other_client.post(
        f"/matches/{match.pk}/quote/",
        {"price": "1.250,50", "currency": "VES", "lead_time_days": "4", "quantity": str(match.quantity)},
    )

    assert response.status_code == 302 and response["Location"] == f"/matches/{match.pk}/"
    match.refresh_from_db()
    assert (match.quote_price, match.quote_currency, match.quote_lead_time_days) == (Decimal("1250.50"), "VES", 4)
    assert match.quote_price_usd == Decimal("5.09")
    assert "Su cotización quedó guardada" in other_client.get(response["Location"]).content.decode()


def test_a_quote_in_bolivares_before_any_rate_is_a_form_error_at_the_currency(match, other_client):
    response = other_client.post(
        f"/matches/{match.pk}/quote/",
        {"price": "1250", "currency": "VES", "lead_time_days": "4", "quantity": str(match.quantity)},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="#match{match.pk}_currency_0"' in page
    match.refresh_from_db()
    assert not match.is_quoted


def test_a_bad_quote_shows_the_form_again_with_spanish_errors(match, other_client):
    response = other_client.post(f"/matches/{match.pk}/quote/", {"price": "mucho", "currency": "EUR"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert f'href="#match{match.pk}_price"' in page
    assert "Escoja una opción válida" in page  # currency
    match.refresh_from_db()
    assert match.quote_price is None


def test_the_requester_cannot_quote_for_the_source(match, member_client):
    response = member_client.post(
        f"/matches/{match.pk}/quote/", {"price": "10", "currency": "USD", "lead_time_days": "1"}
    )

    assert response.status_code == 403
    assert "planta" in response.content.decode().lower()
    match.refresh_from_db()
    assert match.quote_price is None


def test_quoting_an_accepted_match_answers_409_with_the_reason(accepted, other_client):
    response = other_client.post(
        f"/matches/{accepted.pk}/quote/", {"price": "10", "currency": "USD", "lead_time_days": "1"}
    )

    assert response.status_code == 409
    assert "cotizar" in response.content.decode().lower()


def test_the_source_ships_an_accepted_match_with_its_tracking_note(accepted, other_client, member_client):
    page = other_client.get(f"/matches/{accepted.pk}/").content.decode()
    assert f'action="/matches/{accepted.pk}/ship/"' in page
    assert (
        f'action="/matches/{accepted.pk}/ship/"' not in member_client.get(f"/matches/{accepted.pk}/").content.decode()
    )

    response = other_client.post(f"/matches/{accepted.pk}/ship/", {"note": "MRW, guía 123456"})

    assert response.status_code == 302
    accepted.refresh_from_db()
    assert (accepted.status, accepted.ship_note) == (Match.Status.SHIPPED, "MRW, guía 123456")
    assert "MRW, guía 123456" in member_client.get(f"/matches/{accepted.pk}/").content.decode()


def test_the_requester_cannot_ship(accepted, member_client):
    assert member_client.post(f"/matches/{accepted.pk}/ship/", {"note": "x"}).status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == Match.Status.ACCEPTED


@pytest.mark.parametrize("action", ["quote", "ship"])
def test_a_get_of_an_action_goes_back_to_the_match(action, match, other_client):
    response = other_client.get(f"/matches/{match.pk}/{action}/")

    assert response.status_code == 302 and response["Location"] == f"/matches/{match.pk}/"


def test_the_service_is_the_one_the_api_calls(match, other_client, monkeypatch):
    called = {}

    def quote(**arguments):
        called.update(arguments)
        return arguments["match"]

    monkeypatch.setattr(services, "match_quote", quote)
    other_client.post(
        f"/matches/{match.pk}/quote/", {"price": "10", "currency": "USD", "lead_time_days": "1", "quantity": "1"}
    )

    assert called["price"] == Decimal("10") and called["quantity"] == 1 and called["match"].pk == match.pk
