"""Public evaluation of the matching engine on the scenarios in tests/data/scenarios.json.

Loads the small world through the services, posts each shortage, runs the
engine and prints top-1 and top-3 accuracy and the number of infeasible
proposals. Run:  python bench/evaluate_matching.py  (uses DATABASE_URL, default a
throw-away SQLite file).
"""

import json
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "data" / "scenarios.json"


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
    for item in data["stock"]:
        inventory_services.stock_item_create(
            plant=plants[item["plant"]],
            part=parts[item["part"]],
            quantity=item["quantity"],
            condition=item["condition"],
            exchangeable=item["exchangeable"],
            user=system,
        )
    for item in data["capabilities"]:
        fields = {k: v for k, v in item.items() if k not in {"plant", "materials"}}
        inventory_services.capability_create(
            plant=plants[item["plant"]], materials=[materials[key] for key in item["materials"]], user=system, **fields
        )
    for plant in plants.values():
        inventory_services.membership_create(member=user, plant=plant, user=system)
    return plants, parts


def evaluate(data=None):
    """Post every shortage and compare the engine's ranking with the expected first source."""
    from django.contrib.auth import get_user_model

    from exchange import engine, services
    from exchange.models import Match

    data = data or json.loads(SCENARIOS.read_text())
    user, _ = get_user_model().objects.get_or_create(username="evaluator")
    plants, parts = load_world(data, user)
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
        ranked = list(Match.objects.filter(request=part_request).select_related("stock_item").order_by("-score", "id"))
        expected = shortage["expect_first"]

        def is_expected(match, expected=expected):
            return (
                match.source == expected["source"]
                and match.source_plant_id == plants[expected["plant"]].pk
                and ("condition" not in expected or match.stock_item.condition == expected["condition"])
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

    with transaction.atomic():
        results = evaluate()
        transaction.set_rollback(True)
    for result in results:
        mark = "ok " if result["top1"] else "MISS"
        print(f"{mark} {result['key']}: infeasible={result['infeasible']}  {result['first']}")
    print(f"top-1: {sum(r['top1'] for r in results)}/{len(results)}")
    print(f"top-3: {sum(r['top3'] for r in results)}/{len(results)}")
    print(f"infeasible proposals: {sum(r['infeasible'] for r in results)}")


if __name__ == "__main__":
    main()
