"""The import's batches move to core (renkei.core.imports), their rows kept. A batch still waiting
for confirmation was checked by the former engine, whose rows the new one does not read: it is
kept, with a message asking for the file again, and can no longer be applied."""

from django.db import migrations

CHECK_AGAIN = "取込の仕組みが新しくなったため、この確認結果では取り込めません。もう一度ファイルを選んで確認してください。"


def _rows(rows: list[dict]) -> list[dict]:
    """A former row ({"row", field: value …}) as the engine keeps rows now (its cells unshown)."""
    return [{"row": row.get("row"), "values": {k: v for k, v in row.items() if k != "row"}, "shown": []} for row in rows]


def move(apps, schema_editor):
    Old = apps.get_model("registry", "ImportBatch")
    New = apps.get_model("core", "ImportBatch")
    for batch in Old.objects.order_by("pk"):
        waiting = batch.status == "checked"
        moved = New.objects.create(
            kind=batch.kind, filename=batch.filename, uploaded_by_id=batch.uploaded_by_id, status=batch.status,
            total=batch.total, rows=[] if waiting else _rows(batch.rows),
            errors=batch.errors if not waiting or batch.errors else [{"row": 1, "column": "", "message": CHECK_AGAIN}])
        New.objects.filter(pk=moved.pk).update(uploaded_at=batch.uploaded_at)


def move_back(apps, schema_editor):
    Old = apps.get_model("registry", "ImportBatch")
    New = apps.get_model("core", "ImportBatch")
    for batch in New.objects.order_by("pk"):
        rows = [{"row": row.get("row"), **row.get("values", {})} for row in batch.rows]
        moved = Old.objects.create(kind=batch.kind, filename=batch.filename, uploaded_by_id=batch.uploaded_by_id,
                                   status=batch.status, total=batch.total, rows=rows, errors=batch.errors)
        Old.objects.filter(pk=moved.pk).update(uploaded_at=batch.uploaded_at)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0006_alter_importbatch_kind"),
        ("core", "0008_import_batch"),
    ]

    operations = [
        migrations.RunPython(move, move_back),
        migrations.DeleteModel(name="ImportBatch"),
    ]
