"""/api/rates/: every member reads the rates, administrators enter them; `date` asks for the rate in force."""

from datetime import date, timedelta

import pytest

from exchange.models import ExchangeRate

FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("member", 200), ("shop", 200), ("admin", 200)])
def test_every_member_reads_the_rates(world, role, status):
    response = world.client(role).get("/api/rates/")

    assert response.status_code == status
    if status == 200:
        assert [row["rate"] for row in response.json()["results"]] == ["40.00000000"]


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("owner", 403), ("shop", 403), ("admin", 201)])
def test_only_administrators_enter_a_rate(world, role, status):
    response = world.client(role).post(
        "/api/rates/", {"date": "2026-11-27", "rate": "245.6712", "source": "bcv"}, format="json"
    )

    assert response.status_code == status
    assert ExchangeRate.objects.filter(date=FRIDAY).exists() == (status == 201)
    if status == 201:
        assert response.json() | {"id": 0, "created_at": ""} == {
            "id": 0,
            "date": "2026-11-27",
            "currency": "VES",
            "rate": "245.67120000",
            "source": "bcv",
            "created_by": world.users["admin"].pk,
            "created_at": "",
        }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2026-11-27", "rate": "0"}, "rate"),
        ({"date": "2026-11-27", "rate": "-3"}, "rate"),
        ({"date": "2026-11-27", "rate": "abc"}, "rate"),
        ({"date": "27 de noviembre", "rate": "245"}, "date"),
        ({"date": "2026-11-27", "rate": "245", "currency": "EUR"}, "currency"),
        ({"date": "2026-11-27", "rate": "245", "source": "rumour"}, "source"),
    ],
)
def test_a_bad_rate_is_refused_naming_the_field(world, body, field):
    response = world.client("admin").post("/api/rates/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ExchangeRate.objects.filter(date=FRIDAY).exists()


def test_a_second_rate_for_a_day_is_refused_naming_the_date(world):
    admin = world.client("admin")
    assert admin.post("/api/rates/", {"date": "2026-11-27", "rate": "245"}, format="json").status_code == 201

    response = admin.post("/api/rates/", {"date": "2026-11-27", "rate": "246", "source": "manual"}, format="json")

    assert response.status_code == 400
    assert "date" in response.json()
    assert list(ExchangeRate.objects.filter(date=FRIDAY).values_list("rate", flat=True)) == [245]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (FRIDAY, ["245.00000000"]),
        (FRIDAY + timedelta(days=1), ["245.00000000"]),  # Saturday keeps Friday's
        (FRIDAY + timedelta(days=2), ["245.00000000"]),  # and so does Sunday
        (FRIDAY + timedelta(days=3), ["246.50000000"]),
    ],
)
def test_the_date_filter_answers_the_rate_in_force_that_day(world, day, expected):
    admin = world.client("admin")
    for rate_day, rate in ((FRIDAY, "245"), (FRIDAY + timedelta(days=3), "246.5")):
        admin.post("/api/rates/", {"date": rate_day.isoformat(), "rate": rate}, format="json")

    response = world.client("member").get("/api/rates/", {"date": day.isoformat()})

    assert [row["rate"] for row in response.json()["results"]] == expected


def test_before_the_first_rate_no_rate_is_in_force(world):
    response = world.client("member").get("/api/rates/", {"date": "2000-01-03"})

    assert response.status_code == 200
    assert response.json()["results"] == []
