"""職種 once each: 事務 merges into 事務職員 (its dispatches and requests follow), 土木 and 建築
become 技術職員（土木） and 技術職員（建築）. An import still reads the old names (lists.toml)."""

from django.db import migrations

RENAMED = {"土木": "技術職員（土木）", "建築": "技術職員（建築）"}
MERGED = {"事務": "事務職員"}


def forwards(apps, schema_editor):
    Role = apps.get_model("disasters", "Role")
    Dispatch = apps.get_model("disasters", "Dispatch")
    SupportRequest = apps.get_model("disasters", "SupportRequest")
    for old, new in RENAMED.items():
        if not Role.objects.filter(name=new).exists():
            Role.objects.filter(name=old).update(name=new)
        else:
            MERGED[old] = new
    for old, new in MERGED.items():
        gone = Role.objects.filter(name=old).first()
        if gone is None:
            continue
        kept, _ = Role.objects.get_or_create(name=new, defaults={"position": gone.position})
        Dispatch.objects.filter(role=gone).update(role=kept)
        SupportRequest.objects.filter(role=gone).update(role=kept)
        gone.delete()
    order = ["保健師", "事務職員", "技術職員", "技術職員（土木）", "技術職員（建築）", "福祉", "清掃", "罹災証明",
             "避難所運営", "給水", "その他"]
    for position, name in enumerate(order, start=1):
        Role.objects.filter(name=name).update(position=position)


class Migration(migrations.Migration):
    dependencies = [("disasters", "0010_contacts_half_width")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
