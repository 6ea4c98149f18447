"""Contacts typed in full width before the forms folded them (０３－５２１０－９７３８) are folded the
same way (NFKC, dashes as '-'), so every number fits a phone's screen and links as tel:."""

import unicodedata

from django.db import migrations

DASHES = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "―": "-", "－": "-", "﹣": "-"})


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(DASHES).strip()


def forwards(apps, schema_editor):
    for model, field in (("Disaster", "hq_contact"), ("EnquiryAnswer", "contact")):
        Model = apps.get_model("disasters", model)
        for pk, value in Model.objects.exclude(**{field: ""}).values_list("pk", field):
            if fold(value) != value:
                Model.objects.filter(pk=pk).update(**{field: fold(value)})


class Migration(migrations.Migration):
    dependencies = [("disasters", "0009_state_unstated")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
