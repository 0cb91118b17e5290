"""The SQL the matching engine sends by hand, built from the models' own metadata.

The engine's hot path sends SQL instead of querysets: through the ORM, building the
statements and the model instances cost more Python time than the database took to
run them (docs/performance.md). Table names, columns and the values of the columns
the engine does not set all come from the models, so a field added to a model is
not forgotten in an INSERT here.
"""

from django.db import connection


def placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def fetch(sql, parameters) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()


def columns_from_instance(model, instance, exclude=()) -> tuple[str, list]:
    """The columns of `model` but its primary key and the fields `exclude`, and their values in `instance`
    as a save would write them (auto_now timestamps included)."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key and field.name not in exclude]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    return columns, [field.get_db_prep_save(field.pre_save(instance, add=True), connection) for field in fields]


def insert_returning_ids(model, names, rows, instance) -> tuple[str, list]:
    """One INSERT of one or more `rows`, each the values of the fields `names`; every other column
    as in `instance`. Every row gets the same value there, so this is not for a per-row default
    such as a random UUID, nor for a field with a database default (db_default).
    The statement answers the new primary keys."""
    given = [model._meta.get_field(name) for name in names]
    prepared = [
        [field.get_db_prep_save(value, connection) for field, value in zip(given, values, strict=True)]
        for values in rows
    ]
    other_columns, other_values = columns_from_instance(model, instance, exclude=names)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in given)
    if connection.vendor == "postgresql":
        # One array per column, as Django's bulk_create does here: the statement's text and its
        # number of parameters stay the same whatever the number of rows. psycopg re-parses the
        # text of every statement of more than 50 parameters, which for a sweep's 800 rows as
        # VALUES cost a fifth of the sweep. The array types drop their length, as Django's do,
        # so nothing is truncated.
        arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in given)
        source = f"SELECT *, {placeholders(other_values)} FROM UNNEST({arrays})"
        parameters = [*other_values, *map(list, zip(*prepared, strict=True))]
    else:
        source = "VALUES " + ", ".join([f"({placeholders(range(len(given) + len(other_values)))})"] * len(rows))
        parameters = [value for row in prepared for value in (*row, *other_values)]
    primary_key = connection.ops.quote_name(model._meta.pk.column)
    return (
        f"INSERT INTO {model._meta.db_table} ({columns}, {other_columns}) {source} RETURNING {primary_key}",
        parameters,
    )


def batches(model, rows) -> list[list]:
    """`rows` in batches that keep one INSERT within the database's limit of parameters (SQLite has one)."""
    size = connection.ops.bulk_batch_size(model._meta.concrete_fields, rows) or 1
    return [rows[start : start + size] for start in range(0, len(rows), size)]
