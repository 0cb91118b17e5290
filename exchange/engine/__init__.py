"""The matching engine: its rules (rules.py, pure), its reads (reads.py), its SQL (sql.py) and its runs (run.py).

Callers outside the package use the runs named here.
"""

from .run import (
    match_in_batches,
    part_request_match,
    part_requests_match,
    proposals_refresh,
    proposals_withdraw_for_capability,
    rematch_for_capability,
    rematch_for_interchange,
    rematch_for_stock_item,
    rematch_open_requests,
)

__all__ = [
    "match_in_batches",
    "part_request_match",
    "part_requests_match",
    "proposals_refresh",
    "proposals_withdraw_for_capability",
    "rematch_for_capability",
    "rematch_for_interchange",
    "rematch_for_stock_item",
    "rematch_open_requests",
]
