from django.urls import path

from renkei.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.news_list, name="news_list"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("agreements/", views.agreements, name="agreements"),
    path("stats/", views.stats, name="stats"),
    path("contact/", views.contact, name="contact"),
    path("join/", views.join, name="join"),
]
