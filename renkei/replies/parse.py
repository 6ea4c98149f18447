"""Reading a reply as mail clients write it: the text the person typed, without what they quoted
or signed, and the answer's lines (「回答: はい」「人数: ３」「開始日: 12月6日」「連絡先: …」).

Any charset Python's email package knows (UTF-8, ISO-2022-JP, Shift_JIS …), quoted-printable or
base64; a message with only an HTML part is read as its text. Nothing here raises on what a
message contains: what cannot be read is said in the errors.
"""

import datetime as dt
import email
import email.policy
import html
import re
import unicodedata
from dataclasses import dataclass, field
from email.utils import getaddresses

import nh3
from django.utils import timezone

from renkei.core.dates import parse_date
from renkei.core.text import ParseError, whole_number
from renkei.replies import charsets

# Where quoted text begins, as Outlook, Thunderbird, Gmail, iPhone Mail and Japanese clients write it.
QUOTE_STARTS = [re.compile(p) for p in (
    r"^-{2,}\s*(Original Message|元のメッセージ|転送メッセージ|Forwarded message)\s*-{2,}",
    r"^(From|Sent|Date|差出人|送信者|送信日時)\s*[:：]",  # Outlook's and Lotus Notes' header block
    r"^On .{4,200} wrote:$",
    r"^\d{4}[/年].{2,80}(wrote|書きました|のメッセージ|のメール)[:：]?$",
    r"^\d{4}年\d{1,2}月\d{1,2}日.{0,200}(<[^<>\s]*>?|[:：])$",  # Gmail: 2026年12月6日(日) 10:00 港 防災 <a@b>:
    r"^.{1,120}(さんは書きました|のメッセージ)[:：]$",
    r"^_{10,}$",
    r"^▼{1,3}\s*元の照会",
)]
# Where a signature begins: "-- ", and the rules people draw above their name.
SIGNATURE = re.compile(r"^(-- ?|[—―━─]{2,}|[-－]{4,}|[=＝]{4,}|[*＊]{4,}|[_＿]{4,}|[■□◆◇☆★]{4,})$")

KEYS = {"回答": "answer", "人数": "quantity", "数量": "quantity", "人数・数量": "quantity", "開始日": "available_from",
        "いつから": "available_from", "連絡先": "contact", "担当者": "contact", "備考": "note"}
YES = {"はい", "可", "可能", "できる", "できます", "対応できる", "対応できます", "対応可", "対応可能", "yes", "y", "ok",
       "○", "〇"}
NO = {"いいえ", "不可", "不可能", "できない", "できません", "対応できない", "対応できません", "対応不可", "対応不可能",
      "no", "n", "×"}


_YES, _NO = ({unicodedata.normalize("NFKC", w) for w in words} for words in (YES, NO))  # as _answer compares


def clean(text) -> str:
    """Text that can be kept and shown whatever a message carried: the bytes of a header written
    in raw 8-bit read as UTF-8 (what they nearly always are), anything unreadable as U+FFFD, no NUL
    (PostgreSQL refuses it)."""
    text = "" if text is None else str(text)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that was not an escaped byte
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "")


@dataclass
class Incoming:
    message_id: str
    sender: str
    recipients: list[str]
    subject: str
    text: str
    authentication: str = ""
    attachments: list["Attached"] = field(default_factory=list)
    automatic: str = ""  # why it was written by a machine (an out-of-office reply, a bounce), or ""


@dataclass(frozen=True)
class Attached:
    """A file the sender attached (not a picture of their signature, which belongs to the HTML)."""

    name: str
    data: bytes
    content_type: str

    @property
    def is_tnef(self) -> bool:  # Outlook's rich text wrapper: the files inside cannot be read
        return self.content_type == "application/ms-tnef" or self.name.lower() == "winmail.dat"


@dataclass
class Answer:
    fields: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)  # the keys whose line was read (the first of each)


