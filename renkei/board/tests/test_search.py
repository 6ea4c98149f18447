"""Search returns exactly the posts a plain substring match would, for 1, 2 and more characters."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.board import search
from renkei.board.models import Category, Post, Thread
from renkei.core.models import GramCount, SearchDocument, SearchGram
from renkei.testing import make_member, make_staff

# A small alphabet so that generated texts share many 1- and 2-character pieces.
ALPHABET = "観光客地域連携防災の町村市区産業文化アイウ ＡＢab１2𠮷"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=40)
queries = st.text(alphabet=ALPHABET.replace(" ", ""), min_size=1, max_size=5)


@pytest.fixture
def thread(db):
    make_member("015814")
    author = make_staff("015814", "search@town.atsuma.lg.jp")
    return Thread.objects.create(category=Category.objects.get(slug="tourism"), type="information", title="検索",
                                 author=author, organization=author.local_government)


def store(thread, text: str) -> Post:
    """A reply (the thread's title is the first post's): indexed as it is saved."""
    return Post.objects.create(thread=thread, author=thread.author, organization=thread.organization, body=text,
                               body_html="")


def edit(post, text: str) -> None:
    post.body = text
    post.save()


def found(query: str) -> set[int]:
    return set(search.matching(Post.objects.all(), query).values_list("pk", flat=True))


def oracle(posts, query: str) -> set[int]:
    return {p.pk for p in posts if all(t in search.normalise(p.body) for t in search.terms(query))}


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(texts, min_size=1, max_size=12), query=queries)
def test_search_equals_the_substring_oracle(thread, bodies, query):
    Post.objects.all().delete()
    posts = [store(thread, body) for body in bodies]
    assert found(query) == oracle(posts, query)


@pytest.mark.parametrize("query", ["観", "観光", "観光客", "地域連携", "ａｂ", "AB", "1", "ウ", "𠮷野", "𠮷野家"])
def test_the_named_lengths(thread, query):
    posts = [store(thread, t) for t in ("観光客が増えた", "観光の町", "観る", "地域連携の防災", "ABC商店", "ab", "アイウ 12",
                                        "𠮷野家の牛丼")]
    assert found(query) == oracle(posts, query)
    assert found(query)  # each of these occurs somewhere


def test_two_characters_across_a_space_do_not_match(thread):
    store(thread, "観 光")
    assert found("観光") == set()
    assert found("観") and found("光")


def test_several_words_must_all_occur(thread):
    both = store(thread, "観光と防災の連携")
    store(thread, "観光だけ")
    assert found("観光 防災") == {both.pk}


def test_the_index_follows_edits_and_deletes(thread):
    post = store(thread, "観光")
    edit(post, "防災")
    assert found("観光") == set() and found("防災") == {post.pk}
    post.delete()
    assert found("防災") == set() and not SearchDocument.objects.filter(kind="post", key=str(post.pk)).exists()


def kept_counts_are_true() -> bool:
    from django.db.models import Count, Sum

    actual = dict(SearchGram.objects.filter(document__kind="post").values("gram").annotate(n=Count("document_id"))
                  .values_list("gram", "n"))
    kept = {g: n for g, n in GramCount.objects.filter(kind="post").values("gram").annotate(n=Sum("documents"))
            .values_list("gram", "n") if n}
    return actual == kept


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(texts, min_size=1, max_size=6), edits=st.lists(texts, min_size=1, max_size=6))
def test_kept_counts_equal_the_index_through_edits_and_deletes(thread, bodies, edits):
    Post.objects.all().delete()
    posts = [store(thread, body) for body in bodies]
    for post, text in zip(posts, edits, strict=False):
        edit(post, text)
    posts[0].delete()  # a cascade-like removal goes through the pre_delete signal
    if len(posts) > 1:
        Post.objects.filter(pk=posts[1].pk).update(is_hidden=True)  # hidden: out of the index, kept
        search.index_post(Post.objects.get(pk=posts[1].pk))
    assert kept_counts_are_true()
    indexed = Post.objects.visible()
    for term in ("観", "観光", "観光客"):
        expected = [p for p in indexed if term in search.normalise(p.body)]
        assert search.PostResults(term).count() == len(expected)


def test_snippets_mark_every_match_and_escape_html():
    html = search.snippet("<b>観光</b>と観光客", "観光")
    assert html.count("<mark>観光</mark>") == 2 and "&lt;b" in html and "<b>" not in html


@pytest.mark.parametrize("query", ["観", "観光", "観光客", "連携の"])
def test_index_read_results_equal_the_oracle_newest_first(thread, query):
    posts = [store(thread, t) for t in ("観光客が増えた", "観光の町", "観る", "地域連携の防災", "連携の観光客")]
    results = search.PostResults(search.terms(query)[0])
    expected = sorted(oracle(posts, query), reverse=True)
    assert results.count() == len(expected)
    assert [p.pk for p in results[0:10]] == expected
    assert [p.pk for p in results[1:2]] == expected[1:2]


def test_long_terms_count_up_to_a_cap(thread, monkeypatch):
    monkeypatch.setattr(search.PostResults, "COUNT_CAP", 3)
    posts = [store(thread, "地域連携の観光") for _ in range(5)]
    results = search.PostResults("地域連携")
    assert results.capped and results.count() == 4
    assert [p.pk for p in results[0:2]] == sorted((p.pk for p in posts), reverse=True)[:2]
    assert not search.PostResults("観光").capped and search.PostResults("観光").count() == 5  # exact up to 3


def test_hidden_posts_leave_the_index_and_come_back(world):
    from renkei.board import services
    from renkei.testing import sample_thread

    thread = sample_thread()
    post = thread.posts.order_by("id").first()
    assert post.pk in found("観光")
    services.moderate(moderator=world.secretariat, post=post, action="hide")
    assert post.pk not in found("観光")
    services.moderate(moderator=world.secretariat, post=post, action="show")
    assert post.pk in found("観光")
    services.moderate(moderator=world.secretariat, thread=thread, action="hide")
    assert post.pk not in found("観光")
    services.moderate(moderator=world.secretariat, thread=thread, action="show")
    assert post.pk in found("観光")
    assert search.PostResults("観光")[0:50][0].pk == max(found("観光"))  # shown again, in its place: newest first


def test_posts_are_never_found_by_the_public_search(client, world):
    from renkei.testing import sample_thread

    thread = sample_thread()
    assert found("観光連携の相手") and found("観光連携の相手") <= set(thread.posts.values_list("pk", flat=True))
    for params in ({"q": "観光連携の相手"}, {"q": "観光連携の相手", "kind": "post"}):
        page = client.get("/search/", params).content.decode()
        assert "見つかりませんでした" in page and "/board/" not in page
