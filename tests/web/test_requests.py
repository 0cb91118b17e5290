"""The shortage pages: /requests/, /requests/new/ (and its lookup), /requests/<id>/ and its actions."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from exchange import engine, services
from exchange.models import Criticality, Match, PartRequest, RequestPhoto
from inventory import access
from inventory.services import material_create
from tests.factories import PartFactory, image_upload, stock_item
from web.models import FormSubmission

from .conftest import signed_in


@pytest.fixture
def bearing(db):
    return PartFactory(name="Rodamiento rígido", numbers=[("SKF", "6205-2RS"), ("FAG", "6205-2RSR")])


def post_shortage(plant, user, **fields):
    fields.setdefault("quantity", 2)
    return services.part_request_create(plant=plant, user=user, **fields)


def with_sources(part_request, *plants_and_users, quantity=5):
    """Stock of the requested part at each plant, matched by the engine; the matches best first."""
    for source_plant in plants_and_users:
        stock_item(plant=source_plant, part=part_request.part, quantity=quantity)
    engine.part_request_match(part_request_id=part_request.pk)
    return list(part_request.matches.order_by("-score", "id"))


def form_data(**fields):
    data = {"form_key": str(uuid.uuid4()), "quantity": "2", "criticality": "degraded"}
    data.update(fields)
    return data


# /requests/


def test_the_list_shows_the_acting_plants_open_shortages_stopped_first(member_client, member, plant, other_plant):
    post_shortage(plant, member, description="Correa del molino", criticality=Criticality.PREVENTIVE)
    post_shortage(plant, member, description="Sello de la bomba", criticality=Criticality.PRODUCTION_STOPPED)
    closed = post_shortage(plant, member, description="Engranaje cancelado")
    services.part_request_cancel(part_request=closed, user=member)
    PartRequest.objects.create(plant=other_plant, description="Pieza de otra planta", quantity=1)

    page = member_client.get("/requests/").content.decode()

    assert page.index("Sello de la bomba") < page.index("Correa del molino")
    assert "Engranaje cancelado" not in page and "Pieza de otra planta" not in page
    assert 'href="/requests/new/"' in page
    cancelled = member_client.get("/requests/?status=cancelled").content.decode()
    assert "Engranaje cancelado" in cancelled and "Sello de la bomba" not in cancelled


def test_among_stopped_lines_the_costliest_comes_first(member_client, member, plant):
    today = timezone.localdate()
    stopped = {"criticality": Criticality.PRODUCTION_STOPPED}
    post_shortage(plant, member, description="Parada barata", stopped_since=today, **stopped)
    post_shortage(
        plant,
        member,
        description="Parada cara",
        stopped_since=today - datetime.timedelta(days=3),
        downtime_usd_per_day=500,
        **stopped,
    )

    page = member_client.get("/requests/").content.decode()

    assert page.index("Parada cara") < page.index("Parada barata")


def test_each_line_names_the_best_source_in_a_few_words(member_client, member, plant, other_plant, bearing):
    part_request = post_shortage(plant, member, part=bearing)
    with_sources(part_request, other_plant)

    page = member_client.get("/requests/").content.decode()

    assert "Rodamiento rígido" in page
    assert f"mejor fuente: {other_plant.name} (existencia, propuesta)" in page


def test_an_unknown_status_filter_shows_the_open_ones(member_client, member, plant):
    post_shortage(plant, member, description="Abierta")

    response = member_client.get("/requests/?status=nada")

    assert response.status_code == 200 and "Abierta" in response.content.decode()


def test_the_list_costs_the_same_queries_for_5_or_25_shortages(
    member_client, member, plant, other_plant, bearing, django_assert_max_num_queries
):
    stock_item(plant=other_plant, part=bearing)

    def fill(count):
        for _ in range(count):
            engine.part_request_match(part_request_id=post_shortage(plant, member, part=bearing).pk)

    fill(5)
    with django_assert_max_num_queries(9) as few:
        member_client.get("/requests/")
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        member_client.get("/requests/")


def test_the_list_shows_25_a_page_most_urgent_first_with_links_between_pages(member_client, member, plant):
    for number in range(27):
        post_shortage(plant, member, description=f"Pieza {number}")
    post_shortage(plant, member, description="Sello de la bomba", criticality=Criticality.PRODUCTION_STOPPED)

    first = member_client.get("/requests/", {"status": "open"})
    second = member_client.get("/requests/", {"status": "open", "page": 2})

    assert first.content.decode().count('class="item"') == 25 and "Sello de la bomba" in first.content.decode()
    assert (first.context["previous_url"], first.context["next_url"]) == ("", "?status=open&page=2")
    assert second.content.decode().count('class="item"') == 3 and "Sello de la bomba" not in second.content.decode()
    assert (second.context["previous_url"], second.context["next_url"]) == ("?status=open&page=1", "")
    assert 'href="?status=open&amp;page=2" rel="next"' in first.content.decode()
    assert member_client.get("/requests/", {"page": "abc"}).status_code == 200


# /requests/new/


def test_the_form_carries_the_spec_field_names_a_one_time_key_and_the_phone_camera(member_client):
    page = member_client.get("/requests/new/").content.decode()

    for name in (
        "number",
        "description",
        "quantity",
        "needed_by",
        "criticality",
        "stopped_since",
        "import_price_usd",
        "import_lead_time_days",
        "material",
        "processes",
        "diameter_mm",
        "length_mm",
        "weight_kg",
        "it_grade",
        "photos",
        "form_key",
    ):
        assert f'name="{name}"' in page, name
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="photos" accept="image/*" capture="environment"' in page and "multiple" in page
    assert "Torneado" in page  # the processes' labels, in Spanish
    assert "Publicar la solicitud" in page
    assert "<script src=" in page and "<script>" not in page


def test_posting_by_a_known_number_goes_to_the_shortage_page_with_the_part_found(member_client, plant, bearing):
    response = member_client.post("/requests/new/", form_data(number="fag 6205-2rsr"))

    part_request = PartRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/{part_request.pk}/"
    assert part_request.part == bearing and part_request.plant == plant
    page = member_client.get(response["Location"]).content.decode()
    assert "SKF 6205-2RS" in page and "FAG 6205-2RSR" in page


def test_an_unknown_number_is_kept_and_the_page_says_to_describe_or_measure_it(member_client):
    response = member_client.post("/requests/new/", form_data(number="XJ-99"), follow=True)

    page = response.content.decode()
    assert PartRequest.objects.get().part is None
    assert "no conoce el número «XJ-99»" in page


def test_the_lookup_fragment_shows_the_part_and_its_numbers_or_says_it_is_unknown(member_client, bearing):
    found = member_client.get("/requests/new/lookup/?number=6205 2RS").content.decode()
    unknown = member_client.get("/requests/new/lookup/?number=ZZ-1").content.decode()

    assert "Rodamiento rígido" in found and "FAG 6205-2RSR" in found and "<html" not in found
    assert "no conoce el número «ZZ-1»" in unknown
    assert member_client.get("/requests/new/lookup/?number=").content.decode().strip() == ""


def test_the_lookup_is_for_signed_in_members(client, db):
    assert client.get("/requests/new/lookup/?number=6205")["Location"].startswith("/login/")


def test_a_description_with_measurements_material_and_processes_is_posted(member_client, db):
    steel = material_create(
        name="Acero 1045", family="carbon_steel", designations=["AISI 1045", "C45"], user=access.SYSTEM
    )

    member_client.post(
        "/requests/new/",
        form_data(
            description="Eje del agitador",
            material="c 45",
            processes=["turning", "grinding"],
            diameter_mm="45,5",
            length_mm="320",
            it_grade="7",
            import_price_usd="1.250,00".replace(".", ""),
        ),
    )

    part_request = PartRequest.objects.get()
    assert part_request.material == steel and part_request.processes == ["grinding", "turning"]
    assert str(part_request.diameter_mm) == "45.500" and part_request.it_grade == 7
    assert str(part_request.import_price_usd) == "1250.00"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"material": "Unobtainium 9"}, "material", "Ningún material del catálogo se llama Unobtainium 9"),
        ({"quantity": "0"}, "quantity", "mayor o igual a 1"),
        ({"quantity": "muchas"}, "quantity", "número entero"),
        ({"needed_by": "31/02/2026"}, "needed_by", "fecha válida"),
        ({"it_grade": "40"}, "it_grade", "menor o igual a 18"),
        ({"diameter_mm": "-3"}, "diameter_mm", "Escriba una medida mayor que cero"),
        ({"processes": ["levitation"]}, "processes", "Escoja una opción válida"),
        ({"criticality": "apocalyptic"}, "criticality", "Escoja una opción válida"),
        ({"number": "", "description": ""}, "number", "Indique el repuesto o su número, o descríbalo"),
        ({"stopped_since": "2999-01-01"}, "stopped_since", "Esta fecha está en el futuro"),
    ],
)
def test_bad_input_shows_the_form_again_with_spanish_errors_beside_the_fields(member_client, fields, field, message):
    data = form_data(**{"description": "Eje", **fields})

    response = member_client.post("/requests/new/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page and message in page, page[page.find("error-summary") :][:800]
    assert f'href="#id_{field}' in page
    assert f'value="{data["form_key"]}"' in page  # the same key: the corrected form still creates once
    assert not PartRequest.objects.exists()


def test_a_double_tap_creates_one_shortage_and_both_land_on_its_page(member_client):
    data = form_data(description="Rodete de la bomba")

    first = member_client.post("/requests/new/", data)
    second = member_client.post("/requests/new/", data)

    assert PartRequest.objects.count() == 1 and FormSubmission.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/requests/{PartRequest.objects.get().pk}/"


def test_photos_are_posted_with_the_shortage_and_shown_as_thumbnails(member_client, media_root):
    response = member_client.post(
        "/requests/new/", form_data(description="Impulsor", photos=[image_upload(), image_upload(image_format="PNG")])
    )

    part_request = PartRequest.objects.get()
    assert part_request.photos.count() == 2
    page = member_client.get(response["Location"]).content.decode()
    photo = part_request.photos.first()
    assert f'<a href="{photo.image.url}"><img src="{photo.thumbnail.url}"' in page
    assert f'<a href="{part_request.photos.last().image.url}">Foto 2</a>' in page  # one thumbnail: the budget


def test_a_bad_photo_posts_nothing_and_says_so_beside_the_photos(member_client, media_root):
    not_an_image = SimpleUploadedFile("notas.jpg", b"esto no es una foto", content_type="image/jpeg")

    response = member_client.post("/requests/new/", form_data(description="Impulsor", photos=[not_an_image]))

    assert response.status_code == 200
    assert 'href="#id_photos"' in response.content.decode()
    assert not PartRequest.objects.exists() and not RequestPhoto.objects.exists()


def test_a_member_of_several_plants_posts_for_the_plant_chosen(several_client, plant, other_plant):
    several_client.post("/plant/", {"plant": other_plant.pk})

    several_client.post("/requests/new/", form_data(description="Para Oriente"))

    assert PartRequest.objects.get().plant == other_plant


def test_visitors_and_administrators_without_a_plant_cannot_post(client, staff_client, db):
    assert client.get("/requests/new/")["Location"] == "/login/?next=/requests/new/"
    assert client.post("/requests/new/", form_data(description="x"))["Location"].startswith("/login/")
    page = staff_client.post("/requests/new/", form_data(description="x")).content.decode()
    assert "No actúa por ninguna planta" in page
    assert not PartRequest.objects.exists()


# /requests/<id>/


@pytest.fixture
def shortage(plant, member, bearing):
    return post_shortage(
        plant,
        member,
        part=bearing,
        criticality=Criticality.PRODUCTION_STOPPED,
        stopped_since=timezone.localdate() - datetime.timedelta(days=4),
        downtime_usd_per_day="1250.50",
    )


def test_the_page_shows_days_stopped_their_cost_the_numbers_and_the_ranked_sources(
    member_client, shortage, other_plant
):
    best, *_ = with_sources(shortage, other_plant)

    page = member_client.get(f"/requests/{shortage.pk}/").content.decode()

    assert "4 días" in page and "5.002,00 USD" in page
    assert "SKF 6205-2RS" in page and "FAG 6205-2RSR" in page
    assert f'href="/matches/{best.pk}/"' in page and other_plant.name in page
    assert "En existencia, nuevo" in page and "sin cotizar" in page
    assert "Historial" in page


def test_the_requester_sees_the_actions_the_match_allows(
    member_client, shortage, other_plant, other_member, admin_user
):
    match, *_ = with_sources(shortage, other_plant)
    page = member_client.get(f"/requests/{shortage.pk}/").content.decode()
    assert f'action="/matches/{match.pk}/accept/"' not in page  # proposed: not yet approved and quoted
    assert f'href="/matches/{match.pk}/#decline"' in page  # the reason is asked on the match's page

    services.match_approve(match=match, user=admin_user)
    services.match_quote(match=match, user=other_member, price="30", currency="USD", lead_time_days=2)
    page = member_client.get(f"/requests/{shortage.pk}/").content.decode()

    assert f'action="/matches/{match.pk}/accept/"' in page and "Aceptar esta fuente" in page
    assert f'action="/requests/{shortage.pk}/cancel/"' in page


@pytest.mark.parametrize(
    ("who", "status_while_open", "status_when_closed"),
    [
        ("member", 200, 200),
        ("several", 200, 200),
        ("source", 200, 200),
        ("third", 200, 404),
        ("staff", 200, 200),
    ],
)
def test_who_sees_a_shortage_page(
    who, status_while_open, status_when_closed, shortage, other_plant, member, several_member, admin_user, db
):
    from tests.factories import MembershipFactory, PlantFactory

    with_sources(shortage, other_plant)
    users = {
        "member": member,
        "several": several_member,
        "source": MembershipFactory(plant=other_plant).user,
        "third": MembershipFactory(plant=PlantFactory(name="Planta Tercera")).user,
        "staff": admin_user,
    }
    client = signed_in(users[who])
    if who == "several":
        client.post("/plant/", {"plant": other_plant.pk})

    assert client.get(f"/requests/{shortage.pk}/").status_code == status_while_open
    services.part_request_cancel(part_request=shortage, user=member)
    assert client.get(f"/requests/{shortage.pk}/").status_code == status_when_closed


def test_another_plant_sees_an_open_shortage_without_its_sources_or_actions(other_client, shortage, plant, db):
    from tests.factories import PlantFactory

    match, *_ = with_sources(shortage, PlantFactory(name="Planta Lejana"))

    page = other_client.get(f"/requests/{shortage.pk}/").content.decode()

    assert "Planta Lejana" not in page and f"/matches/{match.pk}/" not in page
    assert "/cancel/" not in page and "/rematch/" not in page


def test_visitors_are_sent_to_sign_in_and_unknown_ids_are_404(client, member_client, shortage):
    assert client.get(f"/requests/{shortage.pk}/")["Location"] == f"/login/?next=/requests/{shortage.pk}/"
    assert member_client.get("/requests/999999/").status_code == 404


def test_the_page_costs_the_same_queries_for_2_or_10_sources(
    member_client, shortage, django_assert_max_num_queries, db
):
    from tests.factories import PlantFactory

    with_sources(shortage, *[PlantFactory() for _ in range(2)])
    with django_assert_max_num_queries(14) as few:
        member_client.get(f"/requests/{shortage.pk}/")
    with_sources(shortage, *[PlantFactory() for _ in range(8)])
    assert shortage.matches.count() == 10
    with django_assert_max_num_queries(len(few.captured_queries)):
        member_client.get(f"/requests/{shortage.pk}/")


def test_the_requester_cancels_the_shortage_with_a_note(member_client, shortage):
    response = member_client.post(f"/requests/{shortage.pk}/cancel/", {"note": "Llegó de otra vía"})

    shortage.refresh_from_db()
    assert response["Location"] == f"/requests/{shortage.pk}/"
    assert shortage.status == PartRequest.Status.CANCELLED
    assert shortage.history.last().note == "Llegó de otra vía"
    again = member_client.post(f"/requests/{shortage.pk}/cancel/", {"note": ""})
    assert again.status_code == 409 and "Solo se puede cancelar" in again.content.decode()


def test_another_plant_cannot_cancel_or_rematch_a_shortage(other_client, shortage):
    assert other_client.post(f"/requests/{shortage.pk}/cancel/").status_code == 403
    assert other_client.post(f"/requests/{shortage.pk}/rematch/").status_code == 403
    shortage.refresh_from_db()
    assert shortage.status == PartRequest.Status.OPEN


def test_rematch_runs_the_engine_now(member_client, shortage, other_plant):
    stock_item(plant=other_plant, part=shortage.part)

    response = member_client.post(f"/requests/{shortage.pk}/rematch/", follow=True)

    assert Match.objects.filter(request=shortage).count() == 1
    assert "Se buscaron las fuentes de nuevo" in response.content.decode()


def test_a_get_on_an_action_goes_back_to_the_page(member_client, shortage):
    assert member_client.get(f"/requests/{shortage.pk}/cancel/")["Location"] == f"/requests/{shortage.pk}/"


def test_an_administrator_without_a_plant_keeps_the_records_but_gets_no_requester_buttons(staff_client, shortage):
    page = staff_client.get(f"/requests/{shortage.pk}/").content.decode()

    assert f'action="/requests/{shortage.pk}/cancel/"' in page
    assert "/accept/" not in page and "/fulfil/" not in page


def test_pages_are_spanish_by_default_and_english_on_request(shortage, member):
    client = Client()
    client.force_login(member)
    assert "Fuentes encontradas" in client.get(f"/requests/{shortage.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en"})
    assert "Sources found" in client.get(f"/requests/{shortage.pk}/").content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/requests/99999999999999999999/",
        "/matches/99999999999999999999/",
        "/requests/new/lookup/?number=%00%FF" + "9" * 500,
        "/requests/?status=%00",
    ],
)
def test_odd_addresses_are_answered_without_a_server_error(member_client, address):
    assert member_client.get(address).status_code in (200, 404)
