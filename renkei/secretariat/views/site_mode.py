"""災害モード: one switch for the public site (on, 訓練, off), and the light pages to check."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.disasters.models import Disaster
from renkei.portal import disaster_mode
from renkei.portal.models import SiteMode

DONE = {
    SiteMode.Mode.ON: "災害モードにしました。トップページと災害支援のページが軽量版になりました。",
    SiteMode.Mode.DRILL: "訓練を始めました。軽量版は公開されず、この画面から確認できます。",
    SiteMode.Mode.OFF: "通常の表示に戻しました。",
}


@access(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def disaster_mode_page(request):
    row = disaster_mode.current()
    error = ""
    if request.method == "POST":
        mode = request.POST.get("mode", "")
        if mode in SiteMode.Mode.values:
            disaster_mode.set_mode(mode=mode, actor=request.user)
            messages.success(request, DONE[mode])
            return redirect("secretariat:disaster_mode")
        error = "切り替え先（災害モード・訓練・通常）を選んでください。"
    published = disaster_mode.state()
    pages = []
    if published != SiteMode.Mode.OFF:
        shown = (Disaster.objects.active() if published == SiteMode.Mode.DRILL
                 else Disaster.objects.public().active()).order_by("-activated_at")
        pages = [("トップ", "index.html"), ("災害支援の状況", "disasters/index.html")] + [
            (d.name, f"disasters/{d.pk}/index.html") for d in shown]
    return render(request, "secretariat/disaster_mode.html", {
        "row": row, "published": published, "pages": pages, "error": error, "modes": SiteMode.Mode.choices,
        "active": list(Disaster.objects.public().active().order_by("-activated_at")),
    }, status=400 if error else 200)


@access(SECRETARIAT)
@require_safe
def disaster_mode_preview(request, language: str, page: str):
    body = disaster_mode.preview(disaster_mode.state(), language, page)
    if body is None:
        raise Http404("このページはありません。")
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
