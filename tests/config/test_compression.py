import gzip
import json

from django.http import JsonResponse
from django.test import RequestFactory

from tests.world import client_for
from web.middleware import CompressionMiddleware


def test_api_json_is_gzipped_for_a_client_that_accepts_it(world):
    owner = world.client("owner")

    plain = owner.get("/api/plants/")
    compressed = owner.get("/api/plants/", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    assert len(compressed.content) < len(plain.content)


def test_the_token_answer_is_never_compressed_nor_cached(world, settings):
    world.users["owner"].set_password("clave-de-prueba")
    world.users["owner"].save()

    response = client_for(None).post(
        "/api/auth/token/",
        {"username": world.users["owner"].username, "password": "clave-de-prueba"},
        format="json",
        HTTP_ACCEPT_ENCODING="gzip",
    )

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response["Cache-Control"] == "no-store"
    assert response.json()["token"]


def gzip_through_middleware(answer):
    request = RequestFactory().get("/api/", HTTP_ACCEPT_ENCODING="gzip")
    return CompressionMiddleware(lambda request: answer)(request)


def test_an_answer_marked_as_holding_a_secret_is_sent_uncompressed():
    answer = JsonResponse({"token": "f" * 64, "rows": ["repuesto"] * 100})
    answer.holds_secret = True

    assert "Content-Encoding" not in gzip_through_middleware(answer)


def test_a_compressed_answer_keeps_its_etag_as_a_weak_one():
    answer = JsonResponse({"rows": ["repuesto"] * 100})
    answer["ETag"] = '"v1"'

    response = gzip_through_middleware(answer)

    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"] == 'W/"v1"'
