"""A model's check constraints validated in one query.

Django's ``Model.validate_constraints`` asks the database about each ``CheckConstraint`` in a query of
its own, inside a savepoint of its own: three round trips a constraint. A shortage's seven checks made
21 of the 46 queries of a request posted through the API. The mixin asks about them all in one query
(one savepoint); the errors, their order and the constraints skipped for an excluded field are
Django's.
"""

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class ChecksInOneQuery:
    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        if not connections[using].features.supports_comparing_boolean_expr:
            return super().validate_constraints(exclude=exclude)
        errors = {}
        for model_class, constraints in self.get_constraints():
            failing = _failing_checks(self, model_class, constraints, exclude, using)
            for constraint in constraints:
                try:
                    if isinstance(constraint, CheckConstraint):
                        if constraint in failing:
                            raise ValidationError(
                                constraint.get_violation_error_message(), code=constraint.violation_error_code
                            )
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _failing_checks(instance, model_class, constraints, exclude, using) -> list[CheckConstraint]:
    """The check constraints the instance's values fail, as ``Q.check`` would answer each (Django 5.2)."""
    query = Query(None)
    against = instance._get_field_expression_map(meta=model_class._meta, exclude=exclude)
    for name, value in against.items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    checked = []
    for constraint in constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        condition = Coalesce(Q(constraint.condition), True, output_field=BooleanField())
        try:
            query.add_annotation(condition, f"_check_{len(checked)}")
        except FieldError:
            # It names an excluded field: Django skips it.
            continue
        checked.append(constraint)
    if not checked:
        return []
    connection = connections[using]
    try:
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        # Let Django ask about each in turn, and log what it logs.
        return [constraint for constraint in checked if not _passes(constraint, model_class, instance, exclude, using)]
    return [constraint for constraint, holds in zip(checked, row, strict=True) if not holds]


def _passes(constraint, model_class, instance, exclude, using) -> bool:
    try:
        constraint.validate(model_class, instance, exclude=exclude, using=using)
    except ValidationError:
        return False
    return True
