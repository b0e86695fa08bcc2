from django.urls import path

from neighbourhoods import views

app_name = "neighbourhoods"
urlpatterns = [
    path("", views.home, name="home"),
    path("neighbourhoods/<slug:slug>/", views.neighbourhood_detail, name="detail"),
]
