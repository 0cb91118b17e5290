"""The API's permission classes: DRF's shape around the one rule of inventory/access.py.

Reads are narrowed in each viewset's get_queryset. DRF applies
has_object_permission only to objects fetched with get_object, never to
creates; a create is checked by the service it calls, against the plant it
names.
"""

from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from inventory import access


class IsAdminOrReadOnly(IsAuthenticated):
    """Any authenticated user reads; only administrators write."""

    message = access.NOT_AN_ADMINISTRATOR

    def has_permission(self, request, view):
        return super().has_permission(request, view) and (
            request.method in SAFE_METHODS or access.is_administrator(request.user)
        )


class CatalogueWrites(IsAuthenticated):
    """Any member of a plant adds a part; only administrators edit the shared catalogue."""

    message = access.NOT_A_CATALOGUE_WRITER

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or access.is_administrator(request.user):
            return True
        return request.method == "POST" and access.adds_parts(request.user)


class PlantRecordsWrite(IsAuthenticated):
    """Changing a plant's records (its stock, its workshop): its members and administrators."""

    message = access.NOT_A_MEMBER

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.keeps_records_of_plant(request.user, obj.plant_id)


class PlantManagersWrite(IsAuthenticated):
    message = access.NOT_A_MANAGER

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.manages_plant(request.user, obj.plant_id)
