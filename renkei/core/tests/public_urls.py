"""Every public page of the URL conf, derived from it, with a sample for each parameter.

A public route added later without a sample here makes the accessibility suite fail, so no
page escapes the check.
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Routes that are not HTML pages for the public.
NOT_PAGES = ("admin/", "api/", "i18n/", "healthz")


def _sample_event():
    from renkei.portal.models import Event

    return {"pk": Event.objects.order_by("starts_on").first().pk}


def _sample_news():
    from renkei.portal.models import NewsItem

    return {"pk": NewsItem.objects.first().pk}


def _sample_disaster(name):
    from renkei.disasters.models import Disaster

    return lambda: {"pk": Disaster.objects.get(name=name).pk}


SAMPLES = {
    "portal:event_detail": [_sample_event],
    "portal:news_detail": [_sample_news],
    # One with an erratum, one with every kind of support.
    "disasters:detail": [_sample_disaster("平成29年台風21号"), _sample_disaster("東日本大震災")],
    "municipalities:prefecture": [lambda: {"prefecture_code": "13"}],
    "municipalities:detail": [lambda: {"code": "131016"}, lambda: {"code": "015814"},
                              lambda: {"code": "010006"}],
    "sources:publication": [lambda: {"slug": "zenkoku-renkei-news-vol1"}],
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else None, entry


def public_route_names() -> list[str]:
    names = []
    for route, name, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(NOT_PAGES):
            continue
        if name is None:
            raise AssertionError(f"public route {route!r} has no name")
        names.append(name)
    return sorted(set(names))


def urls_for(name: str) -> list[str]:
    """The URLs to check for a route: itself, or one per sample of its parameters."""
    try:
        return [reverse(name)]
    except Exception:
        if name not in SAMPLES:
            raise AssertionError(
                f"route {name!r} takes parameters: add a sample to SAMPLES in {__name__}"
            ) from None
        return [reverse(name, kwargs=sample()) for sample in SAMPLES[name]]
