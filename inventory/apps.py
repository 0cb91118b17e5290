from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        from .accounts import end_tokens_when_password_changes

        pre_save.connect(
            end_tokens_when_password_changes, sender=settings.AUTH_USER_MODEL, dispatch_uid="end_tokens_on_password"
        )
