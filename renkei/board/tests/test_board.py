"""Two member municipalities and a ward hold a conversation on the board."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from renkei.board import services
from renkei.board.models import Attachment, Category, Follow, Post, Preference, Report, Thread
from renkei.board.tasks import send_digests
from renkei.core.models import AuditEntry
from renkei.testing import PNG_1PX, get_within, sign_in

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start(client, user, **overrides):
    sign_in(client, user)
    data = {"category": Category.objects.get(slug="tourism").pk, "type": "call", "title": "物産展の出展者を募集します",
            "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "body": "千代田区で**物産展**を開きます。詳細: https://example.jp/bussan", **overrides}
    return client.post("/board/new/", data)


def test_the_public_sees_nothing(client, world):
    from renkei.testing import sample_thread

    thread = sample_thread()
    for url in ("/board/", thread.get_absolute_url(), "/board/search/?q=観光"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert thread.title not in Client().get("/").content.decode()


def test_a_conversation_with_attachments(world, django_capture_on_commit_callbacks):
    ward, member, other = Client(), Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = start(ward, world.ward, files=[SimpleUploadedFile("募集要項.pdf", pdf_bytes())])
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.organization.code == "131016" and thread.type == "call" and not thread.is_closed
    page = ward.get(thread.get_absolute_url()).content.decode()
    assert "千代田区" in page and "<strong>物産展</strong>" in page
    assert '<a href="https://example.jp/bussan" rel="nofollow noopener noreferrer">' in page

    sign_in(member, world.member)
    first = thread.posts.get()
    quote_page = member.get(f"{thread.get_absolute_url()}?quote={first.pk}").content.decode()
    assert "&gt; 千代田区で" in quote_page
    member.post(f"/board/threads/{thread.pk}/reply/", {"body": "> 千代田区で物産展\n\n厚真町も出展します。", "quote": first.pk,
                                                       "files": [SimpleUploadedFile("町の写真.png", PNG_1PX)]})
    reply = thread.posts.order_by("-id").first()
    assert reply.quote == first and reply.organization.code == "015814"
    image = reply.attachments.get()
    assert image.content_type == "image/png" and image.thumbnail

    sign_in(other, world.other_member)
    assert other.get(f"/board/files/{image.token}/thumbnail/").status_code == 200
    download = other.get(f"/board/files/{first.attachments.get().token}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert Client().get(f"/board/files/{image.token}/").status_code == 302  # not for the public


def test_editing_keeps_a_visible_history_and_only_the_author_edits(client, world):
    start(client, world.ward)
    post = Post.objects.get()
    client.post(f"/board/posts/{post.pk}/edit/", {"title": "物産展（会場変更）", "body": "会場が変わりました。"})
    post.refresh_from_db()
    assert post.edited_at and post.thread.title == "物産展（会場変更）"
    history = client.get(f"/board/posts/{post.pk}/history/").content.decode()
    assert "千代田区で**物産展**を開きます" in history and "会場が変わりました" in history

    other = Client()
    sign_in(other, world.member)
    assert other.get(f"/board/posts/{post.pk}/edit/").status_code == 404
    assert other.post(f"/board/posts/{post.pk}/edit/", {"body": "乗っ取り"}).status_code == 404
    assert other.post(f"/board/posts/{post.pk}/delete/").status_code == 404
    post.refresh_from_db()
    assert post.body == "会場が変わりました。" and not post.is_deleted


def test_deletion_by_the_author_is_soft(client, world):
    start(client, world.ward)
    post = Post.objects.get()
    client.post(f"/board/posts/{post.pk}/delete/")
    post.refresh_from_db()
    assert post.is_deleted and Post.objects.filter(pk=post.pk).exists()
    page = client.get(post.thread.get_absolute_url()).content.decode()
    assert "投稿者により削除されました" in page and "物産展" not in page.split("<ol class=\"posts\">")[1]
    assert client.get("/board/search/", {"q": "物産展"}).content.decode().count("board/posts/") == 0


@pytest.mark.parametrize("name,data,fragment", [
    ("請求書.pdf", b"MZ\x90\x00 this is a windows program", "添付できない種類"),  # spoofed type
    ("photo.jpg", b"just text pretending to be a photo", "添付できない種類"),
    ("../../etc/passwd.pdf", pdf_bytes(), None),  # path in the name: stripped
])
def test_attachments_are_judged_by_content(client, world, name, data, fragment):
    response = start(client, world.ward, files=[SimpleUploadedFile(name, data)])
    if fragment:
        assert response.status_code == 400 and fragment in response.content.decode()
        assert not Thread.objects.exists() and not Attachment.objects.exists()
    else:
        attachment = Attachment.objects.get()
        assert attachment.name == "passwd.pdf" and ".." not in attachment.file.name


def test_a_big_attachment_is_refused(client, world):
    big = SimpleUploadedFile("big.pdf", pdf_bytes() + b"0" * (10 * 1024 * 1024))
    response = start(client, world.ward, files=[big])
    assert response.status_code == 400 and "10MBまで" in response.content.decode()
    assert not Thread.objects.exists()


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(client, world):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (8000, 5001)).save(out, "PNG")  # 40,008,000 pixels in a few kilobytes
    response = start(client, world.ward, files=[SimpleUploadedFile("地図.png", out.getvalue())])
    assert response.status_code == 400 and "画素数が多すぎます（8000×5001）" in response.content.decode()
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_images_are_drawn_before_the_write_starts(world, monkeypatch):
    """Decoding an image holds no database lock: other members' writes never wait for it."""
    from django.db import connection

    drawn = services._thumbnail
    inside = []

    def watched(data, name):
        inside.append(list(connection.savepoint_ids))  # a transaction begun inside the test's own adds one
        return drawn(data, name)

    monkeypatch.setattr(services, "_thumbnail", watched)
    thread = services.start_thread(author=world.ward, category=Category.objects.get(slug="tourism"), type="topic",
                                   title="写真", body="本文", uploads=[SimpleUploadedFile("a.png", PNG_1PX)])
    services.reply(author=world.member, thread=thread, body="返信", uploads=[SimpleUploadedFile("b.png", PNG_1PX)])
    # The test itself runs in a transaction: what matters is that none more was open around the drawing.
    outside = list(connection.savepoint_ids)
    assert inside == [outside, outside]


