from django.db import migrations


class Migration(migrations.Migration):
    """The statistics' tables under the statistics app's own names."""

    dependencies = [
        ("statistics", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="PublishedFigure", table=None),
        migrations.AlterModelTable(name="StatisticsYear", table=None),
        migrations.AlterModelTable(name="RecordCoverage", table=None),
    ]
