"""The members' bulletin board (掲示板): staff of member municipalities and wards read and write,
the secretariat moderates, the public sees nothing of it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renkei.board import search, selectors, services
from renkei.board.forms import EditForm, PreferenceForm, ReplyForm, ReportForm, SearchForm, ThreadForm
from renkei.board.models import Attachment, Category, Follow, Post, ReadMark, Thread
from renkei.core.access import BOARD, SECRETARIAT, access, allows
from renkei.core.confirm import confirmation
from renkei.core.dates import wareki_time
from renkei.core.forms import posted, posted_files, status_of
from renkei.core.pagination import paginate

POSTS_PER_PAGE = 50


def _threads(user):
    threads = Thread.objects.all() if user.is_secretariat else Thread.objects.visible()
    return threads.select_related("category", "organization__prefecture")


def _with_unread(threads, user):
    read = ReadMark.objects.filter(user=user, thread=OuterRef("pk"), read_at__gte=OuterRef("last_posted_at"))
    return threads.annotate(is_read=Exists(read))


@access(BOARD)
@require_safe
def index(request):
    pref = services.record_visit(request.user)
    threads = _threads(request.user)
    category = None
    if request.GET.get("category"):
        category = get_object_or_404(Category, slug=request.GET["category"])
        threads = threads.filter(category=category)
    kind = request.GET.get("type", "")
    if kind in Thread.Type.values:
        threads = threads.filter(type=kind)
    page = paginate(request, _with_unread(threads, request.user).order_by("-is_pinned", "-last_posted_at"), 30)
    followed = set(Follow.objects.filter(user=request.user, category__isnull=False).values_list("category_id", flat=True))
    return render(request, "board/index.html", {
        "page": page, "categories": Category.objects.all(), "category": category, "type": kind,
        "types": Thread.Type.choices, "followed_categories": followed, "previous_visit": pref.previous_visit_at,
    })


def _thread_for(user, pk: int) -> Thread:
    thread = get_object_or_404(_threads(user), pk=pk)
    return thread


@access(BOARD)
@require_safe
def thread(request, pk: int):
    item = _thread_for(request.user, pk)
    quote = None
    if request.GET.get("quote", "").isdigit():
        quote = Post.objects.visible().filter(thread=item, pk=int(request.GET["quote"])).first()
    initial = {"quote": quote.pk, "body": "> " + quote.body.replace("\n", "\n> ")[:1000] + "\n\n"} if quote else {}
    return _thread_page(request, item, ReplyForm(initial=initial))


def _thread_page(request, item: Thread, reply_form: ReplyForm, status: int = 200, last_page: bool = False):
    posts = (item.posts.select_related("author", "organization__prefecture", "quote__organization")
             .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
             .order_by("created_at", "id"))
    if last_page:
        paginator = Paginator(posts, POSTS_PER_PAGE)
        page = paginator.page(paginator.num_pages)
    else:
        page = paginate(request, posts, POSTS_PER_PAGE)
    read = ReadMark.objects.filter(user=request.user, thread=item).values_list("read_at", flat=True).first()
    if request.method in ("GET", "HEAD"):
        services.mark_read(request.user, item)
    return render(request, "board/thread.html", {
        "thread": item, "page": page, "read_at": read, "reply_form": reply_form,
        "following": Follow.objects.filter(user=request.user, thread=item).exists(),
        "categories": Category.objects.all(),
        "can_moderate": allows(SECRETARIAT, request.user),
    }, status=status)


@access(BOARD)
@require_safe
def post(request, pk: int):
    """A post's own address (used in mail): its thread, on the right page, at the post."""
    item = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    _thread_for(request.user, item.thread_id)
    before = item.thread.posts.filter(Q(created_at__lt=item.created_at) | Q(created_at=item.created_at, pk__lt=item.pk))
    number = before.count() // POSTS_PER_PAGE + 1
    return redirect(f"{reverse('board:thread', args=[item.thread_id])}?page={number}#post-{item.pk}")


