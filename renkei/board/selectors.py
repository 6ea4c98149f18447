"""Reading the board: what members may see of it, searched and listed."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from renkei.board import search as index
from renkei.board.models import Post, Thread
from renkei.municipalities.codes import is_valid_prefecture_code


def visible_posts() -> QuerySet[Post]:
    """Posts members may read (Post.objects.visible: the one rule)."""
    return Post.objects.visible()


def search(*, query: str = "", category=None, type: str = "", prefecture: str = "", organization: str = "",
           since: dt.date | None = None, open_calls: bool = False) -> QuerySet[Post]:
    """Visible posts containing every term of the query, narrowed by the search form's filters,
    newest first."""
    posts = visible_posts()
    if query:
        posts = index.matching(posts, query)
    if category:
        posts = posts.filter(thread__category=category)
    if type:
        posts = posts.filter(thread__type=type)
    if prefecture and is_valid_prefecture_code(prefecture):
        posts = posts.filter(organization__code__startswith=prefecture)
    if organization:
        posts = posts.filter(organization_id=organization)
    if since:
        posts = posts.filter(created_at__date__gte=since)
    if open_calls:
        posts = posts.filter(thread__type=Thread.Type.CALL, thread__deadline__gte=timezone.localdate())
    return posts.select_related("thread__category", "organization__prefecture").order_by("-id")


def new_posts(*, since: dt.datetime, reader) -> QuerySet[Post]:
    """Visible posts since a moment, others' only, newest first (「新着」)."""
    return (visible_posts().filter(created_at__gt=since).exclude(author=reader)
            .select_related("thread__category", "organization__prefecture").order_by("-created_at"))
