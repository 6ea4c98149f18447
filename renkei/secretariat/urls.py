from django.urls import path

from renkei.secretariat.views import audit, board, dashboard, emails, inquiries, membership, publishing, registry

app_name = "secretariat"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # membership: applications, members and their staff, the wards' accounts
    path("applications/", membership.applications, name="applications"),
    path("applications/<int:pk>/", membership.application, name="application"),
    path("applications/<int:pk>/approve/", membership.approve, name="approve"),
    path("applications/<int:pk>/reject/", membership.reject, name="reject"),
    path("members/", membership.members, name="members"),
    path("members/<str:code>/", membership.member, name="member"),
    path("members/<str:code>/invite/", membership.invite, name="invite"),
    path("members/<str:code>/staff/<int:user_pk>/remove/", membership.remove, name="remove"),
    path("members/<str:code>/staff/<int:user_pk>/make-lead/", membership.make_lead, name="make_lead"),
    path("members/<str:code>/withdraw/", membership.withdraw, name="withdraw"),
    path("members/<str:code>/resume/", membership.resume, name="resume"),
    path("wards/", membership.wards, name="wards"),
    # publishing: news, events (members' ones to approve), PR pages
    path("news/", publishing.news_list, name="news_list"),
    path("news/new/", publishing.news_edit, name="news_new"),
    path("news/<int:pk>/", publishing.news_edit, name="news_edit"),
    path("news/<int:pk>/delete/", publishing.news_delete, name="news_delete"),
    path("events/", publishing.event_list, name="event_list"),
    path("events/new/", publishing.event_edit, name="event_new"),
    path("events/<int:pk>/", publishing.event_edit, name="event_edit"),
    path("events/<int:pk>/review/", publishing.event_review, name="event_review"),
    path("events/<int:pk>/delete/", publishing.event_delete, name="event_delete"),
    path("profiles/<str:code>/", publishing.profile_edit, name="profile_edit"),
    # the two desks' inquiries
    path("inquiries/", inquiries.inquiry_list, name="inquiry_list"),
    path("inquiries/<int:pk>/", inquiries.inquiry_detail, name="inquiry_detail"),
    # the registry's import
    path("registry/import/", registry.import_upload, name="import"),
    path("registry/import/<int:pk>/", registry.import_preview, name="import_preview"),
    path("registry/import/<int:pk>/confirm/", registry.import_confirm, name="import_confirm"),
    # the board's moderation
    path("board/", board.moderation, name="moderation"),
    path("board/threads/<int:pk>/moderate/", board.moderate_thread, name="moderate_thread"),
    path("board/posts/<int:pk>/moderate/", board.moderate_post, name="moderate_post"),
    # mail and the audit log
    path("emails/", emails.outbox, name="outbox"),
    path("emails/<int:pk>/resend/", emails.resend, name="resend"),
    path("audit/", audit.audit_log, name="audit_log"),
]
