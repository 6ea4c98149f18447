"""Reading 連携マッチング for the public: only wishes a body marked public and still open, and
nothing of who wrote them."""

from renkei.matching.models import Wish


def public_wishes():
    return (Wish.objects.open().filter(is_public=True).select_related("body__prefecture", "kind")
            .prefetch_related("offers", "seeks", "forms").order_by("body_id", "-updated_at", "-pk"))


def as_row(wish: Wish) -> dict:
    """A public wish as the API and the open data give it (no staff names)."""
    return {"id": wish.pk, "code": wish.body_id, "name": wish.body.full_name, "title": wish.title,
            "kind": wish.kind.name, "offers": [f.name for f in wish.offers.all()],
            "seeks": [f.name for f in wish.seeks.all()], "forms": [f.name for f in wish.forms.all()],
            "regions": wish.region_names, "sizes": wish.size_names, "starts_on": wish.starts_on,
            "ends_on": wish.ends_on, "text": wish.text, "updated_on": wish.updated_at.date()}
