"""A form sent twice creates one thing (web/once.py)."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from exchange.models import PartRequest
from exchange.services import part_request_create
from tests.conftest import requires_postgres
from tests.racing import all_at_once
from web.models import FormSubmission
from web.once import create_once


def post_shortage(plant, user, key, **fields):
    def create():
        part_request = part_request_create(
            plant=plant, user=user, description="Rodamiento del molino", quantity=2, **fields
        )
        return f"/requests/{part_request.pk}/"

    return create_once(key=key, user=user, create=create)


def test_the_same_key_sent_again_returns_the_first_result_and_creates_nothing(plant, member):
    key = uuid.uuid4()

    first = post_shortage(plant, member, key)
    second = post_shortage(plant, member, key)

    assert first == second == f"/requests/{PartRequest.objects.get().pk}/"
    assert PartRequest.objects.count() == 1
    assert FormSubmission.objects.get().url == first


def test_a_new_key_creates_a_new_thing(plant, member):
    post_shortage(plant, member, uuid.uuid4())
    post_shortage(plant, member, uuid.uuid4())

    assert PartRequest.objects.count() == 2


def test_a_refused_submission_leaves_its_key_free_for_the_corrected_form(plant, member):
    key = uuid.uuid4()

    with pytest.raises(ValidationError):
        post_shortage(plant, member, key, it_grade=40)
    assert not FormSubmission.objects.exists()

    post_shortage(plant, member, key)
    assert PartRequest.objects.count() == 1


def test_another_users_key_is_not_theirs_to_reuse(plant, member, several_member):
    key = uuid.uuid4()
    post_shortage(plant, member, key)

    with pytest.raises(IntegrityError):
        post_shortage(plant, several_member, key)
    assert PartRequest.objects.count() == 1


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_tap_racing_on_postgresql_creates_one_thing(plant, member):
    key = uuid.uuid4()
    taps = 8
    results = all_at_once([lambda: post_shortage(plant, member, key)] * taps)
    answers = [result for result in results if not isinstance(result, Exception)]
    errors = [result for result in results if isinstance(result, Exception)]

    assert errors == []
    assert PartRequest.objects.count() == 1
    assert set(answers) == {f"/requests/{PartRequest.objects.get().pk}/"}
