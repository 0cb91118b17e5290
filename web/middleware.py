from django.middleware.gzip import GZipMiddleware


class PageGZipMiddleware(GZipMiddleware):
    """Compresses HTML pages, which plant staff load on 3G; leaves the API's JSON to its clients' choice.

    Django masks the CSRF token anew in every response and, since 4.2, pads each gzipped body at random,
    its mitigation of BREACH; no other secret is written into a page.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
