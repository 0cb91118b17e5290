"""SPEC "Urgency" in SQL: stopped lines first, then degraded, then preventive; among stopped lines the
cost so far (days stopped × the cost of a day, or the days alone where no cost is given) puts the
most expensive first.

Every ordered list of requests or matches follows it: the review queue, the board, the pages, the
sweep and the notifications. PartRequest.days_stopped and downtime_cost_usd are the same figures
for one request in Python.
"""

from django.db.models import (
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from .models import Criticality

# Room for days × a day's cost: twelve digits of dollars a day times decades of days.
COST_FIELD = DecimalField(max_digits=20, decimal_places=2)


class DaysSince(Func):
    """Whole days from a date column to ``today``, on PostgreSQL (date - date) and SQLite (julianday)."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self, field: str, today):
        super().__init__(Value(today, output_field=DateField()), F(field))

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


# The two keys below write their CASE themselves: built of When(Q(...)), each condition went through the
# ORM's filter machinery at every query, and ordering by urgency cost about 1.3 ms of Python a query to
# compile (the home has three such queries); written here, a third of that, for the same SQL.


class _UrgencyRank(Func):
    """The first key: production stopped first (0), then degraded, then preventive."""

    output_field = IntegerField()

    def __init__(self, prefix: str = ""):
        super().__init__(F(f"{prefix}criticality"))

    def as_sql(self, compiler, connection, **extra):
        criticality, params = compiler.compile(self.source_expressions[0])
        ranks = " ".join(f"WHEN {criticality} = %s THEN {rank}" for rank in range(len(Criticality.values)))
        return f"CASE {ranks} ELSE NULL END", tuple(param for value in Criticality.values for param in (*params, value))


class _DaysStopped(Func):
    """Days since production stopped; null unless it is stopped since a date."""

    output_field = IntegerField()

    def __init__(self, today, prefix: str = ""):
        since = f"{prefix}stopped_since"
        super().__init__(F(f"{prefix}criticality"), F(since), Greatest(DaysSince(since, today), Value(0)))

    def as_sql(self, compiler, connection, **extra):
        (criticality, criticality_params), (since, since_params), (days, days_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return (
            f"CASE WHEN ({criticality} = %s AND {since} IS NOT NULL) THEN {days} ELSE NULL END",
            (*criticality_params, Criticality.PRODUCTION_STOPPED, *since_params, *days_params),
        )


def urgency_rank(prefix: str = "") -> _UrgencyRank:
    return _UrgencyRank(prefix)


def days_stopped(today, prefix: str = "") -> _DaysStopped:
    return _DaysStopped(today, prefix)


def downtime_cost_so_far(today, prefix: str = ""):
    """Days stopped × the cost of a day, in USD; null without both (SQL's null times anything)."""
    return ExpressionWrapper(days_stopped(today, prefix) * F(f"{prefix}downtime_usd_per_day"), output_field=COST_FIELD)


def stopped_weight(today, prefix: str = ""):
    """The second key, most expensive first: the cost so far, else the days stopped, else -1 (not stopped)."""
    return Coalesce(
        downtime_cost_so_far(today, prefix), days_stopped(today, prefix), Value(-1), output_field=COST_FIELD
    )


def by_urgency(today, prefix: str = "") -> list:
    """The order_by keys of urgency, most urgent first; callers add their own tie-breakers."""
    return [urgency_rank(prefix).asc(), stopped_weight(today, prefix).desc()]


def slice_in_urgency_order(rows: QuerySet, start: int, stop: int, *, today, tiebreak, prefix: str = "") -> list:
    """Rows ``start`` to ``stop`` of ``rows`` in urgency order (by_urgency, then ``tiebreak``), one urgency
    group at a time.

    Sorting every row on the CASE of by_urgency reads them all; each group is read in the order of an
    index instead and stops at the rows the page needs. The groups in sequence are the order exactly:
    lines stopped since a date, costliest first (stopped_weight: the one group sorted whole, and a small
    one), then other stopped lines, then degraded, then preventive, each in ``tiebreak`` order.
    """
    stopped = Criticality.PRODUCTION_STOPPED
    criticality, stopped_since = f"{prefix}criticality", f"{prefix}stopped_since__isnull"
    groups = [
        (Q(**{criticality: stopped, stopped_since: False}), (stopped_weight(today, prefix).desc(),)),
        (Q(**{criticality: stopped, stopped_since: True}), ()),
        *((Q(**{criticality: other}), ()) for other in Criticality.values if other != stopped),
    ]
    found: list = []
    skip = start
    for condition, first_keys in groups:
        wanted = stop - start - len(found)
        if not wanted:
            return found
        group = rows.filter(condition).order_by(*first_keys, *tiebreak)
        if skip:
            skipped = group.order_by()[:skip].count()
            skip -= skipped
            if skip:
                continue
            found += group[skipped : skipped + wanted]
        else:
            found += group[:wanted]
    return found
