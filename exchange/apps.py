from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Exchange")

    def ready(self):
        from inventory.events import (
            capability_changed,
            capability_deleting,
            interchange_changed,
            stock_available,
            stock_fell,
        )

        from . import tasks

        stock_available.connect(tasks.on_stock_available, dispatch_uid="exchange-stock-available")
        stock_fell.connect(tasks.on_stock_fell, dispatch_uid="exchange-stock-fell")
        capability_changed.connect(tasks.on_capability_changed, dispatch_uid="exchange-capability-changed")
        capability_deleting.connect(tasks.on_capability_deleting, dispatch_uid="exchange-capability-deleting")
        interchange_changed.connect(tasks.on_interchange_changed, dispatch_uid="exchange-interchange-changed")