def test_a_reply_to_a_thread_locked_meanwhile_is_refused_and_leaves_nothing(world):
    from renkei.testing import sample_thread

    thread = sample_thread()  # as the reply form loaded it
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)  # a moderator, a moment later
    posts, audit = Post.objects.count(), AuditEntry.objects.count()
    with pytest.raises(services.BoardError, match="ロックされている"):
        services.reply(author=world.member, thread=thread, body="間に合わなかった返信")
    assert Post.objects.count() == posts and AuditEntry.objects.count() == audit
    thread.refresh_from_db()
    assert thread.post_count == posts


def test_a_control_character_pasted_into_a_post_is_removed_at_the_door_and_refused_by_the_service(client, world):
    """Through the form, a BEL is removed before the board reads it (renkei.core.nul); a caller
    that reaches the service another way is still refused with the message."""
    assert start(client, world.ward, body="制御\x07文字").status_code == 302
    assert Post.objects.get().body == "制御文字"
    with pytest.raises(services.BoardError, match="制御文字"):
        services.check_text("題名", "制御\x07文字")


@pytest.mark.parametrize("overrides,fragment", [
    ({"title": ""}, "題名"),
    ({"title": "   "}, "必須"),
    ({"body": "あ" * 20_001}, "本文が長すぎます"),
    ({"deadline": ""}, "締切日"),
])
def test_bad_posts_are_explained_and_write_nothing(client, world, overrides, fragment):
    response = start(client, world.ward, **overrides)
    assert response.status_code == 400 and fragment in response.content.decode()
    assert not Thread.objects.exists()


