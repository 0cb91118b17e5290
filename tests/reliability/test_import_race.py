from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.invariants import invariant_violations
from inventory.models import StockItem
from tests.conftest import client_for, requires_postgres
from tests.factories import MembershipFactory, PartFactory, PlantFactory
from tests.racing import all_at_once

IMPORTERS = 12


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_racing_imports_creating_the_same_item_each_succeed_or_conflict():
    # given a plant with no stock of a catalogued bearing, and members who all load the same count of it
    plant = PlantFactory()
    PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS")])
    members = [MembershipFactory(plant=plant).user for _ in range(IMPORTERS)]
    clients = [client_for(user) for user in members]
    for client in clients:
        client.raise_request_exception = False

    def load(client):
        upload = SimpleUploadedFile("stock.csv", b"part number,quantity\n6205-2RS,7\n", "text/csv")
        return client.post("/api/stock/import/", {"file": upload, "plant": plant.pk}, format="multipart")

    # when they all load it at the same instant
    answers = all_at_once([lambda client=client: load(client) for client in clients])
    statuses = [getattr(answer, "status_code", repr(answer)) for answer in answers]

    # then each import succeeded or lost the race with a 409, and the store holds the count once
    assert set(Counter(statuses)) <= {200, 409}, Counter(statuses)
    assert len(statuses) == IMPORTERS
    item = StockItem.objects.get(plant=plant)
    assert item.quantity == 7
    assert sum(item.movements.values_list("delta", flat=True)) == 7
    assert invariant_violations() == []