# An HTML body is read as a browser would parse it (html5ever, through nh3): what it quotes
# (<blockquote>, quotes within quotes), hides (<style>, Outlook's conditional comments) or heads
# left out; a line wherever the browser breaks one; a rule (<hr>) marks where the footer or the
# quote begins. Only its first HTML_READ characters are read: what was typed comes first, and a
# parser's time grows with the depth of what it reads.
HTML_READ = 200_000
BREAKS = {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6"}


def _html_to_text(markup: str) -> str:
    kept = nh3.clean(markup[:HTML_READ], tags=BREAKS | {"hr"}, attributes={}, strip_comments=True, link_rel=None,
                     clean_content_tags={"script", "style", "head", "title", "template", "blockquote"})
    kept = re.sub(r"<hr\s*/?>", "\n----\n", kept)
    kept = re.sub(r"<br\s*/?>|</(?:p|div|tr|li|table|h\d)>", "\n", kept)
    return html.unescape(re.sub(r"<[^>]*>", "", kept))


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    payload = part.get_payload(decode=True) or b""
    content = charsets.decode(payload, part.get_content_charset() or "")
    if content is None:
        try:
            content = part.get_content()
        except (LookupError, UnicodeError, AssertionError, ValueError):
            content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    return _html_to_text(content) if part.get_content_type() == "text/html" else content


def _attachments(message) -> list[Attached]:
    """The files of a message: the parts beside its body (multipart/mixed), not the pictures an HTML
    body shows (multipart/related: Outlook's signature logo), nor a second run of text without a
    name (Apple Mail splits the body around a picture)."""
    found = []
    if not message.is_multipart() or message.get_content_type() != "multipart/mixed":
        return found
    for part in message.iter_attachments():
        if part.is_multipart():
            if part.get_content_type() == "multipart/mixed":
                found += _attachments(part)
            continue
        name = part.get_filename() or ""
        if not name and part.get_content_maintype() in ("text", "message"):
            continue
        data = part.get_payload(decode=True) or b""
        found.append(Attached(name=name or "添付ファイル", data=data, content_type=part.get_content_type()))
    return found


ROBOTS = ("mailer-daemon", "postmaster", "no-reply", "noreply", "auto-reply", "autoreply")


def _automatic(header, sender: str) -> str:
    """Why a message was written by a machine (RFC 3834, and what responders write instead), or "".
    Such a message is kept but never answered: answering an out-of-office reply starts a loop."""
    submitted = header("Auto-Submitted").strip().lower()
    if submitted and not submitted.startswith("no"):
        return f"Auto-Submitted: {submitted[:40]}"
    if header("X-Autoreply") or header("X-Autorespond") or header("X-Autoresponder"):
        return "X-Autoreply"
    precedence = header("Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if header("Content-Type").strip().lower().startswith("multipart/report"):
        return "delivery report"
    if sender.split("@", 1)[0] in ROBOTS:
        return sender
    return ""


def read(raw: bytes) -> Incoming:
    message = email.message_from_bytes(raw, policy=email.policy.default)

    def header(name: str) -> str:
        try:
            value = message.get(name, "")
            return str(value) if value is not None else ""
        except (ValueError, TypeError, IndexError, AttributeError):
            return ""

    def addresses(name: str) -> list[str]:
        found = []
        try:
            for value in message.get_all(name, []) or []:
                parsed = getattr(value, "addresses", None)
                found += [a.addr_spec for a in parsed] if parsed else [a for _n, a in getaddresses([str(value)])]
        except (ValueError, TypeError, IndexError, AttributeError):
            pass
        return [a for a in found if a]

    recipients = [clean(a) for name in ("Delivered-To", "X-Original-To", "To", "Cc") for a in addresses(name)]
    senders = [clean(a).lower() for a in addresses("From")]
    sender = senders[0] if senders else ""
    try:
        text = clean(_body(message))
    except (ValueError, TypeError, LookupError, AttributeError, IndexError):
        text = ""
    try:
        attachments = [Attached(name=clean(a.name), data=a.data, content_type=clean(a.content_type))
                       for a in _attachments(message)]
    except (ValueError, TypeError, LookupError, AttributeError, IndexError):
        attachments = [Attached(name="添付ファイル", data=b"", content_type="application/octet-stream")]
    try:
        authentication = " ".join(str(v) for v in message.get_all("Authentication-Results", []) or [])
    except (ValueError, TypeError, IndexError, AttributeError):
        authentication = ""
    return Incoming(message_id=clean(header("Message-ID")).strip()[:250], sender=sender, recipients=recipients,
                    subject=clean(header("Subject"))[:200], text=text, authentication=clean(authentication),
                    attachments=attachments, automatic=clean(_automatic(header, sender)))


def typed(text: str) -> str:
    """What the person wrote: up to where the quote or the signature begins, quoted lines dropped."""
    kept = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if SIGNATURE.match(stripped) or any(p.match(stripped) for p in QUOTE_STARTS):
            break
        if stripped.startswith((">", "＞", "|")):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


DAY_WORDS = {"即日": 0, "本日": 0, "今日": 0, "きょう": 0, "明日": 1, "あす": 1, "あした": 1, "明後日": 2, "あさって": 2}
DAY_HINT = "開始日は「12月8日」や「令和8年12月8日」のように書いてください。"


def _day(value: str, today: dt.date) -> dt.date:
    """A day as people write it: 12月8日, 12/8, 令和8年12月8日, with a weekday （火）, a time or
    「から」 after it, 本日 and 明日. A month and a day alone are the coming one: this year's, or
    next year's when this year's is over a month past."""
    text = unicodedata.normalize("NFKC", value).replace(" ", "").replace("\u3000", "")
    text = re.sub(r"(から|以降|より|~|〜|-|－)+$", "", text)
    text = re.sub(r"(午前|午後)?\d{1,2}(時|:)(\d{1,2}分?)?(頃|ごろ)?$", "", text)
    text = re.sub(r"[(（][月火水木金土日](曜日?)?[)）]$", "", text)
    if text in DAY_WORDS:
        return today + dt.timedelta(days=DAY_WORDS[text])
    match = re.fullmatch(r"(\d{1,2})[/月](\d{1,2})日?", text)
    try:
        if match:
            month, day = map(int, match.groups())
            found = dt.date(today.year, month, day)
            return found if found >= today - dt.timedelta(days=31) else dt.date(today.year + 1, month, day)
        return parse_date(text)
    except (ParseError, ValueError):
        raise ParseError(DAY_HINT) from None


def _answer(value: str) -> tuple[str | None, str]:
    """("yes" / "no" / None, what is wrong): the first word decides (「はい、対応可能です」), unless
    the line says both (the form's 「はい（または いいえ）」 left as it came)."""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    words = [re.sub(r"(です|でございます)$", "", w) for w in re.split(r"[、,。.\s()/・!?「」]+", text) if w]
    if "または" in words or (any(w in _YES for w in words) and any(w in _NO for w in words)):
        return None, f"「回答: {value[:30]}」には「はい」と「いいえ」の両方があります。どちらか一方だけを書いてください。"
    if words and words[0] in _YES:
        return "yes", ""
    if words and words[0] in _NO:
        return "no", ""
    return None, f"「回答: {value[:20]}」が読めません。「はい」か「いいえ」で書いてください。"


QUANTITY_HINT = "人数・数量は「人数: 3」のように数字で書いてください。"


def _quantity(value: str) -> tuple[int | None, str]:
    text = value.strip()  # as typed: whole_number reads full width and refuses ① and the like
    if re.search(r"\d\s*(~|〜|-|－|ー|から)\s*\d", unicodedata.normalize("NFKC", text)):
        return None, ("人数・数量は1つの数で書いてください（例: 人数: 3）。"
                      "幅があるときは確かなほうの数を書き、備考に添えてください。")
    text = re.sub(r"(名|人|件|台|箱|個|本|程度|くらい|ぐらい|ほど|前後|まで|以上|以内|予定)+$", "", text)
    try:
        number = whole_number(text, label="人数・数量")
    except ParseError:
        return None, QUANTITY_HINT
    if number < 0:
        return None, "人数・数量は0以上の数で書いてください（例: 人数: 3）。"
    return number, ""


def answer_from(text: str, today: dt.date | None = None) -> Answer:
    """The form's lines in what the person typed. Each value is read here; the desk's own rules
    (renkei.disasters.forms.AnswerForm: a number with a yes, its bounds) are applied after."""
    today = today or timezone.localdate()
    found = Answer()
    for line in typed(text).split("\n"):
        match = re.match(r"^\s*[・*\-＊－•]?\s*([^:：]{1,8}?)\s*[:：]\s*(.*?)\s*$", line)
        if match is None:
            continue
        key = KEYS.get(unicodedata.normalize("NFKC", match.group(1)).strip())
        value = match.group(2).strip()
        if key is None or key in found.seen:
            continue
        found.seen.add(key)
        if key == "answer":
            word, wrong = _answer(value)
            if word:
                found.fields["answer"] = word
            else:
                found.errors.append(wrong)
        elif key == "quantity" and value:
            number, wrong = _quantity(value)
            if wrong:
                found.errors.append(wrong)
            else:
                found.fields["quantity"] = number
        elif key == "available_from" and value:
            try:
                found.fields["available_from"] = _day(value, today)
            except ParseError as error:
                found.errors.append(str(error))
        elif key in ("contact", "note") and value:
            found.fields[key] = value[:200] if key == "contact" else value[:2000]
    if "answer" not in found.seen:
        found.errors.append("「回答: はい」か「回答: いいえ」の行が見つかりません。返信の本文の先頭に書いてください。")
    return found
