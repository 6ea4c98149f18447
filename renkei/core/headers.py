"""The security headers every response carries, written once: Django's responses get them from
the middleware below; the paths that answer before Django (the light pages, the overload page)
and nginx's light-page location (deploy/nginx/renkei.conf, checked by a test) use the same values.

The pages ship no script and no inline style, so the policy allows nothing but the site's own
stylesheets, images and forms. The admin's own scripts and inline styles get a wider policy, for
the secretariat only, behind its second factor.
"""

CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'")
ADMIN_CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=(), browsing-topics=()")

# For the WSGI paths before Django, beside their own X-Content-Type-Options, X-Frame-Options and
# Referrer-Policy (the values SecurityMiddleware and XFrameOptionsMiddleware give Django's).
HEADERS = (("Content-Security-Policy", CONTENT_SECURITY_POLICY), ("Permissions-Policy", PERMISSIONS_POLICY),
           ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-origin"))


class SecurityHeadersMiddleware:
    """First in MIDDLEWARE, so every response passes it: pages, errors, static files, the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path_info.startswith("/admin/")
        for name, value in HEADERS:
            if name == "Content-Security-Policy" and admin:
                value = ADMIN_CONTENT_SECURITY_POLICY
            response.headers.setdefault(name, value)
        return response
