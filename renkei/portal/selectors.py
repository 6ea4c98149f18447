"""Reading the portal where a read combines models (one model's reads are its queryset's
methods): a municipality's public page, and the PR pages most recently updated."""

from django.utils import timezone

from renkei.municipalities.models import Kind
from renkei.portal.models import Event, Profile


def local_government_page(lg, user) -> dict:
    """What a municipality's page shows beyond the reference data: its PR page (when a member),
    its relations with the wards in force today, its events, and the support it received."""
    from renkei.disasters.selectors import support_received
    from renkei.portal.services import can_edit_profile
    from renkei.registry.models import Relation

    membership = getattr(lg, "membership", None)
    is_member = membership is not None and membership.is_active
    profile = Profile.objects.prefetch_related("photos").filter(pk=lg.pk).first() if is_member else None
    today = timezone.localdate()
    relations = []
    if not lg.is_prefecture:
        # A ward's page lists its partners; a municipality's lists its wards.
        is_ward = lg.kind == Kind.SPECIAL_WARD
        mine = Relation.objects.filter(ward=lg) if is_ward else Relation.objects.filter(municipality=lg)
        relations = list(mine.in_force_on(today).select_related("ward", "municipality__prefecture", "kind")
                         .order_by("municipality__code" if is_ward else "ward__code", "started_on"))
        for relation in relations:
            relation.partner = relation.municipality if is_ward else relation.ward
    events = Event.objects.public().filter(participants=lg) | Event.objects.public().filter(organization=lg)
    return {
        "is_member": is_member,
        "profile": profile if profile and profile.has_content else None,
        "relations": relations,
        "upcoming_events": events.distinct().upcoming(today)[:10],
        "past_events": events.distinct().past(today)[:5],
        "can_edit_profile": is_member and user.is_authenticated and can_edit_profile(user, lg),
        "support_received": [] if lg.kind == Kind.SPECIAL_WARD else support_received(lg),
    }


def recently_updated_profiles(limit: int):
    """Member municipalities' PR pages, the most recently updated first, for the home page."""
    from django.db.models import Prefetch

    from renkei.portal.models import Photo

    return list(
        Profile.objects.filter(local_government__membership__is_active=True).exclude(introduction="", catchphrase="")
        .select_related("local_government__prefecture").order_by("-updated_at")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("position", "id")))[:limit]
    )