def test_a_10mb_body_is_refused(client, world):
    response = start(client, world.ward, body="あ" * (10 * 1024 * 1024 // 3))
    assert response.status_code == 400 and not Thread.objects.exists()


def test_invalid_utf8_is_not_a_500(client, world):
    sign_in(client, world.ward)
    body = b"category=1&type=information&title=%E8%A6%B3%FF%FE&body=%FF%FE%E8"
    response = client.post("/board/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 400)


def test_no_html_or_script_survives():
    html = services.render('<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[link](javascript:alert(1)) **ok**')
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, not run
    assert "<strong>ok</strong>" in html


def test_calls_close_after_their_deadline(world):
    thread = services.start_thread(author=world.ward, category=Category.objects.get(slug="tourism"), type="call",
                                   title="募集", body="本文", deadline=timezone.localdate() - dt.timedelta(days=1))
    assert thread.is_closed


def test_questions_can_be_marked_answered_by_their_author(client, world):
    thread = services.start_thread(author=world.member, category=Category.objects.get(slug="other"), type="question",
                                   title="質問です", body="教えてください")
    sign_in(client, world.member)
    client.post(f"/board/threads/{thread.pk}/answered/", {"on": "1"})
    thread.refresh_from_db()
    assert thread.is_answered
    sign_in(client, world.other_member)
    assert client.post(f"/board/threads/{thread.pk}/answered/", {"on": "0"}).status_code == 404


def test_following_and_mail_at_once(world, django_capture_on_commit_callbacks):
    Preference.objects.create(user=world.other_member, mode=Preference.Mode.IMMEDIATE)
    services.follow(world.other_member, category=Category.objects.get(slug="tourism"))
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.start_thread(author=world.ward, category=Category.objects.get(slug="tourism"),
                                       type="information", title="観光フェアのお知らせ", body="ご参加ください。")
    messages = [m for m in mail.outbox if m.to == [world.other_member.email]]
    assert len(messages) == 1 and "観光フェアのお知らせ" in messages[0].subject
    assert Follow.objects.filter(user=world.ward, thread=thread).exists()  # own threads are followed
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=world.other_member, thread=thread, body="参加します")
    assert not [m for m in mail.outbox if m.to == [world.ward.email] and "観光フェア" in m.subject]  # digest by default


def test_the_daily_digest_reads_well_as_plain_text(world, django_capture_on_commit_callbacks):
    thread = services.start_thread(author=world.ward, category=Category.objects.get(slug="tourism"),
                                   type="call", title="物産展の出展者募集", body="出展を募集します。",
                                   deadline=timezone.localdate() + dt.timedelta(days=10))
    services.follow(world.member, thread=thread)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author=world.other_member, thread=thread, body="上川町も出展を希望します。")
        sent = send_digests(timezone.now() + dt.timedelta(minutes=1))
    assert sent >= 1
    digest = next(m for m in mail.outbox if m.to == [world.member.email] and "まとめ" in m.subject)
    assert "■ 物産展の出展者募集" in digest.body and "北海道上川町" in digest.body
    link = re.search(r"http://\S+/board/posts/(\d+)/", digest.body)
    assert link and "<" not in digest.body
    client = Client()
    response = client.get(link.group(0).removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 302 and "next=/board/posts/" in response["Location"]  # after sign-in
    sign_in(client, world.member)
    landed = client.get(link.group(0).removeprefix("http://127.0.0.1:8000"))
    assert f"#post-{link.group(1)}" in landed["Location"]


def test_unread_markers_and_new_since_last_visit(world):
    thread = services.start_thread(author=world.ward, category=Category.objects.get(slug="tourism"),
                                   type="information", title="新しい情報", body="本文")
    client = Client()
    sign_in(client, world.member)
    assert "未読" in client.get("/board/").content.decode()
    client.get(thread.get_absolute_url())
    assert "未読" not in client.get("/board/").content.decode()
    services.reply(author=world.other_member, thread=thread, body="追加の情報です")
    assert "未読" in client.get("/board/").content.decode()
    assert "新しい情報" in client.get("/board/new-posts/").content.decode()


def test_reported_posts_are_hidden_by_the_secretariat_and_the_author_told(world, django_capture_on_commit_callbacks):
    thread = services.start_thread(author=world.member, category=Category.objects.get(slug="other"),
                                   type="information", title="宣伝", body="不適切な宣伝です")
    post = thread.posts.get()
    reporter = Client()
    sign_in(reporter, world.other_member)
    reporter.post(f"/board/posts/{post.pk}/report/", {"reason": "営利目的の宣伝です"})
    assert Report.objects.filter(post=post).exists()
    secretariat = Client()
    sign_in(secretariat, world.secretariat)
    assert "営利目的の宣伝です" in secretariat.get("/secretariat/board/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(f"/secretariat/board/posts/{post.pk}/moderate/", {"action": "hide"})
    post.refresh_from_db()
    assert post.is_hidden and Report.objects.get(post=post).resolved_at
    assert mail.outbox[-1].to == [world.member.email] and "非表示" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="board.moderation.hide", actor=world.secretariat).exists()
    page = reporter.get(thread.get_absolute_url()).content.decode()
    assert "事務局により非表示" in page and "不適切な宣伝です" not in page
    secretariat.post(f"/secretariat/board/threads/{thread.pk}/moderate/", {"action": "lock"})
    secretariat.post(f"/secretariat/board/threads/{thread.pk}/moderate/", {"action": "move",
                                                               "category": Category.objects.get(slug="industry").pk})
    secretariat.post(f"/secretariat/board/threads/{thread.pk}/moderate/", {"action": "pin"})
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_pinned and thread.category.slug == "industry"
    with pytest.raises(services.BoardError, match="ロック"):
        services.reply(author=world.other_member, thread=thread, body="返信")


def test_members_cannot_moderate(client, world):
    thread = services.start_thread(author=world.member, category=Category.objects.get(slug="other"),
                                   type="information", title="題", body="本文")
    sign_in(client, world.other_member)
    assert client.post(f"/secretariat/board/threads/{thread.pk}/moderate/", {"action": "hide"}).status_code == 403
    thread.refresh_from_db()
    assert not thread.is_hidden


def test_search_finds_a_two_character_word_with_filters(client, world):
    services.start_thread(author=world.ward, category=Category.objects.get(slug="tourism"), type="call",
                          title="物産展の出展募集", body="観光客に向けて", deadline=timezone.localdate() + dt.timedelta(days=5))
    services.start_thread(author=world.member, category=Category.objects.get(slug="disaster"), type="information",
                          title="防災訓練", body="観光とは無関係")
    sign_in(client, world.other_member)
    page = client.get("/board/search/", {"q": "観光"}).content.decode()
    assert "物産展の出展募集" in page and "防災訓練" in page and "<mark>観光</mark>" in page
    page = client.get("/board/search/", {"q": "観光", "open_calls": "on"}).content.decode()
    assert "物産展の出展募集" in page and "防災訓練" not in page
    page = client.get("/board/search/", {"q": "観光", "prefecture": "01"}).content.decode()
    assert "防災訓練" in page and "物産展の出展募集" not in page
    # Chosen from a list and typed by name, not by code
    assert '<option value="01">北海道</option>' in client.get("/board/search/").content.decode()
    page = client.get("/board/search/", {"q": "観光", "organization": "千代田区"}).content.decode()
    assert "物産展の出展募集" in page and "防災訓練" not in page
    unknown = client.get("/board/search/", {"q": "観光", "organization": "架空町"})
    assert unknown.status_code == 400 and "架空町" in unknown.content.decode()


def test_lists_run_a_constant_number_of_queries(client, world):
    for n in range(8):
        thread = services.start_thread(author=world.member, category=Category.objects.get(slug="tourism"),
                                       type="information", title=f"情報{n}", body="本文",
                                       uploads=[SimpleUploadedFile("a.png", PNG_1PX)] if n == 0 else ())
        services.reply(author=world.other_member, thread=thread, body="返信")
    sign_in(client, world.ward)
    get_within(client, "/board/", queries=16, contains="情報7")
    # session, user, thread, count, read mark (read and written, with savepoints), follow, posts,
    # attachments, categories, session save: the same whatever the number of posts
    get_within(client, thread.get_absolute_url(), queries=20, contains="返信")
    get_within(client, "/board/search/", data={"q": "情報"}, queries=14, contains="情報0")




def test_what_the_secretariat_hides_is_found_by_no_way_to_it(world, django_capture_on_commit_callbacks):
    """A hidden post, and every post of a hidden thread: members reach their text and files by no
    way at all — the thread, a quote, search (both paths), the post's history, its files, the new
    posts, the digest and the immediate mail — while the secretariat still reads them to moderate."""
    from renkei.board.tasks import notify_new_post

    category = Category.objects.get(slug="tourism")
    services.follow(world.member, category=category)
    thread = services.start_thread(author=world.ward, category=category, type="information", title="物産展のご案内",
                                   body="公開の本文です")
    hidden = services.reply(author=world.other_member, thread=thread, body="極秘の下書きです",
                            uploads=[SimpleUploadedFile("極秘の図.png", PNG_1PX)])
    services.edit_post(editor=world.other_member, post=hidden, body="極秘の清書です")
    other = services.start_thread(author=world.ward, category=category, type="information", title="内輪の相談",
                                  body="隠密の打ち合わせです")
    services.moderate(moderator=world.secretariat, post=hidden, action="hide")
    services.moderate(moderator=world.secretariat, thread=other, action="hide")
    secret_words = ("下書き", "清書", "打ち合わせ", "内輪", "極秘の図")  # never in a query below
    files = hidden.attachments.get()

    member = Client()
    sign_in(member, world.member)
    pages = [
        thread.get_absolute_url(),
        f"{thread.get_absolute_url()}?quote={hidden.pk}",
        "/board/search/?q=極秘", "/board/search/?q=隠密", f"/board/search/?q=極秘&category={category.pk}",
        f"/board/search/?q=隠密&category={category.pk}", "/board/new-posts/", "/board/",
    ]
    for url in pages:
        response = member.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [w for w in secret_words if w in text], url
    for url in (f"/board/posts/{hidden.pk}/history/", f"/board/posts/{other.posts.get().pk}/history/",
                f"/board/files/{files.token}/", f"/board/files/{files.token}/thumbnail/", other.get_absolute_url()):
        assert member.get(url).status_code == 404, url

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_new_post.call(hidden.pk) == 0 and notify_new_post.call(other.posts.get().pk) == 0
        send_digests(timezone.now() + dt.timedelta(minutes=1))
    digest = "\n".join(m.body for m in mail.outbox if world.member.email in m.to)
    assert "公開の本文です" in digest and not [w for w in secret_words if w in digest]

    secretariat = Client()
    sign_in(secretariat, world.secretariat)
    assert "極秘の下書きです" in secretariat.get(f"/board/posts/{hidden.pk}/history/").content.decode()
    assert secretariat.get(f"/board/files/{files.token}/").status_code == 200


def test_every_write_to_the_board_is_in_the_audit_log(world):
    category = Category.objects.get(slug="other")
    thread = services.start_thread(author=world.member, category=category, type="question", title="質問です",
                                   body="教えてください")
    reply = services.reply(author=world.other_member, thread=thread, body="お答えします")
    services.edit_post(editor=world.other_member, post=reply, body="お答えします（訂正）")
    services.set_answered(user=world.member, thread=thread, answered=True)
    services.report(reporter=world.member, post=reply, reason="確認してください")
    services.moderate(moderator=world.secretariat, post=reply, action="hide")
    services.moderate(moderator=world.secretariat, thread=thread, action="lock")
    services.delete_post(user=world.member, post=thread.posts.order_by("id").first())
    logged = list(AuditEntry.objects.filter(action__startswith="board.").order_by("id")
                  .values_list("action", "actor__email"))
    assert logged == [
        ("board.thread.started", world.member.email), ("board.post.replied", world.other_member.email),
        ("board.post.changed", world.other_member.email), ("board.thread.changed", world.member.email),
        ("board.post.reported", world.member.email), ("board.moderation.hide", world.secretariat.email),
        ("board.moderation.lock", world.secretariat.email), ("board.post.deleted", world.member.email),
    ]


def test_a_posts_single_line_breaks_are_kept(client, world):
    """Written as a mail is written — 「各位\\nお疲れ様です。」 — the lines stay lines on the page."""
    from renkei.board.services import render

    html = render("各位\nお疲れ様です。\n\n次の段落\n- 箇条")
    assert "<p>各位<br>\nお疲れ様です。</p>" in html
    assert "<li>箇条</li>" in html and "<p>次の段落</p>" in html


def test_a_call_with_a_deadline_already_past_is_refused_with_a_message(client, world):
    past = start(client, world.ward, deadline=(timezone.localdate() - dt.timedelta(days=1)).isoformat())
    assert past.status_code == 400 and "締切日が過ぎています" in past.content.decode()
    assert start(client, world.ward, deadline=timezone.localdate().isoformat()).status_code == 302  # today is fine
