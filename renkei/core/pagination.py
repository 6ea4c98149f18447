from django.core.paginator import Page, Paginator

from renkei.core.errors import NotFound


def paginate(request, queryset, per_page: int = 20) -> Page:
    """The requested page of a list; a page that is not a number or does not exist is a 404."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise NotFound(f"ページ番号「{raw[:20]}」は1以上の整数で指定してください。")
    paginator = Paginator(queryset, per_page)
    number = int(raw)
    if number > max(paginator.num_pages, 1):
        raise NotFound(f"{number}ページ目はありません（全{paginator.num_pages}ページ）。")
    return paginator.page(number)
