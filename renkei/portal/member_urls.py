from django.urls import path

from renkei.portal import member_views as views

app_name = "contrib"
urlpatterns = [
    path("members/events/", views.event_list, name="event_list"),
    path("members/events/new/", views.event_edit, name="event_new"),
    path("members/events/<int:pk>/", views.event_edit, name="event_edit"),
    path("members/events/<int:pk>/withdraw/", views.event_withdraw, name="event_withdraw"),
    path("members/profile/", views.profile_edit, name="profile_edit"),
]
