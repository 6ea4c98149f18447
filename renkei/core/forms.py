"""What every form page shares."""


def posted(request):
    """The data a form is bound to: the POST's, an empty POST included (which is then checked and
    refused with messages), or None when the page is only shown."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def status_of(*forms) -> int:
    """400 when a submitted form was refused, else 200: invalid input answers 400 everywhere."""
    return 400 if any(form.errors for form in forms) else 200


class InvalidIs400:
    """For class-based form views (Django's sign-in and password pages): a refused form is a 400."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
