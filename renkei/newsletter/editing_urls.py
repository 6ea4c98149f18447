from django.urls import path

from renkei.newsletter import editing_views as views

app_name = "newsletter_editing"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("new/", views.issue_new, name="new"),
    path("vol-<int:volume>/", views.issue_edit, name="edit"),
    path("vol-<int:volume>/preview/", views.issue_preview, name="preview"),
    path("vol-<int:volume>/preview.pdf", views.issue_preview_pdf, name="preview_pdf"),
    path("vol-<int:volume>/checked/", views.issue_checked, name="checked"),
    path("vol-<int:volume>/publish/", views.issue_publish, name="publish"),
]
