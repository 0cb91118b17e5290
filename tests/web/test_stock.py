"""The store's pages: who sees what, who may act, bad input, double submits, imports, labels, query counts."""

import io
import re
import uuid

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from inventory.models import Part, StockItem, StockMovement
from inventory.services import stock_reserve
from tests.factories import PartFactory, stock_item
from web.labels import qr_svg

from .conftest import signed_in

PAGES = ["/stock/", "/stock/new/", "/stock/import/", "/stock/labels/"]


@pytest.fixture
def bearing(db):
    return PartFactory(name="Rodamiento rígido de bolas", numbers=[("FAG", "6205-2RSR"), ("SKF", "6205-2RSH")])


@pytest.fixture
def item(plant, bearing):
    return stock_item(plant=plant, part=bearing, quantity=12, location="E3-B2")


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    """Uploads waiting for their confirmation land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


def text(response) -> str:
    return response.content.decode()


# Who sees what


@pytest.mark.parametrize("path", PAGES)
def test_visitors_are_sent_to_sign_in(path, client):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_visitors_are_sent_to_sign_in_from_an_items_page(client, item):
    response = Client().get(f"/stock/{item.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/stock/{item.pk}/"


@pytest.mark.parametrize("path", PAGES)
def test_every_store_page_answers_a_member_in_spanish(path, member_client, item):
    response = member_client.get(path)

    assert response.status_code == 200
    assert '<html lang="es">' in text(response)


@pytest.mark.parametrize("path", PAGES)
def test_an_administrator_of_no_plant_has_no_store_of_their_own(path, staff_client):
    response = staff_client.get(path)

    assert response.status_code == 200
    assert "No actúa por ninguna planta" in text(response)


def test_the_store_lists_only_the_acting_plants_items(member_client, other_client, item, other_plant, bearing):
    stock_item(plant=other_plant, part=bearing, quantity=3, location="OTRA-1")

    mine = text(member_client.get("/stock/"))
    theirs = text(other_client.get("/stock/"))

    assert "E3-B2" in mine and "OTRA-1" not in mine
    assert "OTRA-1" in theirs and "E3-B2" not in theirs


def test_a_member_of_several_plants_sees_the_store_of_the_plant_they_chose(several_client, item, other_plant):
    assert several_client.get("/stock/")["Location"] == "/plant/?next=%2Fstock%2F"

    several_client.post("/plant/", {"plant": other_plant.pk})

    assert "E3-B2" not in text(several_client.get("/stock/"))


def test_a_member_of_several_plants_opens_and_counts_an_item_of_either(several_client, item, other_plant):
    several_client.post("/plant/", {"plant": other_plant.pk})

    assert several_client.get(f"/stock/{item.pk}/").status_code == 200
    assert several_client.post(f"/stock/{item.pk}/", {"quantity": 11}).status_code == 302
    item.refresh_from_db()
    assert item.quantity == 11


def test_a_member_of_another_plant_can_neither_see_nor_count_an_item(other_client, item):
    assert other_client.get(f"/stock/{item.pk}/").status_code == 404
    assert other_client.post(f"/stock/{item.pk}/", {"quantity": 0}).status_code == 404
    item.refresh_from_db()
    assert item.quantity == 12


def test_an_unknown_item_is_a_spanish_404(member_client):
    response = member_client.get("/stock/999999/")

    assert response.status_code == 404


def test_an_administrator_who_is_not_a_member_sees_and_counts_an_item(staff_client, item, admin_user):
    assert staff_client.get(f"/stock/{item.pk}/").status_code == 200

    response = staff_client.post(f"/stock/{item.pk}/", {"quantity": 10, "note": "Inventario anual"})

    assert response.status_code == 302
    movement = item.movements.latest("at")
    assert (movement.delta, movement.user, movement.note) == (-2, admin_user, "Inventario anual")


# The store's list


def test_the_store_finds_an_item_by_another_brands_number_or_by_words(member_client, item, plant):
    stock_item(plant=plant, part=PartFactory(name="Correa en V", numbers=[("Gates", "B-52")]), location="F1")

    by_number = text(member_client.get("/stock/", {"q": "skf 6205 2rsh"}))
    by_words = text(member_client.get("/stock/", {"q": "bolas rodamiento"}))

    assert "E3-B2" in by_number and "Correa en V" not in by_number
    assert "E3-B2" in by_words and "Correa en V" not in by_words


def test_the_store_filters_by_condition(member_client, item, plant, bearing):
    stock_item(plant=plant, part=bearing, condition=StockItem.Condition.USED, location="USADOS")

    page = text(member_client.get("/stock/", {"condition": "used"}))

    assert "USADOS" in page and "E3-B2" not in page


def test_each_line_shows_quantity_reserved_available_condition_location_and_exchangeable(member_client, item):
    stock_reserve(stock_item_id=item.pk, quantity=4)

    page = text(member_client.get("/stock/"))

    assert "Rodamiento rígido de bolas" in page and "FAG 6205-2RSR" in page
    for words in ("12 unidades", "4 reservadas", "8 disponibles", "Nuevo", "E3-B2", "intercambiable"):
        assert words in page
    assert f'href="/stock/{item.pk}/"' in page


def test_the_store_pages_25_items_at_a_time(member_client, plant, bearing):
    for index in range(30):
        stock_item(plant=plant, part=bearing, location=f"B{index:02}")

    first = member_client.get("/stock/")
    second = member_client.get("/stock/", {"page": 2})

    assert len(first.context["items"]) == 25 and first.context["next_url"] == "?q=&condition=&page=2"
    assert len(second.context["items"]) == 5 and second.context["next_url"] is None


def test_a_bad_filter_shows_the_whole_store_not_an_error(member_client, item):
    response = member_client.get("/stock/", {"condition": "nonsense", "page": "x"})

    assert response.status_code == 200
    assert "E3-B2" in text(response)


def test_the_store_takes_the_same_queries_for_25_items_as_for_one(
    member_client, plant, bearing, django_assert_max_num_queries
):
    for index in range(25):
        stock_item(plant=plant, part=PartFactory(), location=f"B{index:02}")

    with django_assert_max_num_queries(8):
        response = member_client.get("/stock/", {"q": "6205-2RSR"})
    with django_assert_max_num_queries(8):
        response = member_client.get("/stock/")

    assert len(response.context["items"]) == 25


# A new item


def new_item(**fields):
    return {
        "form_key": str(uuid.uuid4()),
        "quantity": 4,
        "condition": "new",
        "location": "A1",
        "exchangeable": "on",
    } | fields


def test_a_member_adds_an_item_by_any_brands_number(member_client, plant, bearing, member):
    response = member_client.post("/stock/new/", new_item(number="skf 6205-2rsh"))

    created = StockItem.objects.get(plant=plant)
    assert response["Location"] == f"/stock/{created.pk}/"
    assert (created.part, created.quantity, created.exchangeable) == (bearing, 4, True)
    assert created.movements.get().user == member


def test_the_new_item_form_ticks_exchangeable_and_explains_it(member_client):
    page = text(member_client.get("/stock/new/"))

    assert re.search(r'name="exchangeable"[^>]*checked', page)
    assert "nunca se ofrece" in page


def test_an_item_saved_not_exchangeable_stays_so(member_client, plant, bearing):
    fields = new_item(number="6205-2RSR")
    del fields["exchangeable"]

    member_client.post("/stock/new/", fields)

    assert StockItem.objects.get(plant=plant).exchangeable is False


def test_an_unknown_number_is_a_field_error_that_asks_for_the_parts_name(member_client, plant):
    response = member_client.post("/stock/new/", new_item(number="XYZ-404"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "XYZ-404" in errors["number"][0] and "nombre" in errors["number"][0]
    assert 'href="#id_number"' in text(response)
    assert '<input type="text" name="name"' in text(response)
    assert not StockItem.objects.exists()


def test_with_its_name_an_unknown_part_is_added_to_the_catalogue_with_the_item(member_client, plant):
    response = member_client.post("/stock/new/", new_item(number="XYZ-404", name="Sello del molino"))

    created = StockItem.objects.get(plant=plant)
    assert response["Location"] == f"/stock/{created.pk}/"
    assert created.part.name == "Sello del molino"
    assert list(created.part.numbers.values_list("number", flat=True)) == ["XYZ-404"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"number": ""}, "number"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "muchos"}, "quantity"),
        ({"condition": "roto"}, "condition"),
        ({"location": "x" * 201}, "location"),
    ],
)
def test_bad_input_shows_the_form_again_with_spanish_field_errors(member_client, bearing, fields, field):
    response = member_client.post("/stock/new/", new_item(number="6205-2RSR") | fields)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Hay un problema" in text(response)
    assert not StockItem.objects.exists()


def test_a_duplicate_item_is_a_clear_field_error(member_client, item):
    response = member_client.post("/stock/new/", new_item(number="6205-2RSR", location="E3-B2"))

    assert response.status_code == 200
    assert "ya tiene este repuesto" in response.context["form"].errors["location"][0]
    assert f'href="/stock/{item.pk}/"' in text(response)
    assert StockItem.objects.count() == 1


def test_a_new_item_sent_twice_creates_one(member_client, plant, bearing):
    fields = new_item(number="6205-2RSR")

    first = member_client.post("/stock/new/", fields)
    second = member_client.post("/stock/new/", fields)

    assert first["Location"] == second["Location"]
    assert StockItem.objects.filter(plant=plant).count() == 1


def test_a_new_item_is_added_to_the_acting_plant_whatever_the_form_says(member_client, plant, other_plant, bearing):
    member_client.post("/stock/new/", new_item(number="6205-2RSR", plant=other_plant.pk))

    assert StockItem.objects.get().plant == plant


# An item's page and its count


def test_the_items_page_puts_the_count_first_with_a_numeric_input(member_client, item):
    page = text(member_client.get(f"/stock/{item.pk}/"))

    assert page.index('name="quantity"') < page.index("<h2>Movimientos</h2>")
    assert re.search(r'<input type="number" name="quantity"[^>]*inputmode="numeric"', page)
    assert "FAG 6205-2RSR" in page and "SKF 6205-2RSH" in page


def test_a_count_goes_through_the_ledger(member_client, item, member):
    response = member_client.post(f"/stock/{item.pk}/", {"quantity": 9, "note": "Conteo cíclico"})

    assert response["Location"] == f"/stock/{item.pk}/"
    item.refresh_from_db()
    assert item.quantity == 9
    movement = item.movements.latest("at")
    assert (movement.delta, movement.reason, movement.user, movement.note) == (
        -3,
        StockMovement.Reason.COUNT,
        member,
        "Conteo cíclico",
    )


def test_a_count_sent_twice_records_one_movement(member_client, item):
    member_client.post(f"/stock/{item.pk}/", {"quantity": 9})
    member_client.post(f"/stock/{item.pk}/", {"quantity": 9})

    assert item.movements.count() == 2  # the first stock and one count


def test_a_count_below_the_reserved_units_is_a_spanish_field_error(member_client, item):
    stock_reserve(stock_item_id=item.pk, quantity=5)

    response = member_client.post(f"/stock/{item.pk}/", {"quantity": 2})

    assert response.status_code == 200
    assert "reservad" in response.context["form"].errors["quantity"][0]
    item.refresh_from_db()
    assert item.quantity == 12


@pytest.mark.parametrize("quantity", ["", "-3", "doce"])
def test_a_bad_count_is_a_field_error(member_client, item, quantity):
    response = member_client.post(f"/stock/{item.pk}/", {"quantity": quantity})

    assert response.status_code == 200
    assert "quantity" in response.context["form"].errors


def test_the_ledger_says_why_who_and_when_and_links_a_match_only_for_who_may_see_it(
    member_client, item, member, monkeypatch
):
    StockMovement.objects.create(stock_item=item, delta=-1, reason="transfer_out", match=4242, user=member)
    monkeypatch.setattr("web.views.stock.match_ids_visible_to", lambda user, ids: set())

    page = text(member_client.get(f"/stock/{item.pk}/"))

    assert "Salida por transferencia" in page
    assert "almacenista" in page
    assert "/matches/4242/" not in page


def test_the_ledger_links_a_match_the_viewer_may_see(member_client, item, member, monkeypatch):
    StockMovement.objects.create(stock_item=item, delta=-1, reason="transfer_out", match=4242, user=member)
    monkeypatch.setattr("web.views.stock.match_ids_visible_to", lambda user, ids: {4242} & set(ids))

    assert 'href="/matches/4242/"' in text(member_client.get(f"/stock/{item.pk}/"))


def test_an_items_page_takes_the_same_queries_for_25_ledger_rows(
    member_client, item, member, django_assert_max_num_queries
):
    for quantity in range(13, 38):
        member_client.post(f"/stock/{item.pk}/", {"quantity": quantity})

    with django_assert_max_num_queries(9):
        response = member_client.get(f"/stock/{item.pk}/")

    assert len(response.context["movements"]) == 26


# Import


CSV_GOOD = "número de parte;cantidad;ubicación\nSKF 6205-2RSH;7;E3-B2\n6205-2RSR;3;NUEVO-1\n"
CSV_BAD = "número de parte;cantidad;ubicación\n6205-2RSR;3;NUEVO-1\nNO-EXISTE;2;X\n6205-2RSR;muchos;Y\n"


def upload(content: str, name="almacen.csv"):
    file = io.BytesIO(content.encode("utf-8"))
    file.name = name
    return file


def test_an_import_with_a_bad_row_shows_that_rows_error_and_imports_nothing(member_client, item, plant):
    response = member_client.post("/stock/import/", {"file": upload(CSV_BAD)})

    assert response.status_code == 200
    page = text(response)
    assert "no se cargó nada" in page.lower()
    assert [error.line for error in response.context["report"].errors] == [3, 4]
    assert "NO-EXISTE" in page
    assert response.context["confirm"] is None
    assert StockItem.objects.filter(plant=plant).count() == 1
    item.refresh_from_db()
    assert item.quantity == 12
    assert default_storage.listdir("stock-imports")[1] == []


def test_confirm_imports_what_was_previewed(member_client, item, plant, member):
    preview = member_client.post("/stock/import/", {"file": upload(CSV_GOOD)})
    assert preview.context["report"].counts["created"] == 1
    assert preview.context["report"].counts["updated"] == 1
    token = preview.context["confirm"]["token"].value()
    item.refresh_from_db()
    assert item.quantity == 12  # the preview wrote nothing

    response = member_client.post("/stock/import/confirm/", {"token": token})

    assert response["Location"] == "/stock/"
    item.refresh_from_db()
    assert item.quantity == 7
    assert StockItem.objects.get(plant=plant, location="NUEVO-1").quantity == 3
    assert item.movements.latest("at").user == member


def test_a_preview_confirms_once(member_client, item):
    preview = member_client.post("/stock/import/", {"file": upload(CSV_GOOD)})
    token = preview.context["confirm"]["token"].value()

    member_client.post("/stock/import/confirm/", {"token": token})
    again = member_client.post("/stock/import/confirm/", {"token": token}, follow=True)

    assert "Suba el archivo otra vez" in text(again)
    assert item.movements.filter(reason=StockMovement.Reason.IMPORT).count() == 1


def test_anothers_preview_cannot_be_confirmed(member_client, other_client, item):
    preview = member_client.post("/stock/import/", {"file": upload(CSV_GOOD)})
    token = preview.context["confirm"]["token"].value()

    other_client.post("/stock/import/confirm/", {"token": token})

    item.refresh_from_db()
    assert item.quantity == 12


def test_a_file_that_is_not_a_spreadsheet_is_a_field_error(member_client):
    response = member_client.post("/stock/import/", {"file": upload("\x00\x01\x02binario", name="foto.jpg")})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_an_import_without_a_file_is_a_field_error(member_client):
    response = member_client.post("/stock/import/", {})

    assert response.context["form"].errors["file"] == ["Elija el archivo que desea cargar."]


def test_the_import_page_offers_the_template(member_client):
    page = text(member_client.get("/stock/import/"))

    assert 'href="/api/stock/template/?format=xlsx"' in page
    assert member_client.get("/api/stock/template/?format=xlsx").status_code == 200


def test_create_parts_adds_unknown_numbers_named_in_the_file(member_client, plant):
    content = "número de parte;cantidad;nombre\nNUEVA-1;2;Buje de bronce\n"
    preview = member_client.post("/stock/import/", {"file": upload(content), "create_parts": "on"})
    token = preview.context["confirm"]["token"].value()

    member_client.post("/stock/import/confirm/", {"token": token})

    assert StockItem.objects.get(plant=plant).part.name == "Buje de bronce"


# Labels


def test_labels_carry_a_qr_code_of_each_items_absolute_address(member_client, item):
    response = member_client.get("/stock/labels/")

    url = f"http://testserver/stock/{item.pk}/"
    assert qr_svg(url) in text(response)
    assert url in text(response)
    assert "E3-B2" in text(response) and "FAG 6205-2RSR" in text(response)


def test_the_qr_helper_encodes_exactly_the_address(item):
    import segno

    url = f"http://testserver/stock/{item.pk}/"

    assert qr_svg(url) == segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, title=None
    )
    assert qr_svg(url) != qr_svg(url + "x")


def test_labels_of_the_ticked_items_or_the_search(member_client, item, plant):
    other = stock_item(plant=plant, part=PartFactory(name="Correa en V"), location="F1")

    ticked = text(member_client.get("/stock/labels/", {"item": [other.pk]}))
    searched = text(member_client.get("/stock/labels/", {"q": "6205-2RSR"}))

    assert "Correa en V" in ticked and "E3-B2" not in ticked
    assert "E3-B2" in searched and "Correa en V" not in searched


def test_labels_never_show_another_plants_items(other_client, item):
    page = text(other_client.get("/stock/labels/", {"item": [item.pk]}))

    assert "E3-B2" not in page


def test_labels_take_the_same_queries_for_24_items(member_client, plant, django_assert_max_num_queries):
    for index in range(24):
        stock_item(plant=plant, part=PartFactory(), location=f"B{index:02}")

    with django_assert_max_num_queries(7):
        response = member_client.get("/stock/labels/")

    assert len(response.context["labels"]) == 24


def test_the_store_is_in_the_navigation(member_client):
    assert 'href="/stock/" aria-current="page"' in text(member_client.get("/stock/"))


def test_a_plantless_user_is_told_so(plantless_user):
    response = signed_in(plantless_user).get("/stock/")

    assert response.status_code == 200
    assert Part.objects.count() == 0
