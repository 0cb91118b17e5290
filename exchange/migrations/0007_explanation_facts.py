"""Explanations stored as sentences become their facts, so that each reader reads them in their language.

A stock match gains whether it is the requester's own store, the units it covers and those
needed; a workshop match the processes of its capabilities; an offer the plant that made it.
An explanation whose facts cannot be told keeps its sentence, and is shown as it was written.
"""

from django.db import migrations

STOCK_FITS = {"same_part", "cross_reference"}


def facts_of(match, processes_by_capability):
    explanation = dict(match.explanation)
    fit = explanation.get("fit")
    if fit in STOCK_FITS:
        explanation |= {
            "own_store": match.source_plant_id == match.request.plant_id,
            "units": match.quantity,
            "needed": max(match.request.quantity - match.request.quantity_fulfilled, 1),
        }
    elif fit == "fabrication":
        capability_ids = explanation.get("capabilities", [])
        if not all(capability_id in processes_by_capability for capability_id in capability_ids):
            return None
        explanation["processes"] = [processes_by_capability[capability_id] for capability_id in capability_ids]
    elif fit is None and match.origin == "offer":
        explanation |= {"fit": "offer", "offered_by": match.source_plant.name}
    else:
        return None
    explanation.pop("summary", None)
    return explanation


def explanations_to_facts(apps, schema_editor):
    Match = apps.get_model("exchange", "Match")
    Capability = apps.get_model("inventory", "Capability")
    processes_by_capability = dict(Capability.objects.values_list("id", "process"))
    changed = []
    for match in Match.objects.select_related("request", "source_plant").filter(explanation__has_key="summary"):
        explanation = facts_of(match, processes_by_capability)
        if explanation is not None:
            match.explanation = explanation
            changed.append(match)
    Match.objects.bulk_update(changed, ["explanation"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0006_receipt_in_transit"),
        ("inventory", "0006_profile"),
    ]

    # Backwards, the facts stay: every reader of the older code read the sentence only, which is then blank.
    operations = [migrations.RunPython(explanations_to_facts, migrations.RunPython.noop)]
