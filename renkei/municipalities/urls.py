from django.urls import path

from renkei.municipalities import views

app_name = "municipalities"
urlpatterns = [
    path("", views.index, name="index"),
    path("prefectures/<str:prefecture_code>/", views.prefecture, name="prefecture"),
    path("<str:code>/", views.detail, name="detail"),
]
