"""Public evaluations of the matching engine: tests/data/scenarios.json, and tests/data/scenarios_everyday.json.

Loads a small world through the services, posts each shortage, runs the
engine, applies the counts the shortage states after it, and prints top-1 and
top-3 accuracy and the number of infeasible proposals among the open ones.
Run:  python bench/evaluate_matching.py [--scenarios tests/data/scenarios_everyday.json]
(uses DATABASE_URL, default a throw-away SQLite file, where every step commits and
its after-commit tasks run, as in production; any other database is left as it
was, the whole evaluation rolled back, so that no after-commit task runs there).
"""

import argparse
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "data" / "scenarios.json"
EVERYDAY_SCENARIOS = ROOT / "tests" / "data" / "scenarios_everyday.json"


def load_world(data, user):
    from inventory import access
    from inventory import services as inventory_services

    # The scenarios are the operator's data, loaded as access.SYSTEM; the evaluator then posts shortages as a member.
    system = access.SYSTEM
    plants = {
        item["key"]: inventory_services.plant_create(user=system, **{k: v for k, v in item.items() if k != "key"})
        for item in data["plants"]
    }
    materials = {
        item["key"]: inventory_services.material_create(
            name=item["name"], family=item["family"], designations=item["designations"], user=system
        )
        for item in data["materials"]
    }
    parts = {}
    for item in data["parts"]:
        fields = {k: v for k, v in item.items() if k not in {"key", "numbers", "material"}}
        if "import_price_usd" in fields:
            fields["import_price_usd"] = Decimal(fields["import_price_usd"])
        parts[item["key"]] = inventory_services.part_create(
            material=materials.get(item.get("material")),
            numbers=[inventory_services.NumberSpec(n["brand"], n["number"]) for n in item["numbers"]],
            user=system,
            **fields,
        )
    stock = {}
    for index, item in enumerate(data["stock"]):
        stock_item = inventory_services.stock_item_create(
            plant=plants[item["plant"]],
            part=parts[item["part"]],
            quantity=item["quantity"],
            condition=item["condition"],
            exchangeable=item["exchangeable"],
            user=system,
        )
        if item.get("reserved"):
            # Units another plant's accepted match holds: reserved as that acceptance reserves them.
            inventory_services.stock_reserve(stock_item_id=stock_item.pk, quantity=item["reserved"])
        stock[item.get("key", index)] = stock_item
    decisions = {"approved": inventory_services.interchange_approve, "rejected": inventory_services.interchange_reject}
    for item in data.get("interchanges", []):
        interchange = inventory_services.interchange_propose(
            part=parts[item["part"]],
            substitute=parts[item["substitute"]],
            two_way=item["two_way"],
            note=item["note"],
            user=system,
        )
        if item["status"] in decisions:
            decisions[item["status"]](interchange=interchange, user=system)
    for item in data["capabilities"]:
        fields = {k: v for k, v in item.items() if k not in {"plant", "materials"}}
        inventory_services.capability_create(
            plant=plants[item["plant"]], materials=[materials[key] for key in item["materials"]], user=system, **fields
        )
    for plant in plants.values():
        inventory_services.membership_create(member=user, plant=plant, user=system)
    return plants, parts, stock


def evaluate(data=None, scenarios=SCENARIOS):
    """Post every shortage and compare the engine's ranking with the expected first source."""
    from django.contrib.auth import get_user_model

    from exchange import engine, services
    from exchange.models import Match
    from inventory import services as inventory_services

    data = data or json.loads(Path(scenarios).read_text())
    user, _ = get_user_model().objects.get_or_create(username="evaluator")
    plants, parts, stock = load_world(data, user)
    results = []
    for shortage in data["shortages"]:
        part_request = services.part_request_create(
            plant=plants[shortage["plant"]],
            user=user,
            number=shortage.get("number", ""),
            part=parts.get(shortage.get("part")),
            quantity=shortage["quantity"],
            criticality=shortage["criticality"],
        )
        engine.part_request_match(part_request_id=part_request.pk)
        # A count after the proposals, by the plant's member: what follows is the exchange's own doing.
        for step in shortage.get("after", []):
            inventory_services.stock_set_quantity(stock_item=stock[step["count"]], quantity=step["quantity"], user=user)
        ranked = list(
            Match.objects.filter(request=part_request, status=Match.Status.PROPOSED)
            .select_related("stock_item")
            .order_by("-score", "id")
        )
        expected = shortage["expect_first"]

        def is_expected(match, expected=expected):
            return (
                match.source == expected["source"]
                and match.source_plant_id == plants[expected["plant"]].pk
                and ("condition" not in expected or match.stock_item.condition == expected["condition"])
                and ("quantity" not in expected or match.quantity == expected["quantity"])
            )

        never = {plants[key].pk for key in shortage["never"]}
        results.append(
            {
                "key": shortage["key"],
                "top1": bool(ranked) and is_expected(ranked[0]),
                "top3": any(is_expected(match) for match in ranked[:3]),
                "infeasible": sum(1 for match in ranked if match.source_plant_id in never),
                "first": ranked[0].summary if ranked else None,
            }
        )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default=str(SCENARIOS), help="the evaluation's JSON file")
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/exchange-evaluation.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
        connection.close()
    call_command("migrate", verbosity=0)
    from django.db import transaction

    if connection.vendor == "sqlite":
        results = evaluate(scenarios=arguments.scenarios)
    else:
        with transaction.atomic():
            results = evaluate(scenarios=arguments.scenarios)
            transaction.set_rollback(True)
    for result in results:
        mark = "ok " if result["top1"] else "MISS"
        print(f"{mark} {result['key']}: infeasible={result['infeasible']}  {result['first']}")
    print(f"top-1: {sum(r['top1'] for r in results)}/{len(results)}")
    print(f"top-3: {sum(r['top3'] for r in results)}/{len(results)}")
    print(f"infeasible proposals: {sum(r['infeasible'] for r in results)}")


if __name__ == "__main__":
    main()
