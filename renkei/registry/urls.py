from django.urls import path

from renkei.registry import views

app_name = "registry"
urlpatterns = [
    path("relations/new/", views.relation_new, name="relation_new"),
    path("relations/<int:pk>/edit/", views.relation_edit, name="relation_edit"),
    path("relations/<int:pk>/delete/", views.relation_delete, name="relation_delete"),
]
