from django.urls import path

from renkei.board import views

app_name = "board"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_thread, name="new_thread"),
    path("search/", views.search_view, name="search"),
    path("new-posts/", views.new_posts, name="new_posts"),
    path("settings/", views.preferences, name="preferences"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("threads/<int:pk>/follow/", views.follow_thread, name="follow_thread"),
    path("threads/<int:pk>/answered/", views.answered, name="answered"),
    path("categories/<slug:slug>/follow/", views.follow_category, name="follow_category"),
    path("posts/<int:pk>/", views.post, name="post"),
    path("posts/<int:pk>/edit/", views.edit, name="edit"),
    path("posts/<int:pk>/history/", views.history, name="history"),
    path("posts/<int:pk>/delete/", views.delete, name="delete"),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("files/<str:token>/", views.attachment, name="attachment"),
    path("files/<str:token>/thumbnail/", views.attachment_thumbnail, name="thumbnail"),
]
