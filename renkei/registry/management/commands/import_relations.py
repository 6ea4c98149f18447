from renkei.core.management.commands import import_records


class Command(import_records.Command):
    help = ("交流をExcel（.xlsx）またはCSVから取り込みます（import_records --kind relations）。"
            "--commit を付けるまでは確認だけを行います。")
    kind = "relations"
