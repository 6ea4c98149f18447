from django.urls import path

from renkei.sources import views

app_name = "sources"
urlpatterns = [
    path("<slug:slug>/", views.publication_detail, name="publication"),
]
