import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The tables the registry kept (registry_publishedfigure, …), taken as they are."""

    initial = True

    dependencies = [
        ("registry", "0008_statistics_inputs_move"),
        ("sources", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="PublishedFigure",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("fiscal_year", models.PositiveSmallIntegerField(verbose_name="年度")),
                    ("metric", models.CharField(choices=[("exchange_municipalities", "各区の交流自治体"), ("member_municipalities", "全国連携ホームページ会員登録自治体"), ("agreement_municipalities", "広域連携協定締結自治体"), ("total", "合計")], max_length=32, verbose_name="区分")),
                    ("value", models.PositiveIntegerField(blank=True, null=True, verbose_name="値")),
                    ("source", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sources.publication")),
                ],
                options={
                    "verbose_name": "公表値", "verbose_name_plural": "公表値", "ordering": ["fiscal_year", "metric"],
                    "db_table": "registry_publishedfigure",
                    "constraints": [models.UniqueConstraint(fields=("fiscal_year", "metric", "source"), name="one_figure_per_source")],
                },
            ),
            migrations.CreateModel(
                name="StatisticsYear",
                fields=[
                    ("fiscal_year", models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name="年度")),
                    ("reference_date", models.DateField(verbose_name="基準日")),
                ],
                options={"verbose_name": "統計の年度", "verbose_name_plural": "統計の年度", "ordering": ["fiscal_year"],
                         "db_table": "registry_statisticsyear"},
            ),
            migrations.CreateModel(
                name="RecordCoverage",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                    ("metric", models.CharField(choices=[("exchange_municipalities", "各区の交流自治体"), ("member_municipalities", "全国連携ホームページ会員登録自治体"), ("agreement_municipalities", "広域連携協定締結自治体"), ("total", "合計")], max_length=32, unique=True, verbose_name="区分")),
                    ("complete_from", models.DateField(verbose_name="記録が揃っている開始日")),
                ],
                options={"verbose_name": "記録の整備状況", "verbose_name_plural": "記録の整備状況",
                         "db_table": "registry_recordcoverage"},
            ),
        ]),
    ]
