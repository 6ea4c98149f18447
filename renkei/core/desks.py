"""The project's two inquiry desks, as the newsletter prints them, with their hours.

Every page and mail that tells a person whom to call reads the desk from here, so a changed
number or changed hours (INQUIRY_HOURS) is changed once.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_HOURS = _("平日 8時30分〜17時15分（土曜・日曜・祝日・年末年始を除く）")


@dataclass(frozen=True)
class DeskContact:
    key: str
    subject: str
    office: str
    phone: str

    @property
    def tel(self) -> str:
        """The number for a tel: link."""
        return "".join(ch for ch in self.phone if ch.isdigit())

    @property
    def hours(self) -> str:
        return settings.INQUIRY_HOURS or DEFAULT_HOURS


DESKS = {
    "project": DeskContact(
        "project", _("特別区全国連携プロジェクトに関するお問い合わせ"),
        _("特別区長会事務局 調査第1課 全国連携プロジェクト担当"), "03-5210-9747",
    ),
    "membership": DeskContact(
        "membership", _("特別区全国連携プロジェクトの会員専用ホームページ、会員登録についてのお問い合わせ"),
        _("公益財団法人特別区協議会 事業部事業推進課"), "03-5210-9910",
    ),
}
