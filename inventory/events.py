"""Announcements from inventory to the apps that build on it.

inventory knows nothing of exchange, yet a new or grown stock item or a new
capability may serve open shortages. The inventory services send these
signals after their transaction commits; exchange listens (see
exchange/apps.py) and re-matches what they could serve.
"""

from django.dispatch import Signal

# Sent with stock_item_id when units became available (a new item, a count up, a release).
stock_available = Signal()
# Sent with capability_id when a capability was created or its limits changed.
capability_changed = Signal()
# Sent with interchange_id when an interchange started or stopped counting for matching (approved, or
# rejected after it had been approved).
interchange_changed = Signal()
