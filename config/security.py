"""The Content-Security-Policy of every response (settings.CONTENT_SECURITY_POLICY), relaxed for styles only
where pages that the project does not write need inline styles: the Django admin, the browsable API and its
Swagger docs. Scripts stay strict everywhere."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware

INLINE_STYLE_PREFIXES = ("/admin/", "/api/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.update is None and request.path.startswith(INLINE_STYLE_PREFIXES):
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts
