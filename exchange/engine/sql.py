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


def update_by_key(model, names, rows) -> tuple[str, list]:
    """One UPDATE of the fields `names` in several rows, each (primary key, *values of `names`).

    As bulk_update, without its CASE of one WHEN a row for every field, which Django takes long to
    build and PostgreSQL to run (each row compared with every WHEN): the rows are joined in as a
    table instead, arrays unnested on PostgreSQL as in insert_returning_ids, VALUES elsewhere."""
    key = model._meta.pk
    given = [model._meta.get_field(name) for name in names]
    prepared = [
        [key.get_db_prep_save(row[0], connection)]
        + [field.get_db_prep_save(value, connection) for field, value in zip(given, row[1:], strict=True)]
        for row in rows
    ]
    quote, table = connection.ops.quote_name, connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        types = [key.rel_db_type(connection), *(field.db_type(connection) for field in given)]
        arrays = ", ".join(f"%s::{column_type.split('(')[0]}[]" for column_type in types)
        names_in_source = [f"v{index}" for index in range(len(types))]
        source = f"UNNEST({arrays}) AS v({', '.join(names_in_source)})"
        parameters = list(map(list, zip(*prepared, strict=True)))
    else:
        source = "(VALUES " + ", ".join([f"({placeholders(range(len(given) + 1))})"] * len(rows)) + ") AS v"
        names_in_source = [f"column{index + 1}" for index in range(len(given) + 1)]
        parameters = [value for row in prepared for value in row]
    assignments = ", ".join(
        f"{quote(field.column)} = v.{name}" for field, name in zip(given, names_in_source[1:], strict=True)
    )
    return (
        f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{quote(key.column)} = v.{names_in_source[0]}",
        (parameters),
    )
