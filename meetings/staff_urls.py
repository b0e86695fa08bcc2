from django.urls import path

app_name = "meetings_staff"

urlpatterns: list = []
