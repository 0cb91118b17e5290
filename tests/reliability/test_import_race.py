import threading
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from bench.invariants import invariant_violations
from inventory.models import StockItem
from tests.conftest import client_for, requires_postgres
from tests.factories import MembershipFactory, PartFactory, PlantFactory

IMPORTERS = 12


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_racing_imports_creating_the_same_item_each_succeed_or_conflict():
    # given a plant with no stock of a catalogued bearing, and members who all load the same count of it
    plant = PlantFactory()
    PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS")])
    members = [MembershipFactory(plant=plant).user for _ in range(IMPORTERS)]
    barrier = threading.Barrier(IMPORTERS)
    statuses, lock = [], threading.Lock()

    def load(user):
        try:
            upload = SimpleUploadedFile("stock.csv", b"part number,quantity\n6205-2RS,7\n", "text/csv")
            client = client_for(user)
            client.raise_request_exception = False
            barrier.wait(timeout=30)
            status = client.post(
                "/api/stock/import/", {"file": upload, "plant": plant.pk}, format="multipart"
            ).status_code
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    # when they all load it at the same instant
    threads = [threading.Thread(target=load, args=(user,)) for user in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then each import succeeded or lost the race with a 409, and the store holds the count once
    assert set(Counter(statuses)) <= {200, 409}, Counter(statuses)
    assert len(statuses) == IMPORTERS
    item = StockItem.objects.get(plant=plant)
    assert item.quantity == 7
    assert sum(item.movements.values_list("delta", flat=True)) == 7
    assert invariant_violations() == []
