from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Exchange")

    def ready(self):
        from inventory.events import capability_changed, interchange_changed, stock_available

        from . import tasks

        stock_available.connect(tasks.on_stock_available, dispatch_uid="exchange-stock-available")
        capability_changed.connect(tasks.on_capability_changed, dispatch_uid="exchange-capability-changed")
        interchange_changed.connect(tasks.on_interchange_changed, dispatch_uid="exchange-interchange-changed")
