from django.utils.functional import SimpleLazyObject


def disaster_banner(request):
    """The disasters whose HQ is set up (not drills): every public page names them at the top."""
    from renkei.disasters.models import Disaster

    return {"active_disasters": SimpleLazyObject(
        lambda: list(Disaster.objects.public().active().order_by("-activated_at").only("pk", "name")))}
