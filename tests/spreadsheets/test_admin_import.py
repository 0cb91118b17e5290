import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.models import StockItem, StockMovement
from tests.factories import PartFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/inventory/stockitem/import/"
CSV_FORMAT = "0"


def csv_upload(content: str):
    return SimpleUploadedFile("stock.csv", content.encode("utf-8"), content_type="text/csv")


def test_admin_import_previews_then_writes_on_confirmation(admin_client, plant):
    PartFactory(numbers=[("SKF", "6205-2RS")])

    preview = admin_client.post(
        IMPORT_URL,
        {"import_file": csv_upload("número de parte,cantidad\n6205-2RS,9\n"), "format": CSV_FORMAT, "plant": plant.pk},
    )

    assert preview.status_code == 200
    assert not StockItem.objects.exists()
    confirm_form = preview.context["confirm_form"]
    confirmed = admin_client.post(
        "/admin/inventory/stockitem/process_import/",
        {name: confirm_form[name].value() for name in confirm_form.fields},
    )

    assert confirmed.status_code == 302
    item = StockItem.objects.get(plant=plant)
    assert item.quantity == 9
    assert item.movements.get().reason == StockMovement.Reason.IMPORT


def test_admin_import_shows_the_bad_rows_and_writes_nothing(admin_client, plant):
    response = admin_client.post(
        IMPORT_URL,
        {"import_file": csv_upload("part number,quantity\nNOPE,1\n"), "format": CSV_FORMAT, "plant": plant.pk},
    )

    page = response.content.decode()
    assert response.status_code == 200 and "confirm_form" not in response.context
    assert re.search(r"No part in the catalogue has the number NOPE", page)
    assert not StockItem.objects.exists()
