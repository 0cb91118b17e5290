"""Announcements from inventory to the apps that build on it.

inventory knows nothing of exchange, yet a new or grown stock item or a new
capability may serve open shortages, and a stock item that holds fewer units or
a capability that changed may no longer serve what it was proposed for. The
inventory services send these signals after their transaction commits (but
capability_deleting, sent inside it); exchange listens (see exchange/apps.py),
re-matches what they could serve and refreshes what names them.
"""

from django.dispatch import Signal

# Sent with stock_item_id when units became available (a new item, a count up, a release).
stock_available = Signal()
# Sent with stock_item_ids when their available units fell (a count down, an adjustment, a reservation)
# or they stopped being exchangeable.
stock_fell = Signal()
# Sent with capability_id and plant_id when a capability was created, changed or deleted.
capability_changed = Signal()
# Sent with capability_id inside the transaction that deletes it, before the deletion: what names it
# and can go goes first.
capability_deleting = Signal()
# Sent with interchange_id when an interchange started or stopped counting for matching (approved, or
# rejected after it had been approved).
interchange_changed = Signal()
