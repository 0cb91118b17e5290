"""Reads of the inventory: lookups by normalized number and permission-narrowed querysets."""

from django.db.models import Q

from .models import Membership, Part, PartNumber, Plant
from .normalization import normalize_code


def part_find_by_number(text: str) -> Part | None:
    """The catalogue part a number names, as a person would write it.

    Tries the whole text first ("6205-2RS"), then the text without its first
    word taken as a brand ("FAG 6205-2RSR"), preferring a part listed under
    that brand.
    """
    text = (text or "").strip()
    normalized = normalize_code(text)
    if not normalized:
        return None
    numbers = list(PartNumber.objects.filter(normalized=normalized).order_by("part_id").values_list("part_id", flat=True)[:1])
    if numbers:
        return Part.objects.get(pk=numbers[0])
    brand, _, rest = text.partition(" ")
    rest_normalized = normalize_code(rest)
    if not rest_normalized:
        return None
    candidates = list(
        PartNumber.objects.filter(normalized=rest_normalized).order_by("part_id").values_list("part_id", "brand")
    )
    if not candidates:
        return None
    brand_normalized = normalize_code(brand)
    same_brand = [part_id for part_id, number_brand in candidates if normalize_code(number_brand) == brand_normalized]
    return Part.objects.get(pk=(same_brand or [candidates[0][0]])[0])


def interchangeable_parts(part_id: int, field: str = "part_id") -> Q:
    """A filter for the part and every part sharing one of its normalized numbers (the cross-references)."""
    normalized = PartNumber.objects.filter(part_id=part_id).values("normalized")
    sharing = PartNumber.objects.filter(normalized__in=normalized).values("part_id")
    return Q(**{field: part_id}) | Q(**{f"{field}__in": sharing})


def plant_ids_for_user(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("plant_id", flat=True))


def managed_plant_ids_for_user(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, role=Membership.Role.MANAGER).values_list("plant_id", flat=True)
    )


def user_is_member(user, plant: Plant | int) -> bool:
    plant_id = plant if isinstance(plant, int) else plant.pk
    return bool(user and user.is_authenticated and Membership.objects.filter(user=user, plant_id=plant_id).exists())
