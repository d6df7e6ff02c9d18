from django.urls import path

from official.public_warnings import views as warning_views

app_name = "official"

urlpatterns = [
    path("vma/<int:pk>/", warning_views.public_warning, name="public_warning"),
    path("vma/<int:pk>/forward/", warning_views.forward, name="public_warning_forward"),
]
