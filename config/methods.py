"""Methods the site does not serve are a 405 before authentication: a TRACE is not a question of permission."""

from django.http import HttpResponseNotAllowed

SERVED_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]


class UnservedMethodMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SERVED_METHODS:
            return HttpResponseNotAllowed(SERVED_METHODS)
        return self.get_response(request)
