"""Template filters for dates as Japanese readers expect them, and yen amounts."""

import datetime as dt
import re

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from renkei.core import dates
from renkei.core.desks import DESKS

register = template.Library()


def _japanese() -> bool:
    return (translation.get_language() or "ja").startswith("ja")


@register.filter
def wareki(value: dt.date | None, arg: str = "") -> str:
    """{{ day|wareki }} → 平成31年1月11日; {{ day|wareki:"weekday" }} adds (金)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if not _japanese():
        return formats.date_format(value, "D, N j, Y" if arg == "weekday" else "N j, Y")
    return dates.wareki(value, weekday=arg == "weekday")


@register.filter
def wareki_time(value: dt.datetime | None, arg: str = "") -> str:
    """{{ moment|wareki_time }} → 令和8年12月2日(水) 14:30 in the site's time zone;
    {{ moment|wareki_time:"seconds" }} → … 14:30:05."""
    if not value:
        return ""
    if not _japanese():
        value = _local(value)
        clock = f"{value:%H:%M:%S}" if arg == "seconds" else f"{value:%H:%M}"
        return f"{formats.date_format(value, 'D, N j, Y')} {clock}"
    return dates.wareki_time(value, seconds=arg == "seconds")


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def wareki_month(value: dt.date | None) -> str:
    if not value:
        return ""
    if not _japanese():
        return formats.date_format(value, "F Y")
    return dates.wareki_month(value)


@register.filter
def fiscal_year(value: int | None) -> str:
    """{{ 2018|fiscal_year }} → 平成30年度 (FY2018 in English)."""
    if value is None or value == "":
        return ""
    if not _japanese():
        return f"FY{value}"
    return dates.fiscal_year_label(int(value))


@register.filter
def fiscal_year_western(value: int | None) -> str:
    if value is None or value == "" or not _japanese():
        return ""
    return dates.fiscal_year_western_label(int(value))


@register.simple_tag
def date_range(start: dt.date, end: dt.date | None = None, weekday: bool = True) -> str:
    """平成31年1月8日(火)～2月14日(木), 平成28年4月14日～16日: the end drops the era, year and month
    it shares with the start."""
    first = wareki(start, "weekday" if weekday else "")
    if not end or end == start:
        return first
    if not _japanese():
        return f"{first} – {wareki(end)}"
    end_text = dates.wareki(end, weekday=weekday)
    if dates.era_of(end) == dates.era_of(start):
        end_text = end_text.split("年", 1)[1]
        if end.month == start.month:
            end_text = end_text.split("月", 1)[1]
    return f"{first}～{end_text}"


@register.filter
def count(value: int | None) -> str:
    """A count as pages print it: 1,234, or 不明 where it is not known (never 0 for unknown)."""
    if value is None:
        return str(translation.gettext("不明"))
    return f"{int(value):,}"


@register.filter
def yen(value: int | None) -> str:
    """5500万円, 10億円, 1億2000万円: amounts as newspapers print them; ¥55,000,000 in English."""
    if value is None:
        return ""
    if not _japanese():
        return f"¥{int(value):,}"
    oku, rest = divmod(int(value), 100_000_000)
    man, yen_part = divmod(rest, 10_000)
    parts = []
    if oku:
        parts.append(f"{oku:,}億")
    if man:
        parts.append(f"{man:,}万")
    if yen_part or not parts:
        parts.append(f"{yen_part:,}")
    return "".join(parts) + "円"


@register.filter
def markup(value: str) -> str:
    """Editors' light markup as safe HTML (renkei.core.markup), line breaks kept."""
    from django.utils.safestring import mark_safe

    from renkei.core import markup as light_markup

    return mark_safe(light_markup.render(value, breaks=True))  # noqa: S308 (sanitised by nh3)  # nosec B308 B703


@register.simple_tag
def photo(item, sizes: str = "(min-width: 48rem) 40rem, 100vw", loading: str = "lazy") -> str:
    """A resized photo: the small form by default, the large one for wide screens, sizes given."""
    from django.utils.html import format_html

    return format_html(
        '<img src="{}" srcset="{} {}w, {} {}w" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async">',
        item.small.url, item.small.url, item.small_width, item.large.url, item.width, sizes,
        item.small_width, item.small_height, item.alt, loading,
    )


@register.simple_tag
def content_lang() -> str:
    """` lang="ja"` on elements holding what people typed (in Japanese) when the page is not:
    screen readers then read an English page's Japanese titles and names in Japanese (WCAG 3.1.2)."""
    from django.utils.safestring import mark_safe

    return "" if _japanese() else mark_safe(' lang="ja"')  # noqa: S308 (a constant)  # nosec B308 B703


@register.filter
def audit_action(value: str) -> str:
    """An audit action code as the secretariat reads it (「掲示板: 削除」)."""
    from renkei.core.audit import describe

    return describe(value)


@register.filter
def changed_fields(entry) -> str:
    """The fields an audit entry changed, by their names on the forms (見出し, not title) where the
    record's model knows them."""
    if not isinstance(entry.changes, dict):
        return ""
    model = entry.content_type.model_class() if entry.content_type_id else None
    names = []
    for key in entry.changes:
        try:
            field = model._meta.get_field(key.removesuffix("_id")) if model else None
        except FieldDoesNotExist:  # not a field of the model (files, reason): as recorded
            field = None
        # A reverse relation (a disaster's "funds") has no verbose_name of its own.
        names.append(str(getattr(field, "verbose_name", key)))
    return "、".join(names)


@register.inclusion_tag("partials/desk.html")
def desk(key: str, name: bool = True):
    """{% desk "membership" %}: the desk's office, its number as a link and its hours."""
    return {"desk": DESKS[key], "name": name}


@register.simple_tag
def desk_text(key: str) -> str:
    """The same for a text mail: office, number and hours on one line."""
    contact = DESKS[key]
    return f"{contact.office} {contact.phone}（{translation.gettext('受付時間')} {contact.hours}）"


# A Japanese number as written in a contact: 03-5210-9738, 03(3264)2111, 090-1234-5678, 0352109738.
PHONE_IN_TEXT = re.compile(r"(?<![\d-])(?:0\d{1,4}[-(]\d{1,4}[-)]\d{3,4}|0\d{9,10})(?![\d-])")


@register.filter
def phones(text) -> str:
    """A contact with each phone number a tel: link a phone can call (the rest escaped):
    特別区長会事務局 <a href="tel:0352109738">03-5210-9738</a>."""
    text = "" if text is None else str(text)
    parts, last = [], 0
    for found in PHONE_IN_TEXT.finditer(text):
        parts.append(escape(text[last:found.start()]))
        number = found.group()
        parts.append(format_html('<a href="tel:{}" class="nowrap">{}</a>', re.sub(r"\D", "", number), number))
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)  # nosec B308 B703
