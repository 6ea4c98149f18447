from django.db import migrations


class Migration(migrations.Migration):
    """要請 is a SupportRequest in code (a view's `request` is the web's); its table follows the name."""

    dependencies = [
        ("disasters", "0004_decision_report"),
    ]

    operations = [
        migrations.RenameModel(old_name="Request", new_name="SupportRequest"),
    ]
