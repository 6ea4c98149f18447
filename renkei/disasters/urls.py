from django.urls import path

from renkei.disasters import views

app_name = "disasters"
urlpatterns = [
    path("", views.disaster_list, name="list"),
    path("<int:pk>/", views.disaster_detail, name="detail"),
]
