"""The acting plant's home: what waits for it, its open shortages with their best source, its figures."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange import services as exchange_services
from exchange.models import Criticality, Match
from tests.factories import MatchFactory, PartFactory

HOME_QUERIES = (
    10  # session, user, memberships, plant, new notices, waiting matches, shortages, their best sources,
    # the shortages' figures and the savings'
)


def home_of(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_side_sees_its_own_next_step_on_a_match(admin_user, plant, member, other_plant, other_member):
    from .conftest import signed_in

    match = MatchFactory(
        request__plant=plant, source_plant=other_plant, request__part=PartFactory(name="Rodamiento 6205")
    )
    requester, source = signed_in(member), signed_in(other_member)

    # a proposal: the source quotes
    assert f'href="/matches/{match.pk}/"> <strong>Cotizar:</strong>' in " ".join(home_of(source).split())
    assert f"/matches/{match.pk}/" not in home_of(requester)

    # approved and quoted: the requester accepts
    exchange_services.match_approve(match=match, user=admin_user)
    exchange_services.match_quote(match=match, user=other_member, price="100", currency="USD", lead_time_days=3)
    assert "Aceptar o rechazar:" in home_of(requester)
    assert f"/matches/{match.pk}/" not in home_of(source)

    # accepted: the source ships, the requester may confirm receipt
    exchange_services.match_accept(match=match, user=member)
    assert "Enviar:" in home_of(source)
    assert "Confirmar la recepción:" in home_of(requester)


def test_open_shortages_come_production_stopped_first_with_their_best_source(plant, member_client, other_plant):
    MatchFactory(request__plant=plant, source_plant=other_plant, request__criticality=Criticality.PREVENTIVE)
    MatchFactory(request__plant=plant, source_plant=other_plant, request__criticality=Criticality.PRODUCTION_STOPPED)

    page = home_of(member_client)

    assert page.index("Producción parada") < page.index("Mantenimiento preventivo")
    assert page.count(f"Mejor fuente: {other_plant.name}") == 2


def test_a_shortage_without_a_source_says_so(plant, member):
    from .conftest import signed_in

    exchange_services.part_request_create(plant=plant, user=member, description="Engranaje cónico", quantity=1)

    assert "Aún no hay una fuente nacional." in home_of(signed_in(member))


def test_the_home_shows_only_the_acting_plants_shortages(plant, other_plant, other_client):
    MatchFactory(request__plant=plant, source_plant=other_plant, request__part=PartFactory(name="Sello ajeno"))

    page = home_of(other_client)

    assert "Sello ajeno" in page  # as the source, to quote
    assert "Su planta no tiene solicitudes abiertas." in page


def test_the_home_costs_the_same_queries_whatever_its_rows(
    plant, member_client, other_plant, django_assert_max_num_queries
):
    MatchFactory(request__plant=plant, source_plant=other_plant)
    with CaptureQueriesContext(connection) as few:
        home_of(member_client)

    for _ in range(12):
        MatchFactory(request__plant=plant, source_plant=other_plant)
    with django_assert_max_num_queries(HOME_QUERIES):
        page = home_of(member_client)

    assert len(few.captured_queries) == HOME_QUERIES
    assert page.count("Mejor fuente:") == 13


def test_the_figures_count_the_dollars_saved_gross_and_net(plant, member_client, other_plant):
    # 3 bearings at 40 USD not imported; the source was paid 100 USD for them
    MatchFactory(
        request__plant=plant,
        request__quantity=3,
        request__import_lead_time_days=45,
        source_plant=other_plant,
        status=Match.Status.FULFILLED,
    )
    # another plant's saving is not this one's
    MatchFactory(source_plant=plant, status=Match.Status.FULFILLED)

    page = " ".join(home_of(member_client).split())

    assert "<strong>120,00</strong> USD que no se gastaron en importar" in page
    assert "<strong>100,00</strong> USD pagados a fuentes nacionales" in page
    assert "<strong>20,00</strong> USD ahorrados, netos" in page
    assert "<strong>42</strong> días ganados por fuente, en promedio" in page


def waiting_match_ids(page: str) -> list[int]:
    """The matches the home lists as waiting for the plant, in its order (no other line links a match)."""
    return [int(match_id) for match_id in re.findall(r'href="/matches/(\d+)/"', page)]


def test_the_home_lists_the_25_most_urgent_waiting_matches_of_either_side(plant, member, member_client, other_plant):
    # given 26 preventive proposals the plant is to quote, and one stopped line's units it is to receive
    to_quote = [MatchFactory(source_plant=plant, request__criticality=Criticality.PREVENTIVE).pk for _ in range(26)]
    to_receive = MatchFactory(
        request__plant=plant,
        source_plant=other_plant,
        request__criticality=Criticality.PRODUCTION_STOPPED,
        status=Match.Status.ACCEPTED,
    )
    # and a proposal it already quoted, which waits for the administrator and not for the plant
    quoted = MatchFactory(source_plant=plant, request__criticality=Criticality.PRODUCTION_STOPPED)
    exchange_services.match_quote(match=quoted, user=member, price="10", currency="USD", lead_time_days=3)

    # when
    page = home_of(member_client)

    # then the stopped line first, then the oldest 24 proposals, each with its step
    assert waiting_match_ids(page) == [to_receive.pk, *to_quote[:24]]
    assert page.count("Confirmar la recepción:") == 1
    assert page.count("Cotizar:") == 24
