from django.urls import path

from renkei.matching import views

app_name = "matching"
urlpatterns = [
    path("members/matching/", views.desk, name="desk"),
    path("members/matching/wishes/new/", views.wish_new, name="wish_new"),
    path("members/matching/wishes/<int:pk>/", views.wish, name="wish"),
    path("members/matching/wishes/<int:pk>/edit/", views.wish_edit, name="wish_edit"),
    path("members/matching/wishes/<int:pk>/propose/", views.propose, name="propose"),
    path("members/matching/proposals/<int:pk>/", views.proposal, name="proposal"),
    path("members/matching/proposals/<int:pk>/<str:action>/", views.answer, name="answer"),
    path("members/matching/notice/", views.notice, name="notice"),
    path("secretariat/matching/", views.overview, name="overview"),
    path("secretariat/matching/rules/", views.rules, name="rules"),
]
