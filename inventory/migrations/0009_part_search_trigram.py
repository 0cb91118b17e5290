"""Trigram indexes for the part search (inventory.selectors.parts_matching_text), on PostgreSQL only.

Django's icontains compares UPPER(column) LIKE UPPER(pattern): the indexes are on that expression. SQLite
has no trigram operator class and keeps scanning, which its sizes allow.
"""

from django.db import migrations

INDEXES = {
    "part_name_trgm_idx": "UPPER(name::text)",
    "part_description_trgm_idx": "UPPER(description::text)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON inventory_part USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("inventory", "0008_interchange")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
