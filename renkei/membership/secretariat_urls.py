from django.urls import path

from renkei.membership import secretariat_views as views

app_name = "secretariat"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/approve/", views.approve, name="approve"),
    path("applications/<int:pk>/reject/", views.reject, name="reject"),
    path("members/", views.members, name="members"),
    path("members/<str:code>/", views.member, name="member"),
    path("members/<str:code>/invite/", views.invite, name="invite"),
    path("members/<str:code>/staff/<int:user_pk>/remove/", views.remove, name="remove"),
    path("members/<str:code>/staff/<int:user_pk>/make-lead/", views.make_lead, name="make_lead"),
    path("members/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("members/<str:code>/resume/", views.resume, name="resume"),
    path("wards/", views.wards, name="wards"),
    path("emails/", views.outbox, name="outbox"),
    path("emails/<int:pk>/resend/", views.resend, name="resend"),
]
