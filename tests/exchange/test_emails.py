"""The e-mails of match events: what happened in words, in each recipient's language, with a link to the page."""

from decimal import Decimal

import pytest
from django.core import mail

from exchange import services
from exchange.models import Notification
from inventory import services as inventory_services
from tests.factories import MembershipFactory, PartFactory, PlantFactory, UserFactory, stock_item

SITE = "https://intercambio.example.org"


@pytest.fixture
def world(db, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    requester_plant = PlantFactory(name="Maquinarias Barinas", state="Barinas")
    source_plant = PlantFactory(name="Tornería Lara", state="Lara")
    part = PartFactory(name="Rodamiento 6205")
    item = stock_item(plant=source_plant, part=part, quantity=10)
    requester = MembershipFactory(plant=requester_plant).user
    source_user = MembershipFactory(plant=source_plant).user
    with django_capture_on_commit_callbacks(execute=True):
        part_request = services.part_request_create(
            plant=requester_plant, user=requester, part=part, quantity=2, criticality="production_stopped"
        )
    return {
        "requester": requester,
        "source_user": source_user,
        "admin": UserFactory(is_staff=True),
        "request": part_request,
        "match": part_request.matches.get(),
        "stock_item": item,
    }


def approve(world):
    services.match_approve(match=world["match"], user=world["admin"])


def quote(world):
    services.match_quote(
        match=world["match"], user=world["source_user"], price=Decimal("1250"), currency="USD", lead_time_days=5
    )


def accept(world):
    approve(world)
    quote(world)
    services.match_accept(match=world["match"], user=world["requester"])


def ship(world):
    accept(world)
    services.match_ship(match=world["match"], user=world["source_user"], note="Transportes Lara, guía 4471")


# event -> (steps before it, the step, who is told, the sentence in English, the sentence in Spanish)
EVENTS = {
    "approved": (
        [],
        approve,
        "requester",
        "An administrator approved Tornería Lara as a source of 2 × Rodamiento 6205 for request #{request}.",
        "Un administrador aprobó a Tornería Lara como fuente de 2 × Rodamiento 6205 para la solicitud #{request}.",
    ),
    "rejected": (
        [],
        lambda world: services.match_reject(match=world["match"], user=world["admin"], reason="Demasiado lejos"),
        "source_user",
        "An administrator rejected Tornería Lara as a source for request #{request} (Rodamiento 6205).",
        "Un administrador rechazó a Tornería Lara como fuente para la solicitud #{request} (Rodamiento 6205).",
    ),
    "quoted": (
        [approve],
        quote,
        "requester",
        "Tornería Lara quoted 1,250.00 USD, 5 days, for request #{request} (2 × Rodamiento 6205).",
        "Tornería Lara cotizó 1.250,00 USD, 5 días, para la solicitud #{request} (2 × Rodamiento 6205).",
    ),
    "accepted": (
        [approve, quote],
        lambda world: services.match_accept(match=world["match"], user=world["requester"]),
        "source_user",
        "Maquinarias Barinas accepted the quote of Tornería Lara (1,250.00 USD, 5 days) "
        "for request #{request} (2 × Rodamiento 6205).",
        "Maquinarias Barinas aceptó la cotización de Tornería Lara (1.250,00 USD, 5 días) "
        "para la solicitud #{request} (2 × Rodamiento 6205).",
    ),
    "shipped": (
        [accept],
        lambda world: services.match_ship(match=world["match"], user=world["source_user"], note="Transportes Lara"),
        "requester",
        "Tornería Lara shipped 2 × Rodamiento 6205 for request #{request}.",
        "Tornería Lara envió 2 × Rodamiento 6205 para la solicitud #{request}.",
    ),
    "fulfilled": (
        [ship],
        lambda world: services.match_fulfil(match=world["match"], user=world["requester"]),
        "source_user",
        "Maquinarias Barinas received 2 × Rodamiento 6205 from Tornería Lara for request #{request}.",
        "Maquinarias Barinas recibió 2 × Rodamiento 6205 de Tornería Lara para la solicitud #{request}.",
    ),
    "declined": (
        [approve],
        lambda world: services.match_decline(
            match=world["match"], user=world["requester"], reason="price", note="Muy caro"
        ),
        "source_user",
        "Maquinarias Barinas declined Tornería Lara as a source for request #{request} (Rodamiento 6205).",
        "Maquinarias Barinas declinó a Tornería Lara como fuente para la solicitud #{request} (Rodamiento 6205).",
    ),
    "cancelled": (
        [accept],
        lambda world: services.match_cancel(match=world["match"], user=world["requester"], note="La línea arrancó"),
        "source_user",
        "Maquinarias Barinas cancelled match #{match} from Tornería Lara for request #{request} (Rodamiento 6205).",
        "Maquinarias Barinas canceló la propuesta #{match} de Tornería Lara para la solicitud #{request} "
        "(Rodamiento 6205).",
    ),
    "offered": (
        [],
        lambda world: services.match_offer_create(
            part_request=world["request"],
            user=world["source_user"],
            stock_item=world["stock_item"],
            price=Decimal("80"),
            currency="USD",
            lead_time_days=2,
        ),
        "requester",
        "Tornería Lara offers 2 × Rodamiento 6205 for 80.00 USD, 2 days, on request #{request}; "
        "an administrator reviews it first.",
        "Tornería Lara ofrece 2 × Rodamiento 6205 por 80,00 USD, 2 días, para la solicitud #{request}; "
        "un administrador la revisa primero.",
    ),
}


def run_event(world, event, django_capture_on_commit_callbacks):
    before, step, told, *_sentences = EVENTS[event]
    for earlier in before:
        earlier(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(world)
    return world[told]


def email_to(user):
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    return message


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("event", list(EVENTS))
def test_each_event_is_told_in_words_in_the_recipients_language_with_a_link(
    world, event, language, django_capture_on_commit_callbacks
):
    # given: both sides chose the language through the switch
    for user in (world["requester"], world["source_user"]):
        inventory_services.profile_language_set(user=user, language=language)

    # when
    told = run_event(world, event, django_capture_on_commit_callbacks)

    # then
    message = email_to(told)
    english, spanish = EVENTS[event][3:]
    sentence = (english if language == "en" else spanish).format(request=world["request"].pk, match=world["match"].pk)
    assert message.body.startswith(sentence + "\n")
    assert f"{SITE}/matches/{world['match'].pk}/\n" in message.body
    assert f"{SITE}/requests/{world['request'].pk}/\n" in message.body
    assert f"#{world['request'].pk}" in message.subject or f"#{world['match'].pk}" in message.subject
    assert "is now" not in message.body and "pasó a" not in message.body


def test_each_recipient_reads_the_same_event_in_their_own_language(world, django_capture_on_commit_callbacks):
    inventory_services.profile_language_set(user=world["requester"], language="es")
    inventory_services.profile_language_set(user=world["source_user"], language="en")

    with django_capture_on_commit_callbacks(execute=True):
        approve(world)

    assert email_to(world["requester"]).subject.startswith("Propuesta #")
    assert email_to(world["requester"]).body.startswith("Un administrador aprobó")
    assert email_to(world["source_user"]).subject.startswith("Match #")
    assert email_to(world["source_user"]).body.startswith("An administrator approved")


def test_someone_who_chose_no_language_is_written_to_in_the_sites(world, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "es"

    with django_capture_on_commit_callbacks(execute=True):
        approve(world)

    assert email_to(world["requester"]).body.startswith("Un administrador aprobó")


@pytest.mark.parametrize(
    ("event", "note", "heading"),
    [
        # The reason chosen from the list comes first in the e-mail, then the note written.
        ("declined", "Price — Muy caro", "Reason"),
        ("cancelled", "La línea arrancó", "Reason"),
        ("rejected", "Demasiado lejos", "Reason"),
        ("shipped", "Transportes Lara", "Shipping note"),
    ],
)
def test_the_note_given_travels_with_the_email_and_the_notification(
    world, event, note, heading, django_capture_on_commit_callbacks
):
    told = run_event(world, event, django_capture_on_commit_callbacks)

    assert f"\n{heading}: {note}\n" in email_to(told).body
    notification = Notification.objects.select_related("request__part", "match__source_plant").get(
        user=told, kind=event
    )
    assert notification.text.endswith(f" Note: {note.removeprefix('Price — ')}")


def test_an_event_without_a_note_adds_none(world, django_capture_on_commit_callbacks):
    told = run_event(world, "approved", django_capture_on_commit_callbacks)

    assert "Reason" not in email_to(told).body
    assert "Note:" not in Notification.objects.get(user=told, kind="approved").text
