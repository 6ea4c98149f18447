from django.utils.functional import SimpleLazyObject


def disaster_banner(request):
    """The disasters whose HQ is set up (not drills): every public page names them at the top; and
    災害モード's state as its files say it (no query), for the note that links to the light pages."""
    from renkei.disasters.models import Disaster
    from renkei.portal import disaster_mode

    return {"active_disasters": SimpleLazyObject(
        lambda: list(Disaster.objects.public().active().order_by("-activated_at").only("pk", "name"))),
        "light_mode": SimpleLazyObject(disaster_mode.state)}
