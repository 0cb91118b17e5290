"""The machine shops' pages: the board, offers and the workshop, for every role."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import formats, timezone

from exchange import engine
from exchange import services as exchange_services
from exchange.models import Criticality, Match, PartRequest
from inventory.models import Capability, MaterialDesignation
from tests.factories import (
    MaterialFactory,
    MembershipFactory,
    PartFactory,
    ShopFactory,
    capability,
    every_urgency,
    stock_item,
)
from web import paging

from .conftest import signed_in


@pytest.fixture
def steel(db):
    material = MaterialFactory(name="Acero 1045")
    MaterialDesignation.objects.create(material=material, designation="AISI 1045")
    MaterialDesignation.objects.create(material=material, designation="C45")
    return material


@pytest.fixture
def workshop(db):
    return ShopFactory(name="Taller Guayana", state="Bolívar", latitude=8.3, longitude=-62.7)


@pytest.fixture
def foreman(workshop):
    return MembershipFactory(plant=workshop, user__username="capataz").user


@pytest.fixture
def foreman_client(foreman):
    return signed_in(foreman)


@pytest.fixture
def lathe(workshop, steel):
    return capability(plant=workshop, process="turning", materials=[steel], max_diameter_mm=300, best_it_grade=7)


def shortage(plant, user, **fields):
    fields = {"quantity": 2, "criticality": "degraded", **fields}
    return exchange_services.part_request_create(plant=plant, user=user, **fields)


@pytest.fixture
def shaft_request(plant, member, steel):
    return shortage(
        plant,
        member,
        description="Eje de bomba",
        material=steel,
        processes=["turning"],
        diameter_mm=Decimal(80),
        it_grade=8,
        criticality="production_stopped",
    )


def offer_data(**fields):
    return {
        "form_key": "6f1c1d5e-8f6a-4d0c-9a43-1f0e8f6f2a11",
        "quantity": "2",
        "price": "1.250,50",
        "currency": "USD",
        "lead_time_days": "10",
        "note": "Con material propio",
        **fields,
    }


# The board


def test_the_board_lists_open_shortages_most_urgent_first(member_client, plant, member, shaft_request):
    preventive = shortage(plant, member, description="Filtro", criticality="preventive")
    degraded = shortage(plant, member, description="Correa")

    page = member_client.get("/board/").content.decode()

    assert page.index("Eje de bomba") < page.index("Correa") < page.index("Filtro")
    assert "Producción parada" in page
    assert preventive.pk and degraded.pk


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/board/", "/capabilities/", "/capabilities/new/", "/requests/1/offer/", "/capabilities/1/"):
        assert client.get(path)["Location"].startswith("/login/?next=")


def test_the_board_filters_by_number_in_any_brand_and_by_words(member_client, plant, member):
    bearing = PartFactory(name="Rodamiento rígido", numbers=[("SKF", "6205-2RS"), ("FAG", "6205.2RSR")])
    shortage(plant, member, part=bearing)
    shortage(plant, member, description="Bomba centrífuga")

    by_number = member_client.get("/board/", {"q": "fag 6205-2RSR"}).content.decode()
    by_words = member_client.get("/board/", {"q": "bomba"}).content.decode()

    assert "Rodamiento rígido" in by_number and "Bomba centrífuga" not in by_number
    assert "Bomba centrífuga" in by_words and "Rodamiento rígido" not in by_words


def test_the_board_filters_by_process_state_and_criticality(member_client, plant, member, shaft_request, other_plant):
    shortage(plant, member, description="Bobinado", processes=["motor_rewinding"])

    turning = member_client.get("/board/", {"process": "turning"}).content.decode()
    elsewhere = member_client.get("/board/", {"state": other_plant.state}).content.decode()
    stopped = member_client.get("/board/", {"criticality": "production_stopped"}).content.decode()

    assert "Eje de bomba" in turning and "Bobinado" not in turning
    assert "Eje de bomba" in stopped and "Bobinado" not in stopped
    assert "Ninguna solicitud abierta coincide" in elsewhere and "Eje de bomba" not in elsewhere


def test_a_bad_filter_is_a_spanish_field_error_not_a_500(member_client):
    response = member_client.get("/board/", {"process": "alchemy", "page": "-3"})

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert "Escoja una opción válida" in response.content.decode()


def test_the_board_shows_25_a_page_with_a_next_link(member_client, plant, member, django_assert_max_num_queries):
    for number in range(30):
        shortage(plant, member, description=f"Pieza {number}")

    with django_assert_max_num_queries(8):
        first = member_client.get("/board/").content.decode()
    second = member_client.get("/board/", {"page": 2}).content.decode()

    assert first.count('class="item"') == 25 and 'rel="next"' in first
    assert second.count('class="item"') == 5 and 'rel="next"' not in second


def test_the_board_pages_follow_urgency_then_cost_so_far_then_age_across_every_group(
    member_client, plant, member, monkeypatch
):
    # given: open shortages of every criticality, with and without a stop date and a day's cost, of
    # different ages, over several pages of three (each page is read one urgency group at a time)
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    now = timezone.now()
    rows = []
    for urgency in every_urgency(timezone.localdate()):
        for hours_old in (1, 30, 30):
            part_request = shortage(
                plant,
                member,
                description="Pieza",
                criticality=urgency.criticality,
                stopped_since=urgency.stopped_since,
                downtime_usd_per_day=urgency.downtime_usd_per_day,
            )
            PartRequest.objects.filter(pk=part_request.pk).update(created_at=now - timedelta(hours=hours_old))
            rows.append((urgency.rank, -urgency.weight, -hours_old, part_request.pk))
    closed = shortage(plant, member, description="Pieza", criticality=Criticality.PRODUCTION_STOPPED)
    PartRequest.objects.filter(pk=closed.pk).update(status=PartRequest.Status.CANCELLED)
    expected = [pk for *_, pk in sorted(rows)]

    # when: a shop walks every page
    listed = []
    for page in range(1, len(rows) // 3 + 2):
        lines = member_client.get("/board/", {"page": page}).context["lines"]
        listed += [line["request"].pk for line in lines]

    # then: the pages together are the board in its order, each open shortage once
    assert listed == expected


def test_fits_queries_stay_constant(foreman_client, plant, member, lathe, steel, django_assert_max_num_queries):
    for number in range(30):
        shortage(plant, member, description=f"Eje {number}", material=steel, processes=["turning"])

    with django_assert_max_num_queries(11):
        page = foreman_client.get("/board/", {"fits": "on"}).content.decode()

    assert page.count('class="item"') == 25


def test_fits_shows_exactly_what_the_engine_proposes_the_workshop_for(plant, member, workshop, steel, foreman_client):
    other_steel = MaterialFactory(name="Bronce")
    capability(plant=workshop, process="turning", materials=[steel], max_diameter_mm=300, best_it_grade=7)
    capability(plant=workshop, process="motor_rewinding", max_weight_kg=500)
    requests = [
        shortage(plant, member, description="a", material=steel, processes=["turning"], diameter_mm=100),
        shortage(plant, member, description="b", material=steel, processes=["turning"], diameter_mm=400),
        shortage(plant, member, description="c", material=other_steel, processes=["turning"]),
        shortage(plant, member, description="d", material=steel, processes=["turning"], it_grade=6),
        shortage(plant, member, description="e", material=steel, processes=["turning", "grinding"]),
        shortage(plant, member, description="f", material=other_steel, processes=["motor_rewinding"], weight_kg=80),
        shortage(plant, member, description="g", processes=["motor_rewinding"], weight_kg=800),
        shortage(plant, member, description="h"),
    ]
    for part_request in requests:
        engine.part_request_match(part_request_id=part_request.pk)
    proposed = set(
        Match.objects.filter(source=Match.Source.FABRICATION, source_plant=workshop).values_list(
            "request_id", flat=True
        )
    )

    page = foreman_client.get("/board/", {"fits": "on"}).content.decode()

    shown = {part_request.pk for part_request in requests if f'href="/requests/{part_request.pk}/offer/"' in page}
    assert shown == proposed == {requests[0].pk, requests[5].pk}
    distance = Match.objects.get(request=requests[0], source_plant=workshop).distance_km
    assert f"{formats.number_format(round(distance), 0, force_grouping=True)} km" in page


def test_the_board_offers_to_other_plants_only(member_client, foreman_client, shaft_request):
    offer_link = f'href="/requests/{shaft_request.pk}/offer/"'

    assert offer_link not in member_client.get("/board/").content.decode()
    assert offer_link in foreman_client.get("/board/").content.decode()


def test_an_administrator_of_no_plant_is_pointed_to_the_admin(staff_client, shaft_request):
    for path in ("/board/", f"/requests/{shaft_request.pk}/offer/", "/capabilities/", "/capabilities/new/"):
        page = staff_client.get(path).content.decode()
        assert "No actúa por ninguna planta" in page and 'href="/admin/"' in page
    staff_client.post("/capabilities/new/", {"form_key": "4d4a1c0e-2b7f-4c7a-9d1e-3f0b5a6c7d88", "process": "milling"})
    assert not Match.objects.filter(origin=Match.Origin.OFFER).exists() and not Capability.objects.exists()


# Offer


def test_a_shop_offers_a_capability_with_a_quote_and_lands_on_the_match(foreman_client, shaft_request, lathe):
    response = foreman_client.post(f"/requests/{shaft_request.pk}/offer/", offer_data(capability=lathe.pk))

    match = Match.objects.get(request=shaft_request, source_plant=lathe.plant)
    assert response.status_code == 302 and response["Location"] == f"/matches/{match.pk}/"
    assert match.origin == Match.Origin.OFFER and match.quote_price == Decimal("1250.50")
    assert match.quote_lead_time_days == 10 and match.quantity == 2
    assert "Con material propio" in match.history.last().note


def test_an_offer_sent_twice_creates_one(foreman_client, shaft_request, lathe):
    for _attempt in range(2):
        response = foreman_client.post(f"/requests/{shaft_request.pk}/offer/", offer_data(capability=lathe.pk))
        assert response.status_code == 302
    again = foreman_client.post(
        f"/requests/{shaft_request.pk}/offer/",
        offer_data(capability=lathe.pk, form_key="0b6f5a52-1e0b-4f9e-8f7e-5b1c6f0e2a22"),
    )

    assert again.status_code == 302
    assert Match.objects.filter(request=shaft_request, source_plant=lathe.plant).count() == 1


def test_the_requester_may_not_offer_on_its_own_shortage(member_client, shaft_request):
    response = member_client.get(f"/requests/{shaft_request.pk}/offer/")

    assert response.status_code == 403 and "No puede hacer esto" in response.content.decode()


def test_an_offer_of_another_plants_stock_item_is_refused(foreman_client, plant, member, other_plant):
    part = PartFactory(name="Rodamiento")
    theirs = stock_item(plant=other_plant, part=part, quantity=4)
    part_request = shortage(plant, member, part=part)

    response = foreman_client.post(f"/requests/{part_request.pk}/offer/", offer_data(stock_item=theirs.pk))

    assert response.status_code == 200
    assert "Escoja una de sus propias fuentes" in response.content.decode()
    assert not Match.objects.filter(request=part_request, origin=Match.Origin.OFFER).exists()


def test_a_plant_offers_its_stock_and_sees_why_other_items_do_not_fit(other_client, plant, member, other_plant):
    part = PartFactory(name="Rodamiento 6205")
    good = stock_item(plant=other_plant, part=part, quantity=4)
    stock_item(plant=other_plant, part=PartFactory(name="Correa"), quantity=3)
    stock_item(plant=other_plant, part=part, quantity=2, exchangeable=False, location="B2")
    part_request = shortage(plant, member, part=part)

    page = other_client.get(f"/requests/{part_request.pk}/offer/").content.decode()
    response = other_client.post(f"/requests/{part_request.pk}/offer/", offer_data(stock_item=good.pk))

    assert f'value="{good.pk}"' in page
    assert "No es la pieza pedida" in page and "Sin unidades intercambiables" in page
    assert response.status_code == 302
    assert Match.objects.get(request=part_request, stock_item=good).origin == Match.Origin.OFFER


def test_capabilities_that_do_not_fit_say_why_in_spanish(foreman_client, plant, member, workshop, steel):
    capability(plant=workshop, process="turning", materials=[steel], max_diameter_mm=50, best_it_grade=9)
    part_request = shortage(
        plant,
        member,
        description="Eje",
        material=MaterialFactory(),
        processes=["turning", "grinding"],
        diameter_mm=80,
    )

    page = foreman_client.get(f"/requests/{part_request.pk}/offer/").content.decode()

    assert "No trabaja el material" in page and "demasiado grande" in page and "rectificado" in page
    assert 'name="capability"' not in page


def test_a_capability_that_does_not_fit_cannot_be_offered_by_hand(foreman_client, plant, member, workshop):
    rewinding = capability(plant=workshop, process="motor_rewinding")
    part_request = shortage(plant, member, description="Eje", processes=["turning"])

    response = foreman_client.post(f"/requests/{part_request.pk}/offer/", offer_data(capability=rewinding.pk))

    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert not Match.objects.filter(request=part_request, origin=Match.Origin.OFFER).exists()


def test_bad_offer_input_shows_spanish_field_errors(foreman_client, shaft_request, lathe):
    response = foreman_client.post(
        f"/requests/{shaft_request.pk}/offer/",
        offer_data(capability=lathe.pk, price="mucho", quantity="0", currency="EUR", lead_time_days="-1"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    for field in ("price", "quantity", "currency", "lead_time_days"):
        assert f'href="#id_{field}' in page
    assert "Introduzca un número" in page


def test_an_offer_of_more_units_than_needed_comes_back_from_the_service(foreman_client, shaft_request, lathe):
    response = foreman_client.post(f"/requests/{shaft_request.pk}/offer/", offer_data(capability=lathe.pk, quantity=9))

    assert response.status_code == 200 and "Ofrezca entre 1 y 2 unidades" in response.content.decode()


def test_offers_on_closed_or_missing_shortages_are_refused_politely(foreman_client, shaft_request, member):
    exchange_services.part_request_cancel(part_request=shaft_request, user=member)

    assert foreman_client.get(f"/requests/{shaft_request.pk}/offer/").status_code == 409
    assert foreman_client.get("/requests/999999/offer/").status_code == 404


def test_a_member_of_several_plants_offers_for_the_plant_it_acts_for(several_member, other_plant, shaft_request):
    client = signed_in(several_member)
    client.post("/plant/", {"plant": other_plant.pk})
    part_request_plant = client.get(f"/requests/{shaft_request.pk}/offer/")
    client.post("/plant/", {"plant": shaft_request.plant_id})

    assert part_request_plant.status_code == 200
    assert client.get(f"/requests/{shaft_request.pk}/offer/").status_code == 403


def test_the_offer_page_keeps_its_queries_constant(
    foreman_client, shaft_request, workshop, steel, django_assert_max_num_queries
):
    for process in ("turning", "milling", "grinding", "welding"):
        capability(plant=workshop, process=process, materials=[steel])
    for _number in range(5):
        stock_item(plant=workshop, quantity=2)

    with django_assert_max_num_queries(14):
        assert foreman_client.get(f"/requests/{shaft_request.pk}/offer/").status_code == 200


# The workshop


def test_the_workshop_lists_capabilities_with_the_shortages_they_fit(
    foreman_client, lathe, shaft_request, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        page = foreman_client.get("/capabilities/").content.decode()

    assert "Torneado" in page and "Acero 1045" in page
    assert f'href="/requests/{shaft_request.pk}/"' in page and "1 solicitud abierta" in page


def test_a_foreman_adds_a_capability_by_material_designations(foreman_client, workshop, steel):
    data = {
        "form_key": "1d4a1c0e-2b7f-4c7a-9d1e-3f0b5a6c7d88",
        "process": "milling",
        "materials": "c45, aisi 1045",
        "max_diameter_mm": "1.200,5",
        "best_it_grade": "8",
        "lead_time_days": "7",
        "notes": "",
    }

    first = foreman_client.post("/capabilities/new/", data)
    second = foreman_client.post("/capabilities/new/", data)

    created = Capability.objects.get(plant=workshop, process="milling")
    assert first["Location"] == second["Location"] == f"/capabilities/{created.pk}/"
    assert list(created.materials.all()) == [steel] and created.max_diameter_mm == Decimal("1200.5")


def test_unknown_designations_and_bad_numbers_are_spanish_field_errors(foreman_client, workshop, lathe):
    response = foreman_client.post(
        "/capabilities/new/",
        {
            "form_key": "2d4a1c0e-2b7f-4c7a-9d1e-3f0b5a6c7d88",
            "process": "milling",
            "materials": "AISI 1045, kryptonita",
            "max_diameter_mm": "-3",
            "best_it_grade": "30",
            "lead_time_days": "x",
        },
    )
    duplicate = foreman_client.post(
        "/capabilities/new/",
        {"form_key": "3d4a1c0e-2b7f-4c7a-9d1e-3f0b5a6c7d88", "process": "turning", "lead_time_days": "3"},
    )

    page = response.content.decode()
    assert response.status_code == 200 and "kryptonita" in page
    for field in ("materials", "max_diameter_mm", "best_it_grade", "lead_time_days"):
        assert f'href="#id_{field}"' in page
    assert duplicate.status_code == 200 and 'class="error-summary"' in duplicate.content.decode()
    assert Capability.objects.filter(plant=workshop).count() == 1


def test_a_foreman_edits_and_deletes_a_capability(foreman_client, lathe):
    page = foreman_client.get(f"/capabilities/{lathe.pk}/").content.decode()
    edited = foreman_client.post(
        f"/capabilities/{lathe.pk}/",
        {
            "process": "turning",
            "materials": "AISI 1045",
            "max_diameter_mm": "250",
            "lead_time_days": "5",
            "notes": "Torno CNC",
        },
    )
    confirm = foreman_client.get(f"/capabilities/{lathe.pk}/delete/")
    deleted = foreman_client.post(f"/capabilities/{lathe.pk}/delete/")

    assert 'value="AISI 1045"' in page
    assert edited.status_code == 302 and confirm.status_code == 200 and "Sí, eliminar" in confirm.content.decode()
    assert deleted["Location"] == "/capabilities/" and not Capability.objects.filter(pk=lathe.pk).exists()


def test_a_capability_with_matches_cannot_be_deleted_and_says_so(foreman_client, lathe, shaft_request):
    foreman_client.post(f"/requests/{shaft_request.pk}/offer/", offer_data(capability=lathe.pk))

    response = foreman_client.post(f"/capabilities/{lathe.pk}/delete/")

    assert response.status_code == 200 and "no se puede eliminar" in response.content.decode().lower()
    assert Capability.objects.filter(pk=lathe.pk).exists()


@pytest.mark.parametrize("who", ["member", "other_member"])
def test_another_plants_capability_is_not_found(request, who, lathe):
    client = signed_in(request.getfixturevalue(who))

    assert client.get(f"/capabilities/{lathe.pk}/").status_code == 404
    assert client.post(f"/capabilities/{lathe.pk}/delete/").status_code == 404
    assert Capability.objects.filter(pk=lathe.pk).exists()


def test_an_administrator_keeps_any_workshops_records(staff_client, lathe):
    assert staff_client.get(f"/capabilities/{lathe.pk}/").status_code == 200
    edited = staff_client.post(
        f"/capabilities/{lathe.pk}/", {"process": "turning", "materials": "", "lead_time_days": "4"}
    )

    assert edited.status_code == 302
    lathe.refresh_from_db()
    assert lathe.lead_time_days == 4


def test_a_member_of_several_plants_sees_the_acting_plants_workshop(several_member, plant, other_plant):
    capability(plant=plant, process="welding")
    capability(plant=other_plant, process="boring")
    client = signed_in(several_member)
    client.post("/plant/", {"plant": other_plant.pk})

    page = client.get("/capabilities/").content.decode()

    assert "Mandrinado" in page and "Soldadura" not in page


def test_the_nav_and_a_shops_home_link_to_the_board_and_workshop(foreman_client):
    page = foreman_client.get("/").content.decode()

    assert 'href="/board/"' in page and 'href="/capabilities/"' in page and 'href="/board/?fits=on"' in page


def test_visitors_never_see_a_500(db):
    client = Client(raise_request_exception=False)
    assert client.get("/board/?page=abc").status_code == 302
    assert PartRequest.objects.count() == 0


def test_the_new_capability_form_does_not_offer_a_process_the_workshop_has(foreman_client, lathe):
    page = foreman_client.get("/capabilities/new/").content.decode()

    assert 'value="turning"' not in page and 'value="milling"' in page


def test_a_single_fitting_capability_is_chosen_already(foreman_client, shaft_request, lathe):
    page = foreman_client.get(f"/requests/{shaft_request.pk}/offer/").content.decode()

    assert f'value="{lathe.pk}" id="id_capability_0" checked' in page.replace(" required", "")
    assert "(opcional)</span></legend>" not in page.split('id="id_capability"')[0].rsplit("<fieldset", 1)[-1]


def test_measures_are_written_as_given_not_to_the_micron(foreman_client, lathe):
    page = foreman_client.get(f"/capabilities/{lathe.pk}/").content.decode()

    assert 'value="300"' in page and "300,000" not in page


def test_an_offer_of_another_plants_capability_is_refused(other_client, shaft_request, lathe):
    response = other_client.post(f"/requests/{shaft_request.pk}/offer/", offer_data(capability=lathe.pk))

    assert response.status_code == 200 and "Escoja una de sus propias fuentes" in response.content.decode()
    assert not Match.objects.filter(request=shaft_request, origin=Match.Origin.OFFER).exists()


@pytest.mark.parametrize(
    ("written", "price"),
    [("1.250", "1250"), ("1.250,50", "1250.50"), ("1250,5", "1250.5"), ("1250.5", "1250.5"), ("12.5", "12.5")],
)
def test_prices_are_read_as_venezuelans_write_them(foreman_client, shaft_request, lathe, written, price):
    foreman_client.post(f"/requests/{shaft_request.pk}/offer/", offer_data(capability=lathe.pk, price=written))

    assert Match.objects.get(request=shaft_request, source_plant=lathe.plant).quote_price == Decimal(price)
