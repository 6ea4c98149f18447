from django.db import migrations


class Migration(migrations.Migration):
    """The statistics' stored inputs (published figures, 基準日, record coverage) belong to the
    statistics app: the registry lets go of them here; statistics takes them, tables and rows as
    they are, in its first migration, and gives the tables its own names in its second."""

    dependencies = [
        ("registry", "0007_importbatch_moves_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="PublishedFigure"),
            migrations.DeleteModel(name="StatisticsYear"),
            migrations.DeleteModel(name="RecordCoverage"),
        ]),
    ]
