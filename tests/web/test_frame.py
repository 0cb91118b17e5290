"""What every page shares: compressed HTML, static files served, a viewport, no inline script or style."""

import re

import pytest

PAGES = ["/", "/login/", "/plant/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_phone_and_a_strict_content_security_policy(several_client, path):
    page = several_client.get(path, follow=True).content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"


def test_pages_are_compressed_for_browsers_that_ask(member_client):
    page = member_client.get("/", HTTP_ACCEPT_ENCODING="gzip")

    assert page["Content-Encoding"] == "gzip"


def test_the_stylesheet_is_served_by_the_application(client):
    response = client.get("/static/web/site.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
