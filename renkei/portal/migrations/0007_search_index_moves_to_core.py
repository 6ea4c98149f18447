"""The site search's index moves to core (renkei.core.search), where every app keeps its kinds:
documents and grams are copied as they are, and each gram's count per kind is counted once."""

from django.db import migrations


def copy(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_searchdocument (kind, key, title, url, day, text, visible_from) "
            "SELECT kind, key, title, url, day, text, visible_from FROM portal_searchdocument ORDER BY id")
        cursor.execute(
            "INSERT INTO core_searchgram (document_id, gram) "
            "SELECT new.id, old_gram.gram FROM portal_searchgram old_gram "
            "JOIN portal_searchdocument old ON old.id = old_gram.document_id "
            "JOIN core_searchdocument new ON new.kind = old.kind AND new.key = old.key")
        cursor.execute(
            "INSERT INTO core_gramcount (kind, gram, shard, documents) "
            "SELECT d.kind, g.gram, d.id % 16, COUNT(*) FROM core_searchgram g "
            "JOIN core_searchdocument d ON d.id = g.document_id WHERE d.kind <> 'post' "
            "GROUP BY d.kind, g.gram, d.id % 16")


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0006_site_mode"),
        ("core", "0009_search_index"),
    ]

    operations = [
        migrations.RunPython(copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchGram"),
        migrations.DeleteModel(name="SearchDocument"),
    ]
