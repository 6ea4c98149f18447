from django.urls import path

from renkei.disasters import desk_views as views

app_name = "disasters_desk"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("enquiries/<int:pk>/", views.answer, name="answer"),
    path("<int:pk>/dispatches/new/", views.dispatch_edit, name="dispatch_new"),
    path("<int:pk>/dispatches/<int:dispatch_pk>/", views.dispatch_edit, name="dispatch_edit"),
    path("<int:pk>/supplies/new/", views.supply_edit, name="supply_new"),
    path("<int:pk>/supplies/<int:supply_pk>/", views.supply_edit, name="supply_edit"),
    path("<int:pk>/requests/new/", views.request_new, name="request_new"),
]
