from django.urls import path

from renkei.disasters import views

app_name = "disasters"
urlpatterns = [
    path("", views.disaster_list, name="list"),
    path("wards/", views.ward_matrix, name="wards"),
    path("<int:pk>/", views.disaster_detail, name="detail"),
    path("decisions/<int:pk>.pdf", views.decision_pdf, name="decision_pdf"),
]
