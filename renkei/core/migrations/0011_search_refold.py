"""Site search compares ヶ/ケ, ヵ/カ as one (core/data/variants.toml [compare]): the documents
kept before are folded again and their grams indexed anew, and cached pages get a new version."""

import secrets

from django.db import migrations


def refold(apps, schema_editor):
    from renkei.core import search

    if search.refold(bump=False):
        apps.get_model("core", "ContentVersion").objects.filter(pk=1).update(stamp=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [("core", "0010_submitted_form")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
