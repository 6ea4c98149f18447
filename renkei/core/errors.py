from django.http import Http404


class NotFound(Http404):
    """A 404 whose message is meant for the reader and is shown on the error page."""
