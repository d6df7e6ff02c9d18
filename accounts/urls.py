from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/data.json", views.data_export, name="data_export"),
    path("profile/delete/", views.delete_account, name="delete_account"),
]
