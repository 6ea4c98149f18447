from django.urls import path

from renkei.portal import editor_views as views

app_name = "editor"
urlpatterns = [
    path("news/", views.news_list, name="news_list"),
    path("news/new/", views.news_edit, name="news_new"),
    path("news/<int:pk>/", views.news_edit, name="news_edit"),
    path("news/<int:pk>/delete/", views.news_delete, name="news_delete"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_edit, name="event_new"),
    path("events/<int:pk>/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/review/", views.event_review, name="event_review"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
]
