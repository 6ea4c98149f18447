"""削除したもの: what was deleted in the last TRASH_DAYS days, and putting it back (元に戻す)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core import trash
from renkei.core.access import SECRETARIAT, access
from renkei.core.models import TrashedItem
from renkei.core.pagination import paginate


def _listing(request, *, error: str = ""):
    page = paginate(request, trash.restorable().select_related("deleted_by").defer("records", "files"), 50)
    for item in page:
        item.kept_until = trash.kept_until(item)
    return render(request, "secretariat/trash.html", {"page": page, "days": trash.days(), "error": error},
                  status=400 if error else 200)


@access(SECRETARIAT)
@require_safe
def trash_list(request):
    return _listing(request)


@access(SECRETARIAT)
@require_POST
def trash_restore(request, pk: int):
    item = get_object_or_404(TrashedItem.objects.defer("records"), pk=pk)
    label = str(item)
    try:
        trash.restore(TrashedItem.objects.get(pk=pk), actor=request.user)
    except trash.TrashError as error:
        return _listing(request, error=str(error))
    messages.success(request, f"{label}を元に戻しました。")
    return redirect("secretariat:trash")
