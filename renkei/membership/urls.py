from django.urls import path

from renkei.membership import views

app_name = "membership"
urlpatterns = [
    path("join/apply/", views.apply_search, name="apply_search"),
    path("join/apply/sent/", views.apply_sent, name="apply_sent"),
    path("join/apply/<code:code>/", views.apply, name="apply"),
    path("join/verify/<str:token>/", views.verify_email, name="verify_email"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("members/", views.home, name="home"),
    path("members/staff/invite/", views.invite, name="invite"),
    path("members/staff/<int:user_pk>/remove/", views.remove, name="remove"),
    path("members/staff/<int:user_pk>/make-lead/", views.make_lead, name="make_lead"),
    path("members/staff/<int:user_pk>/disaster-contact/", views.disaster_contact, name="disaster_contact"),
    path("members/withdraw/", views.withdraw, name="withdraw"),
]
