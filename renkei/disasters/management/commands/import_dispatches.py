from renkei.core.management.commands import import_records


class Command(import_records.Command):
    help = ("職員派遣の記録をExcel（.xlsx）またはCSVから取り込みます（import_records --kind dispatches）。1行目は「災害, 特別区, "
            "職種, 人数, 派遣開始日, 派遣終了日, 派遣先, 派遣ルート, 状態」。--commit を付けるまでは確認だけを行います。")
    kind = "dispatches"
