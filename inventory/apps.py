from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        from .accounts import end_tokens_when_password_changes
        from .models import PartNumber
        from .selectors import forget_known_brands

        pre_save.connect(
            end_tokens_when_password_changes, sender=settings.AUTH_USER_MODEL, dispatch_uid="end_tokens_on_password"
        )
        # The lookup of a written number recognises the brands of the catalogue's numbers (cached).
        post_save.connect(forget_known_brands, sender=PartNumber, dispatch_uid="forget_brands_on_save")
        post_delete.connect(forget_known_brands, sender=PartNumber, dispatch_uid="forget_brands_on_delete")
