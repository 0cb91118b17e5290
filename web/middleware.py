from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html", "application/json", "application/vnd.oai.openapi")


class CompressionMiddleware(GZipMiddleware):
    """Compresses pages and the API's JSON, which plant staff load on slow connections.

    A response its view marks ``holds_secret`` (the API's token) is sent uncompressed: BREACH reads a
    secret out of the compressed sizes of answers that also echo the attacker's input. In pages, Django
    masks the CSRF token anew in every response and, since 4.2, pads each gzipped body at random.
    Django's GZipMiddleware turns a strong ETag weak (W/"…") when it compresses: the bytes differ, the
    content does not.
    """

    def process_response(self, request, response):
        if getattr(response, "holds_secret", False):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
