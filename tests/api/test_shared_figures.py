"""/api/stats/ and the dashboard share their figures for FIGURES_CACHE_SECONDS, and say when they were computed."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tests.factories import MatchFactory


@pytest.fixture
def shared_figures(settings):
    settings.FIGURES_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def test_stats_say_when_they_were_computed_and_are_shared_until_they_expire(world, shared_figures):
    admin = world.client("admin")
    first = admin.get("/api/stats/").json()
    proposed = first["matches_by_status"]["proposed"]

    MatchFactory()
    again = admin.get("/api/stats/").json()
    cache.clear()
    fresh = admin.get("/api/stats/").json()

    assert abs(timezone.now() - parse_datetime(first["computed_at"])) < timedelta(seconds=5)
    assert again == first
    assert fresh["matches_by_status"]["proposed"] == proposed + 1
    assert parse_datetime(fresh["computed_at"]) >= parse_datetime(first["computed_at"])


def test_stats_without_sharing_are_exact_after_every_write(world):
    admin = world.client("admin")
    proposed = admin.get("/api/stats/").json()["matches_by_status"]["proposed"]

    MatchFactory()

    assert admin.get("/api/stats/").json()["matches_by_status"]["proposed"] == proposed + 1


def test_dashboard_says_how_old_its_figures_are(admin_client, shared_figures):
    admin_client.get(reverse("admin:exchange_dashboard"))
    MatchFactory()

    response = admin_client.get(reverse("admin:exchange_dashboard"), headers={"accept-language": "es"})

    assert response.context["proposals_awaiting_review"] == 0
    page = response.content.decode()
    computed_at = timezone.localtime(response.context["figures_computed_at"]).strftime("%H:%M:%S")
    assert f"Cifras de las {computed_at}" in page
