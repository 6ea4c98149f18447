"""The board's posts join the one search index in core (renkei.core.search): a document for each
post the index held, in the order of the posts (results read newest first by it), its grams as
they were, and each gram's count counted once."""

from django.db import migrations
from django.urls import reverse
from django.utils import timezone


def copy(apps, schema_editor):
    Post = apps.get_model("board", "Post")
    PostGram = apps.get_model("board", "PostGram")
    SearchDocument = apps.get_model("core", "SearchDocument")
    indexed = PostGram.objects.values("post_id").distinct()
    posts = Post.objects.filter(pk__in=indexed).select_related("thread").order_by("pk")
    for start in range(0, posts.count(), 2000):
        SearchDocument.objects.bulk_create([SearchDocument(
            kind="post", key=str(post.pk), title=post.thread.title[:200], url=reverse("board:post", args=[post.pk]),
            day=timezone.localdate(post.created_at), text=post.search_text, visible_from=post.created_at,
        ) for post in posts[start:start + 2000]])
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_searchgram (document_id, gram) "
            "SELECT d.id, g.gram FROM board_postgram g "
            "JOIN core_searchdocument d ON d.kind = 'post' AND d.key = CAST(g.post_id AS VARCHAR(16))")
        cursor.execute(
            "INSERT INTO core_gramcount (kind, gram, shard, documents) "
            "SELECT 'post', g.gram, d.id % 16, COUNT(*) FROM core_searchgram g "
            "JOIN core_searchdocument d ON d.id = g.document_id WHERE d.kind = 'post' "
            "GROUP BY g.gram, d.id % 16")


class Migration(migrations.Migration):

    dependencies = [
        ("board", "0003_gramcount_shards"),
        ("core", "0009_search_index"),
    ]

    operations = [
        migrations.RunPython(copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="PostGram"),
        migrations.DeleteModel(name="GramCount"),
        migrations.RemoveField(model_name="post", name="search_text"),
    ]
