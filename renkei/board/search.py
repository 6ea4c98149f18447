"""The board's posts in the one search index (renkei.core.search), found by members only.

What members may find of a post is what they may read of it (Post.objects.visible): its text —
the thread's title for the first post, the body, the files' names — while it is visible. A hidden
or deleted post, or any post of a hidden thread, is not found; shown again, it is found again.
"""

from django.db.models import QuerySet

from renkei.core import search
from renkei.core.models import SearchDocument

KIND = "post"


def index_post(post) -> None:
    """Bring a post's document up to date with what members may find of it. Called after every
    write (signals.py)."""
    from renkei.board.models import Post

    found = Post.objects.visible().filter(pk=post.pk).values("thread__title", "created_at").first()
    if found is None:  # members may not read it: nothing of it is found
        search.hide(KIND, post.pk)
        return
    first = Post.objects.filter(thread_id=post.thread_id).order_by("created_at", "id").values_list("pk", flat=True)[:1]
    title = found["thread__title"] if post.pk in first else ""
    names = " ".join(post.attachments.order_by("id").values_list("name", flat=True))
    search.store(KIND, post.pk, title=found["thread__title"], url=post.get_absolute_url(),
                 day=found["created_at"].date(), parts=[title, post.body, names], visible_from=found["created_at"])


def unindex(post) -> None:
    """A post deleted from the database leaves the index for good."""
    search.remove(KIND, post.pk)


def matching(posts: QuerySet, query: str) -> QuerySet:
    """The posts whose text contains every term of the query, as `str.__contains__` would say."""
    documents = search.matching(SearchDocument.objects.filter(kind=KIND), query, [KIND])
    return posts.filter(pk__in=search.numbers(documents))


class PostResults(search.Newest):
    """Newest-first posts containing one term, read off the index (search.Newest), each with the
    text its snippet is cut from."""

    related = ("thread__category", "organization__prefecture")

    def __init__(self, term: str):
        super().__init__(KIND, term)

    def __getitem__(self, index):
        from renkei.board.models import Post

        if not isinstance(index, slice):
            return self[index:index + 1][0]
        documents = self.documents(index)
        posts = Post.objects.select_related(*self.related).in_bulk([int(d.key) for d in documents])
        found = []
        for document in documents:
            post = posts.get(int(document.key))
            if post is not None:
                post.search_text = document.text
                found.append(post)
        return found


def with_texts(posts) -> list:
    """Posts of a page of results, each with its indexed text (for its snippet)."""
    posts = list(posts)
    indexed = search.texts(KIND, [p.pk for p in posts])
    for post in posts:
        post.search_text = indexed.get(str(post.pk), "")
    return posts


terms, snippet, normalise = search.terms, search.snippet, search.normalise
