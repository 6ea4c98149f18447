"""Replies as mail clients write them, byte for byte in the shapes that matter: charset, transfer
encoding, where the quote starts, what the signature looks like, how files ride along. Used by the
suite (handed to receive(), sent over SMTP to the listener) and by the topology test (sent to
Postfix)."""

import io
from email.charset import QP, Charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(width: int = 4, height: int = 3) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _address(message, to: str, sender: str, subject: str, *, charset: str = "utf-8", name: str = "") -> bytes:
    message["From"] = formataddr((name, sender), charset) if name else sender  # the name RFC 2047-encoded
    message["To"] = to
    message["Subject"] = Header(subject, charset)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))  # as a client sends it: CRLF


def thunderbird(to: str, sender: str, body: str, *, subject: str = "Re: 【各区照会】保健師を派遣できますか") -> bytes:
    """Thunderbird: UTF-8 in base64, the quote below with "> ", a display name in Japanese."""
    return _address(MIMEText(body, "plain", "utf-8"), to, sender, subject, name="港区 防災課")


def outlook(to: str, sender: str, typed: str, *, subject: str = "RE: 【各区照会】保健師を派遣できますか") -> bytes:
    """Outlook (Japanese): ISO-2022-JP, CRLF, the original copied below 「-----Original Message-----」
    without any ">" — the form filled with other values in it."""
    body = (typed.replace("\n", "\r\n") + "\r\n\r\n-----Original Message-----\r\n"
            "From: 特別区長会事務局\r\nSent: Sunday, December 6, 2026 10:00 AM\r\n\r\n"
            "回答: はい（または いいえ）\r\n人数: 5\r\n")
    return _address(MIMEText(body, "plain", "iso-2022-jp"), to, sender, subject, charset="iso-2022-jp")


def iphone(to: str, sender: str, typed: str, *, subject: str = "Re: 【各区照会】保健師を派遣できますか") -> bytes:
    """iPhone Mail: UTF-8 in base64, 「iPhoneから送信」, the quote after 「…のメール:」."""
    body = (typed + "\n\niPhoneから送信\n\n2026/12/06 10:00、特別区長会事務局 <hq@example.jp>のメール:\n\n"
            "> 回答: いいえ\n")
    return _address(MIMEText(body, "plain", "utf-8"), to, sender, subject)


def quoted_printable(to: str, sender: str, typed: str, *, subject: str = "Re: 照会") -> bytes:
    charset = Charset("utf-8")
    charset.body_encoding = QP
    return _address(MIMEText(typed, "plain", charset), to, sender, subject)


def html_only(to: str, sender: str, markup: str, *, subject: str = "Re: 照会") -> bytes:
    """A webmail that sends HTML alone: multipart/alternative without a text/plain part."""
    message = MIMEMultipart("alternative")
    message.attach(MIMEText(markup, "html", "utf-8"))
    return _address(message, to, sender, subject)


def outlook_html_with_files(to: str, sender: str, typed: str, files: list[tuple[str, bytes, str]], *,
                            subject: str = "RE: 【掲示板】観光連携の相手を探しています") -> bytes:
    """Outlook's HTML mail with files: multipart/mixed of (multipart/related of (alternative,
    the signature's logo shown by cid:), then each file, its name encoded (RFC 2231)."""
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(typed + "\n\n上川町 企画課", "plain", "utf-8"))
    paragraphs = "".join(f"<p>{line}</p>" for line in typed.split("\n"))
    alternative.attach(MIMEText(f"<html><body>{paragraphs}<p>上川町 企画課<br><img src=\"cid:image001.png@01DB\">"
                                "</p></body></html>", "html", "utf-8"))
    related = MIMEMultipart("related")
    related.attach(alternative)
    logo = MIMEImage(png(), "png")
    logo.add_header("Content-ID", "<image001.png@01DB>")
    logo.add_header("Content-Disposition", "inline", filename="image001.png")
    related.attach(logo)
    message = MIMEMultipart("mixed")
    message.attach(related)
    for name, data, mime in files:
        maintype, subtype = mime.split("/", 1)
        part = MIMEImage(data, subtype) if maintype == "image" else MIMEApplication(data, subtype)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        message.attach(part)
    return _address(message, to, sender, subject)
