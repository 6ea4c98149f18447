from django.db import migrations, models


def count_from_the_index(apps, schema_editor):
    """The counts are the index's own: every gram's posts, kept in shard 0."""
    GramCount = apps.get_model("board", "GramCount")
    PostGram = apps.get_model("board", "PostGram")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {GramCount._meta.db_table} (gram, shard, posts) "  # noqa: S608 (table names are ours)
            f"SELECT gram, 0, COUNT(*) FROM {PostGram._meta.db_table} GROUP BY gram"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("board", "0002_gramcount"),
    ]

    operations = [
        migrations.DeleteModel(name="GramCount"),
        migrations.CreateModel(
            name="GramCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("gram", models.BigIntegerField()),
                ("shard", models.PositiveSmallIntegerField(default=0)),
                ("posts", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("gram", "shard"), name="one_count_per_gram_shard")],
            },
        ),
        migrations.RunPython(count_from_the_index, migrations.RunPython.noop),
    ]
