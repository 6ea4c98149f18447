"""Posts written before single line breaks were kept are drawn again from what was typed."""

from django.db import migrations


def forwards(apps, schema_editor):
    from renkei.core import markup  # markup only: no model of today's code

    Post = apps.get_model("board", "Post")
    for pk, body, html in Post.objects.values_list("pk", "body", "body_html").iterator():
        again = markup.render(body, breaks=True)
        if again != html:
            Post.objects.filter(pk=pk).update(body_html=again)


class Migration(migrations.Migration):
    dependencies = [("board", "0004_search_index_moves_to_core")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
