from django.urls import path

from renkei.disasters import views

app_name = "disasters"
urlpatterns = [
    path("", views.disaster_list, name="list"),
    path("wards/", views.ward_matrix, name="wards"),
    path("<int:pk>/", views.disaster_detail, name="detail"),
    path("decisions/<int:pk>.pdf", views.decision_pdf, name="decision_pdf"),
    path("<int:pk>/reports/<int:number>/", views.report, name="report"),
    path("<int:pk>/reports/<int:number>.pdf", views.report_pdf, name="report_pdf"),
]