@access(BOARD)
def new_thread(request):
    form = ThreadForm(posted(request), posted_files(request),
                      initial={"category": request.GET.get("category"), "type": "information"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.start_thread(author=request.user, category=data["category"], type=data["type"],
                                         title=data["title"], body=data["body"], deadline=data["deadline"],
                                         uploads=data["files"])
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "スレッドを作成しました。")
            return redirect(item)
    return render(request, "board/new_thread.html", {"form": form}, status=400 if form.errors else 200)


@access(BOARD)
@require_POST
def reply(request, pk: int):
    item = _thread_for(request.user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        quote = item.posts.filter(pk=form.cleaned_data["quote"]).first() if form.cleaned_data["quote"] else None
        try:
            new = services.reply(author=request.user, thread=item, body=form.cleaned_data["body"], quote=quote,
                                 uploads=form.cleaned_data["files"])
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            return redirect(new)
    # Shown again at its last page, where the reply form is, with what was written and why not.
    return _thread_page(request, item, form, status=400, last_page=True)


def _own_post(request, pk: int) -> Post:
    item = get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)
    _thread_for(request.user, item.thread_id)
    if not services.can_edit(request.user, item):
        raise Http404("この投稿は見つかりません。")  # someone else's: as if it did not exist
    return item


@access(BOARD)
def edit(request, pk: int):
    item = _own_post(request, pk)
    first = item.thread.posts.order_by("created_at", "id").first().pk == item.pk
    form = EditForm(posted(request), initial={"body": item.body, "title": item.thread.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(editor=request.user, post=item, body=form.cleaned_data["body"],
                               title=form.cleaned_data["title"] if first else None)
        except services.BoardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "投稿を編集しました。編集の履歴が残ります。")
            return redirect(item)
    return render(request, "board/edit.html", {"form": form, "post": item, "first": first},
                  status=400 if form.errors else 200)


@access(BOARD)
@require_safe
def history(request, pk: int):
    item = get_object_or_404(Post.objects.readable_by(request.user).select_related("thread"), pk=pk)
    return render(request, "board/history.html", {"post": item, "revisions": item.revisions.select_related("editor")})


@access(BOARD)
@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    item = _own_post(request, pk)
    if request.method == "GET":
        return confirmation(request, title="投稿を削除する",
                            what=f"「{item.thread.title}」への投稿（{wareki_time(item.created_at)}）を削除します。",
                            consequences=["本文と添付ファイルは表示されなくなり、「削除された投稿」とだけ表示されます。"],
                            action="削除する", cancel=item.get_absolute_url())
    services.delete_post(user=request.user, post=item)
    messages.success(request, "投稿を削除しました。")
    return redirect(item.thread)


@access(BOARD)
@require_safe
def attachment(request, token: str, thumbnail: bool = False):
    item = get_object_or_404(Attachment.objects.select_related("post__thread").filter(
        post__in=Post.objects.readable_by(request.user)), token=token)
    field = item.thumbnail if thumbnail else item.file
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), content_type="image/jpeg" if thumbnail else item.content_type,
                            as_attachment=not (thumbnail or item.is_image), filename=item.name)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access(BOARD)
@require_safe
def attachment_thumbnail(request, token: str):
    return attachment(request, token, thumbnail=True)


@access(BOARD)
@require_safe
def search_view(request):
    form = SearchForm(request.GET or None)
    page, query = None, ""
    if form.is_valid() and any(form.cleaned_data.values()):
        data = form.cleaned_data
        query = data["q"]
        filtered = any(v for k, v in data.items() if k != "q")
        words = search.terms(query)
        if len(words) == 1 and not filtered:
            # The common case reads the index alone: fast however many posts match.
            results = search.PostResults(words[0])
            page = paginate(request, results, 20)
            page.capped = results.capped
            page.cap = results.cap
            for item in page:
                item.snippet = search.snippet(item.search_text, query)
            params = request.GET.copy()
            params.pop("page", None)
            return render(request, "board/search.html", {"form": form, "page": page, "query": query,
                                                         "params": params.urlencode()})
        posts = selectors.search(query=query, category=data["category"], type=data["type"],
                                 prefecture=data["prefecture"], organization=data["organization"],
                                 since=data["since"], open_calls=data["open_calls"])
        page = paginate(request, posts, 20)
        page.object_list = search.with_texts(page.object_list)
        for item in page:
            item.snippet = search.snippet(item.search_text, query)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "board/search.html", {"form": form, "page": page, "query": query,
                                                 "params": params.urlencode()},
                  status=400 if form.is_bound and not form.is_valid() else 200)


@access(BOARD)
@require_safe
def new_posts(request):
    """Posts since the previous visit (or the last week), newest first."""
    pref = services.preference(request.user)
    since = pref.previous_visit_at or timezone.now() - timezone.timedelta(days=7)
    posts = selectors.new_posts(since=since, reader=request.user)
    return render(request, "board/new_posts.html", {"page": paginate(request, posts, 30), "since": since})


@access(BOARD)
@require_POST
def follow_thread(request, pk: int):
    item = _thread_for(request.user, pk)
    services.follow(request.user, thread=item, on=request.POST.get("on") == "1")
    return redirect(item)


@access(BOARD)
@require_POST
def follow_category(request, slug: str):
    category = get_object_or_404(Category, slug=slug)
    services.follow(request.user, category=category, on=request.POST.get("on") == "1")
    return redirect(f"{reverse('board:index')}?category={slug}")


@access(BOARD)
@require_POST
def answered(request, pk: int):
    item = _thread_for(request.user, pk)
    if item.type != Thread.Type.QUESTION or item.author_id != request.user.pk:
        raise Http404
    services.set_answered(user=request.user, thread=item, answered=request.POST.get("on") == "1")
    return redirect(item)


@access(BOARD)
def preferences(request):
    form = PreferenceForm(posted(request), instance=services.preference(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_preferences(user=request.user, mode=form.cleaned_data["mode"])
        messages.success(request, "通知の設定を保存しました。")
        return redirect("board:preferences")
    follows = Follow.objects.filter(user=request.user).select_related("thread", "category")
    return render(request, "board/preferences.html", {"form": form, "follows": follows}, status=status_of(form))


@access(BOARD)
def report(request, pk: int):
    item = get_object_or_404(Post.objects.select_related("thread"), pk=pk, is_deleted=False)
    _thread_for(request.user, item.thread_id)
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.report(reporter=request.user, post=item, reason=form.cleaned_data["reason"])
        messages.success(request, "通報を受け付けました。事務局が確認します。")
        return redirect(item)
    return render(request, "board/report.html", {"form": form, "post": item}, status=400 if form.errors else 200)
