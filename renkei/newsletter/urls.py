from django.urls import path

from renkei.newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("", views.index, name="index"),
    path("vol-<int:volume>/", views.issue, name="issue"),
    path("vol-<int:volume>.pdf", views.issue_pdf, name="issue_pdf"),
    path("subscription/", views.subscription, name="subscription"),
]
