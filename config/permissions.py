"""Who may write what through the API, decided in one place per rule.

Reads are narrowed in each viewset's get_queryset. DRF applies
has_object_permission only to objects fetched with get_object, never to
creates, so a create checks the plant it names with the require_* helpers.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from inventory.selectors import managed_plant_ids_for_user, plant_ids_for_user

NOT_A_MEMBER = _("You do not act for this plant.")
NOT_A_MANAGER = _("Only administrators and the plant's managers may manage its members.")


def acts_for_plant(user, plant_id) -> bool:
    return user.is_staff or plant_id in plant_ids_for_user(user)


def manages_plant(user, plant_id) -> bool:
    return user.is_staff or plant_id in managed_plant_ids_for_user(user)


def require_plant_member(user, plant_id) -> None:
    if not acts_for_plant(user, plant_id):
        raise PermissionDenied(NOT_A_MEMBER)


def require_plant_manager(user, plant_id) -> None:
    if not manages_plant(user, plant_id):
        raise PermissionDenied(NOT_A_MANAGER)


class IsAdminOrReadOnly(IsAuthenticated):
    """Any authenticated user reads; only administrators write."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and (request.method in SAFE_METHODS or request.user.is_staff)


class CatalogueWrites(IsAuthenticated):
    """Any member of a plant adds a part; only administrators edit the shared catalogue."""

    message = _("Members of a plant add parts; only administrators edit them.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or request.user.is_staff:
            return True
        return request.method == "POST" and bool(plant_ids_for_user(request.user))


class PlantMembersWrite(IsAuthenticated):
    """Changing an object that belongs to a plant (its stock, its workshop) needs membership of that plant."""

    message = NOT_A_MEMBER

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or acts_for_plant(request.user, obj.plant_id)


class PlantManagersWrite(IsAuthenticated):
    message = NOT_A_MANAGER

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or manages_plant(request.user, obj.plant_id)
