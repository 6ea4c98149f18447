from django.urls import path

from renkei.disasters import member_views as views

app_name = "disaster_members"
urlpatterns = [
    path("", views.home, name="home"),
    path("enquiries/<int:pk>/", views.answer, name="answer"),
    path("<int:pk>/dispatches/new/", views.dispatch_edit, name="dispatch_new"),
    path("<int:pk>/dispatches/<int:dispatch_pk>/", views.dispatch_edit, name="dispatch_edit"),
    path("<int:pk>/supplies/new/", views.supply_edit, name="supply_new"),
    path("<int:pk>/supplies/<int:supply_pk>/", views.supply_edit, name="supply_edit"),
    path("<int:pk>/requests/new/", views.request_new, name="request_new"),
]
