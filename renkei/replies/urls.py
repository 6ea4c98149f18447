from django.urls import path

from renkei.replies import views

app_name = "replies"
urlpatterns = [
    path("secretariat/replies/", views.inbox, name="inbox"),
    path("secretariat/replies/<int:pk>/release/", views.release, name="release"),
]
