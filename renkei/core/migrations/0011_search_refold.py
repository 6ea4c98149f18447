"""Site search compares ヶ/ケ, ヵ/カ as one (core/data/variants.toml [compare]): the documents
kept before are folded again and their grams indexed anew."""

from django.db import migrations


def refold(apps, schema_editor):
    from renkei.core import search

    search.refold()


class Migration(migrations.Migration):
    dependencies = [("core", "0010_submitted_form")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
