"""The development mail backend writes readable files: headers decoded, Japanese as written."""

from django.core.mail import EmailMultiAlternatives
from django.test import override_settings


def test_a_japanese_message_is_written_as_text_with_its_html_beside_it(tmp_path):
    with override_settings(EMAIL_BACKEND="renkei.core.mail_files.EmailBackend", EMAIL_FILE_PATH=str(tmp_path)):
        mail = EmailMultiAlternatives(
            "【renkei】会員登録の確認", "北海道厚真町 ご担当者様\n\n下のリンクを開いてください。",
            "renkei@localhost", ["clerk@example.jp"], reply_to=["desk@example.jp"],
        )
        mail.attach_alternative("<p>下のリンクを開いてください。</p>", "text/html")
        assert mail.send() == 1
    (text_file,) = tmp_path.glob("*.txt")
    text = text_file.read_text(encoding="utf-8")
    assert "Subject: 【renkei】会員登録の確認" in text
    assert "Reply-To: desk@example.jp" in text
    assert "北海道厚真町 ご担当者様" in text
    assert "=?utf-8?" not in text
    html = text_file.with_suffix(".html").read_text(encoding="utf-8")
    assert "<p>下のリンクを開いてください。</p>" == html


def test_two_messages_in_one_second_do_not_overwrite_each_other(tmp_path):
    with override_settings(EMAIL_BACKEND="renkei.core.mail_files.EmailBackend", EMAIL_FILE_PATH=str(tmp_path)):
        for n in range(3):
            EmailMultiAlternatives(f"件名{n}", "本文", "renkei@localhost", ["a@example.jp"]).send()
    assert len(list(tmp_path.glob("*.txt"))) == 3
