"""exchange.engine.run: a run of the engine on the database, through the services that feed it."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchange import engine, services
from exchange.engine import reads, run
from exchange.models import Criticality, Match
from inventory import services as inventory_services
from inventory.access import SYSTEM
from inventory.models import Capability, Material
from tests.factories import (
    MembershipFactory,
    PartFactory,
    PlantFactory,
    ShopFactory,
    capability,
    stock_item,
)

pytestmark = pytest.mark.django_db

MARACAIBO = {"latitude": 10.65, "longitude": -71.64}
VALENCIA = {"latitude": 10.16, "longitude": -68.0}


@pytest.fixture
def requester(plant):
    return MembershipFactory(plant=plant).user


@pytest.fixture
def steel_1045(db):
    return inventory_services.material_create(
        user=SYSTEM,
        name="Carbon steel 1045",
        family=Material.Family.CARBON_STEEL,
        designations=["AISI 1045", "C45", "1.0503"],
    )


@pytest.fixture
def steel_4140(db):
    return inventory_services.material_create(
        user=SYSTEM, name="Alloy steel 4140", family=Material.Family.ALLOY_STEEL, designations=["AISI 4140", "42CrMo4"]
    )


def post_request(plant, user, **fields):
    return services.part_request_create(plant=plant, user=user, quantity=fields.pop("quantity", 1), **fields)


def matched(part_request):
    engine.part_request_match(part_request_id=part_request.pk)
    return list(Match.objects.filter(request=part_request).order_by("-score", "id"))


def shaft_request(plant, user, material, **spec):
    fields = {
        "processes": ["turning"],
        "diameter_mm": Decimal("80"),
        "length_mm": Decimal("600"),
        "weight_kg": Decimal("24"),
        "it_grade": 8,
    } | spec
    return post_request(plant, user, description="Eje de prensa, ver plano", material=material, **fields)


def lathe(material, **limits):
    fields = {
        "max_diameter_mm": Decimal("400"),
        "max_length_mm": Decimal("2000"),
        "max_weight_kg": Decimal("500"),
        "best_it_grade": 7,
    } | limits
    return capability(process=fields.pop("process", "turning"), materials=[material], **fields)


# Hard conditions: stock


def test_stock_under_another_brands_number_is_proposed(plant, requester):
    skf = PartFactory(numbers=[("SKF", "6205-2RSH"), ("generic", "6205-2RS")])
    fag = PartFactory(numbers=[("FAG", "6205 2rs")])
    source = stock_item(part=fag, quantity=4)

    (match,) = matched(post_request(plant, requester, part=skf))

    assert (match.stock_item, match.source, match.explanation["fit"]) == (source, "stock", "cross_reference")


def test_stock_of_an_unrelated_part_is_not_proposed(plant, requester):
    wanted = PartFactory(numbers=[("SKF", "6205-2RSH")])
    stock_item(part=PartFactory(numbers=[("SKF", "6206-2RSH")]))

    assert matched(post_request(plant, requester, part=wanted)) == []


def test_a_request_by_number_with_its_brand_in_front_finds_the_stock(plant, requester):
    part = PartFactory(numbers=[("FAG", "6205-2RSR")])
    source = stock_item(part=part)

    (match,) = matched(post_request(plant, requester, number="FAG 6205-2RSR"))

    assert match.stock_item == source


def test_stock_that_is_not_exchangeable_is_never_proposed(plant, requester):
    part = PartFactory()
    stock_item(part=part, exchangeable=False)

    assert matched(post_request(plant, requester, part=part)) == []


def test_fully_reserved_stock_is_never_proposed(plant, requester):
    part = PartFactory()
    item = stock_item(part=part, quantity=3)
    inventory_services.stock_reserve(stock_item_id=item.pk, quantity=3)

    assert matched(post_request(plant, requester, part=part)) == []


def test_the_requesters_own_store_counts(plant, requester):
    part = PartFactory()
    own = stock_item(plant=plant, part=part)

    (match,) = matched(post_request(plant, requester, part=part))

    assert match.stock_item == own
    assert "own store" in match.summary


# Hard conditions: fabrication


def test_a_material_named_by_another_designation_is_the_same_material(plant, requester, steel_1045):
    shop = lathe(steel_1045).plant
    # The requester knows the steel as C45; the shop listed it as AISI 1045.
    named_c45 = Material.objects.get(designations__designation="C45")

    (match,) = matched(shaft_request(plant, requester, named_c45))

    assert (match.source, match.source_plant) == ("fabrication", shop)


def test_a_shop_for_another_material_is_not_proposed(plant, requester, steel_1045, steel_4140):
    lathe(steel_4140)

    assert matched(shaft_request(plant, requester, steel_1045)) == []


@pytest.mark.parametrize(
    ("dimension", "limit"),
    [("diameter_mm", "max_diameter_mm"), ("length_mm", "max_length_mm"), ("weight_kg", "max_weight_kg")],
)
def test_a_part_outside_the_envelope_is_not_proposed(plant, requester, steel_1045, dimension, limit):
    lathe(steel_1045, **{limit: Decimal("50")})

    assert matched(shaft_request(plant, requester, steel_1045, **{dimension: Decimal("50.5")})) == []
    assert len(matched(shaft_request(plant, requester, steel_1045, **{dimension: Decimal("50")}))) == 1


@pytest.mark.parametrize("limit", ["max_diameter_mm", "max_length_mm", "max_weight_kg"])
def test_a_part_exactly_at_a_fractional_limit_is_proposed(plant, requester, steel_1045, limit):
    # SQLite hands decimals back as floats, and the float nearest 111.8 is below it.
    lathe(steel_1045, **{limit: Decimal("111.8")})
    dimension = {"max_diameter_mm": "diameter_mm", "max_length_mm": "length_mm", "max_weight_kg": "weight_kg"}[limit]

    assert len(matched(shaft_request(plant, requester, steel_1045, **{dimension: Decimal("111.800")}))) == 1


@pytest.mark.parametrize(("part_grade", "proposed"), [(8, True), (7, True), (6, False)])
def test_an_it7_lathe_makes_it8_parts_not_it6(plant, requester, steel_1045, part_grade, proposed):
    lathe(steel_1045, best_it_grade=7)

    assert bool(matched(shaft_request(plant, requester, steel_1045, it_grade=part_grade))) is proposed


def test_a_shop_must_offer_every_process_the_part_needs(plant, requester, steel_1045):
    turning_only = lathe(steel_1045).plant
    both = ShopFactory()
    capability(plant=both, process="turning", materials=[steel_1045], best_it_grade=7)
    capability(plant=both, process="gear_cutting", materials=[steel_1045], best_it_grade=8)

    matches = matched(shaft_request(plant, requester, steel_1045, processes=["turning", "gear_cutting"]))

    assert [match.source_plant for match in matches] == [both]
    assert turning_only not in {match.source_plant for match in matches}


def test_a_request_described_only_in_words_gets_no_engine_matches(plant, requester, steel_1045):
    lathe(steel_1045)

    assert matched(post_request(plant, requester, description="Una pieza rara, ver foto")) == []


# Ranking


def test_nearer_stock_beats_farther_stock(plant, requester):
    part = PartFactory()
    far = stock_item(plant=PlantFactory(**MARACAIBO), part=part)
    near = stock_item(plant=PlantFactory(**VALENCIA), part=part)

    assert [match.stock_item for match in matched(post_request(plant, requester, part=part))] == [near, far]


def test_new_stock_beats_used_stock(plant, requester):
    part = PartFactory()
    source = PlantFactory()
    used = stock_item(plant=source, part=part, condition="used")
    new = stock_item(plant=source, part=part, condition="new")

    assert [match.stock_item for match in matched(post_request(plant, requester, part=part))] == [new, used]


# What a proposal holds


def test_a_new_proposal_is_stored_whole_with_its_first_history_entry(plant, requester, steel_1045):
    part = PartFactory(material=steel_1045, processes=["turning"], diameter_mm=Decimal("80"))
    item = stock_item(part=part, quantity=3)
    workshop = lathe(steel_1045)
    part_request = post_request(plant, requester, part=part, quantity=2)
    before = timezone.now()

    assert engine.part_request_match(part_request_id=part_request.pk) == 2

    stock, fabrication = (
        Match.objects.get(request=part_request, source=Match.Source.STOCK),
        Match.objects.get(request=part_request, source=Match.Source.FABRICATION),
    )
    assert (stock.stock_item_id, stock.capability_id, stock.source_plant_id) == (item.pk, None, item.plant_id)
    assert (fabrication.stock_item_id, fabrication.capability_id) == (None, workshop.pk)
    for match in (stock, fabrication):
        assert (match.status, match.origin, match.quantity) == (Match.Status.PROPOSED, Match.Origin.ENGINE, 2)
        assert (match.quote_price, match.quote_currency, match.usd_avoided, match.reject_reason) == (None, "", None, "")
        assert before <= match.created_at <= match.updated_at <= timezone.now()
        assert 0 < match.score <= 1 and match.summary
        ((from_status, to_status, user),) = match.history.values_list("from_status", "to_status", "user")
        assert (from_status, to_status, user) == ("", Match.Status.PROPOSED, None)
    part_request.refresh_from_db()
    assert before <= part_request.matched_at <= timezone.now()


# Idempotency


def test_running_the_engine_again_never_duplicates_a_match(plant, requester, steel_1045):
    part = PartFactory(material=steel_1045, processes=["turning"], diameter_mm=Decimal("80"))
    stock_item(part=part)
    lathe(steel_1045)
    part_request = post_request(plant, requester, part=part)

    first = matched(part_request)
    second = matched(part_request)

    assert len(first) == 2
    assert [match.pk for match in second] == [match.pk for match in first]


def test_running_again_refreshes_open_proposals(plant, requester):
    part = PartFactory()
    item = stock_item(part=part, quantity=1)
    part_request = post_request(plant, requester, part=part, quantity=5)
    (proposal,) = matched(part_request)

    inventory_services.stock_adjust(user=SYSTEM, stock_item=item, delta=4, reason="count")
    (refreshed,) = matched(part_request)

    assert (refreshed.pk, proposal.quantity, refreshed.quantity) == (proposal.pk, 1, 5)
    assert refreshed.score > proposal.score


def test_running_again_leaves_approved_and_accepted_matches_alone(plant, requester, admin_user):
    part = PartFactory()
    approved_item = stock_item(part=part, quantity=1)
    accepted_item = stock_item(part=part, quantity=1)
    part_request = post_request(plant, requester, part=part, quantity=5)
    by_item = {match.stock_item_id: match for match in matched(part_request)}
    approved = services.match_approve(match=by_item[approved_item.pk], user=admin_user)
    accepted = services.match_approve(match=by_item[accepted_item.pk], user=admin_user)
    source_member = MembershipFactory(plant=accepted_item.plant).user
    services.match_quote(match=accepted, user=source_member, price=Decimal("30"), currency="USD", lead_time_days=3)
    accepted = services.match_accept(match=accepted, user=requester)

    inventory_services.stock_adjust(user=SYSTEM, stock_item=approved_item, delta=4, reason="count")
    matched(part_request)

    approved.refresh_from_db()
    accepted.refresh_from_db()
    assert (approved.status, approved.quantity) == (Match.Status.APPROVED, 1)
    assert (accepted.status, accepted.quantity) == (Match.Status.ACCEPTED, 1)
    assert Match.objects.filter(request=part_request).count() == 2


def test_a_proposal_no_longer_feasible_is_withdrawn(plant, requester):
    part = PartFactory()
    item = stock_item(part=part)
    part_request = post_request(plant, requester, part=part)
    assert matched(part_request)

    inventory_services.stock_item_update(user=SYSTEM, stock_item=item, exchangeable=False)

    assert matched(part_request) == []


def test_running_again_keeps_a_quoted_proposal_and_its_quantity(plant, requester):
    part = PartFactory()
    quoted_item = stock_item(part=part, quantity=2)
    unquoted_item = stock_item(part=part, quantity=2)
    part_request = post_request(plant, requester, part=part, quantity=5)
    by_item = {match.stock_item_id: match for match in matched(part_request)}
    source_member = MembershipFactory(plant=quoted_item.plant).user
    quoted = services.match_quote(
        match=by_item[quoted_item.pk],
        user=source_member,
        price=Decimal("30"),
        currency="USD",
        lead_time_days=3,
        quantity=1,
    )

    inventory_services.stock_adjust(user=SYSTEM, stock_item=quoted_item, delta=3, reason="count")
    inventory_services.stock_adjust(user=SYSTEM, stock_item=unquoted_item, delta=3, reason="count")
    by_item = {match.stock_item_id: match for match in matched(part_request)}

    assert (by_item[quoted_item.pk].pk, by_item[quoted_item.pk].quantity) == (quoted.pk, 1)
    assert by_item[quoted_item.pk].score > quoted.score
    assert by_item[unquoted_item.pk].quantity == 5

    # No longer feasible: the unquoted proposal goes, the quoted one is declined with its history.
    for item in (quoted_item, unquoted_item):
        inventory_services.stock_item_update(user=SYSTEM, stock_item=item, exchangeable=False)
    assert [(match.pk, match.status) for match in matched(part_request)] == [(quoted.pk, Match.Status.DECLINED)]


def test_a_closed_request_is_not_matched(plant, requester):
    part = PartFactory()
    stock_item(part=part)
    part_request = post_request(plant, requester, part=part)
    services.part_request_cancel(part_request=part_request, user=requester)

    assert matched(part_request) == []


# Reverse matching, through the tasks (eager in tests)


def test_a_new_stock_item_is_matched_to_an_open_request(plant, requester, django_capture_on_commit_callbacks):
    part = PartFactory()
    part_request = post_request(plant, requester, part=part)

    with django_capture_on_commit_callbacks(execute=True):
        item = stock_item(part=part)

    assert list(Match.objects.filter(request=part_request).values_list("stock_item", flat=True)) == [item.pk]


@pytest.mark.parametrize("source", ["stock", "capability"])
def test_a_new_source_reaches_the_most_urgent_requests_first(
    plant, requester, steel_1045, monkeypatch, django_capture_on_commit_callbacks, source
):
    # given three open requests for the same part, the one whose production is stopped posted last
    monkeypatch.setattr(run, "REVERSE_MATCH_LIMIT", 2)
    part = PartFactory(material=steel_1045, processes=["turning"], diameter_mm=Decimal("40"))
    preventive = post_request(plant, requester, part=part, criticality=Criticality.PREVENTIVE)
    degraded = post_request(plant, requester, part=part, criticality=Criticality.DEGRADED)
    stopped = post_request(plant, requester, part=part, criticality=Criticality.PRODUCTION_STOPPED)

    # when a source appears that could serve all three, and may re-match only two of them
    with django_capture_on_commit_callbacks(execute=True):
        stock_item(part=part) if source == "stock" else lathe(steel_1045)

    # then the stopped line and the degraded one have it; the preventive one waits for the sweep
    served = set(Match.objects.values_list("request_id", flat=True))
    assert served == {stopped.pk, degraded.pk}
    assert preventive.pk not in served


def test_a_new_capability_is_matched_to_an_open_request(
    plant, requester, steel_1045, django_capture_on_commit_callbacks
):
    part_request = shaft_request(plant, requester, steel_1045)

    with django_capture_on_commit_callbacks(execute=True):
        shop = lathe(steel_1045).plant

    assert list(Match.objects.filter(request=part_request).values_list("source_plant", flat=True)) == [shop.pk]


def test_a_request_is_matched_when_it_is_posted(plant, requester, django_capture_on_commit_callbacks):
    part = PartFactory()
    item = stock_item(part=part)

    with django_capture_on_commit_callbacks(execute=True):
        part_request = post_request(plant, requester, part=part)

    assert list(Match.objects.filter(request=part_request).values_list("stock_item", flat=True)) == [item.pk]


# Cost


def world_with_candidates(count, material):
    part = PartFactory(material=material, processes=["gear_cutting", "turning"], diameter_mm=Decimal("80"))
    twin = PartFactory(numbers=[("twin", part.numbers.first().number)])
    for index in range(count):
        stock_item(part=part if index % 2 else twin)
        shop = ShopFactory()
        capability(plant=shop, process="turning", materials=[material], best_it_grade=7)
        capability(plant=shop, process="gear_cutting", materials=[material], best_it_grade=8)
    return part


@pytest.mark.parametrize("candidates", [1, 12])
def test_matching_costs_the_same_queries_whatever_the_number_of_candidates(
    plant, requester, steel_1045, candidates, django_assert_max_num_queries
):
    part_request = post_request(plant, requester, part=world_with_candidates(candidates, steel_1045))

    # A savepoint and its release (the test runs in a transaction), five reads, then the proposals,
    # their history and the stamp: one statement on PostgreSQL, three on SQLite.
    with django_assert_max_num_queries(8 if connection.vendor == "postgresql" else 10):
        engine.part_request_match(part_request_id=part_request.pk)
    # Nothing changed: the re-run reads, and writes only the request's matched_at.
    with django_assert_max_num_queries(8):
        engine.part_request_match(part_request_id=part_request.pk)

    assert Match.objects.filter(request=part_request).count() == min(2 * candidates, 10)


def proposals_of(part_request):
    return sorted(
        Match.objects.filter(request=part_request).values_list("source", "stock_item_id", "source_plant_id", "score")
    )


@pytest.mark.parametrize("requests", [2, 20])
def test_a_batch_matches_each_request_as_alone_in_constant_queries(plant, requester, steel_1045, requests):
    part = world_with_candidates(3, steel_1045)
    other = PartFactory()
    stock_item(part=other, quantity=2)
    batch = [post_request(plant, requester, part=part if index % 2 else other) for index in range(requests)]
    alone = post_request(plant, requester, part=part)
    engine.part_request_match(part_request_id=alone.pk)

    # Stock for every part in one query; one capability query per fabrication request; the proposals and
    # their first history lines in one bulk insert each (SQLite splits a bulk insert into as many batches
    # as its limit on variables requires).
    fabrication_requests = sum(1 for part_request in batch if part_request.part_id == part.pk)
    with CaptureQueriesContext(connection) as captured:
        engine.part_requests_match(part_request_ids=[part_request.pk for part_request in batch])
    statements = [query["sql"] for query in captured.captured_queries]
    inserts = [sql for sql in statements if "INSERT INTO" in sql]
    assert len(statements) - len(inserts) <= 9 + fabrication_requests
    assert {table for sql in inserts for table in re.findall(r'INSERT INTO "?(\w+)"?', sql)} == {
        "exchange_match",
        "exchange_matchstatuschange",
    }
    if connection.vendor == "postgresql":
        assert len(inserts) <= 2

    for part_request in batch:
        expected = proposals_of(alone) if part_request.part_id == part.pk else None
        found = proposals_of(part_request)
        assert found
        if expected is not None:
            assert [row[:3] for row in found] == [row[:3] for row in expected]


def capability_reads(captured):
    return [query["sql"] for query in captured.captured_queries if Capability._meta.db_table in query["sql"]]


def test_a_large_batch_reads_capabilities_once_and_proposes_what_each_request_alone_gets(
    plant, requester, steel_1045, steel_4140, monkeypatch
):
    near, far = ShopFactory(**VALENCIA), ShopFactory(**MARACAIBO)
    for shop in (near, far):
        capability(
            plant=shop, process="turning", materials=[steel_1045], max_diameter_mm=Decimal("300"), best_it_grade=7
        )
        capability(plant=shop, process="grinding", materials=[steel_1045, steel_4140], best_it_grade=5)
    capability(plant=far, process="milling", materials=[steel_4140], max_length_mm=Decimal("500"), best_it_grade=9)
    specs = [
        {"material": steel_1045, "processes": ["turning"], "diameter_mm": Decimal("80"), "it_grade": 8},
        {"material": steel_1045, "processes": ["turning"], "diameter_mm": Decimal("400")},
        {"material": steel_1045, "processes": ["grinding", "turning"], "it_grade": 6},
        {"material": steel_4140, "processes": ["turning"]},
        {"material": steel_4140, "processes": ["milling"], "length_mm": Decimal("450")},
        {"material": steel_4140, "processes": ["milling"], "length_mm": Decimal("600")},
        {"material": None, "processes": ["grinding"], "it_grade": 4},
    ]
    requests = [
        post_request(plant, requester, description=f"Pieza {index}", **spec) for index, spec in enumerate(specs)
    ]
    alone = {}
    for part_request in requests:
        engine.part_request_match(part_request_id=part_request.pk)
        alone[part_request.pk] = proposals_of(part_request)
    Match.objects.filter(request__in=requests).delete()
    monkeypatch.setattr(reads, "BATCH_WIDE_CAPABILITIES_FROM", 2)

    with CaptureQueriesContext(connection) as batch:
        engine.part_requests_match(part_request_ids=[part_request.pk for part_request in requests])

    # One read of the capabilities and one of their material links, for the seven requests.
    assert len(capability_reads(batch)) == 2
    assert {part_request.pk: proposals_of(part_request) for part_request in requests} == alone
    assert [len(alone[part_request.pk]) for part_request in requests] == [2, 0, 2, 0, 1, 0, 0]

    # The sweep reads the capabilities once for all its three batches and still proposes the same.
    Match.objects.filter(request__in=requests).delete()
    monkeypatch.setattr(run, "MATCH_BATCH", 3)
    with CaptureQueriesContext(connection) as sweep:
        engine.rematch_open_requests()

    assert len(capability_reads(sweep)) == 2
    assert {part_request.pk: proposals_of(part_request) for part_request in requests} == alone


def test_new_proposals_notify_the_requesting_plant_once_per_run(plant, requester, django_capture_on_commit_callbacks):
    from exchange.models import Notification

    part = PartFactory()
    stock_item(plant=PlantFactory(**VALENCIA), part=part, quantity=2)
    stock_item(plant=PlantFactory(**MARACAIBO), part=part, quantity=2)
    part_request = post_request(plant, requester, part=part)

    with django_capture_on_commit_callbacks(execute=True):
        engine.part_request_match(part_request_id=part_request.pk)
    with django_capture_on_commit_callbacks(execute=True):
        engine.part_request_match(part_request_id=part_request.pk)

    notifications = list(Notification.objects.filter(user=requester, request=part_request))
    assert [(n.kind, n.details) for n in notifications] == [(Notification.Kind.PROPOSED, {"count": 2})]
