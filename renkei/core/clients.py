"""Who sent a request: the address the trusted proxy saw, never one the client wrote itself.

Behind nginx every request reaches the app from the proxy's address, and the client's is the
last entry nginx appended to X-Forwarded-For (`$proxy_add_x_forwarded_for`); whatever the client
put in the header itself comes before it and is ignored. With PROXY_COUNT hops that each append,
the client is the PROXY_COUNT-th entry from the right. The header counts only when the request
came from one of TRUSTED_PROXIES: a client that reaches the app directly with a forged header is
known by its own address. The sign-in throttle (django-axes), the inquiry limit and the audit
log all ask here.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.PROXY_COUNT
    if not hops or remote not in settings.TRUSTED_PROXIES:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote  # the proxy did not say: its own address, rather than a guess
    return forwarded[-hops]
