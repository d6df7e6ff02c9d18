"""URLs of paper households, their letters and claim, and the start kit."""

from django.urls import path

from watch.paper import views

urlpatterns = [
    path("manage/areas/<int:pk>/paper/new/", views.register, name="paper_register"),
    path("manage/paper/<int:pk>/", views.paper_household, name="paper_household"),
    path("manage/paper/<int:pk>/code/", views.claim_code, name="paper_claim_code"),
    path("manage/paper/<int:pk>/phone/", views.paper_phone, name="paper_phone"),
    path("manage/paper/<int:pk>/phone/code/", views.paper_phone_code, name="paper_phone_code"),
    path(
        "manage/paper/<int:pk>/phone/verify/", views.paper_phone_verify, name="paper_phone_verify"
    ),
    # In every text to a household on paper: short, as it costs room in the text.
    path("sms/stop/<str:token>/", views.sms_stop, name="paper_sms_stop"),
    path("household/claim/", views.claim, name="claim"),
    path("manage/areas/<int:pk>/letters/", views.letters, name="paper_letters"),
    path(
        "manage/areas/<int:pk>/letters/<int:alert_pk>/letters.pdf",
        views.letters_pdf,
        name="paper_letters_pdf",
    ),
    path(
        "manage/areas/<int:pk>/letters/<int:alert_pk>/labels.pdf",
        views.labels_pdf,
        name="paper_labels_pdf",
    ),
    path(
        "manage/areas/<int:pk>/letters/<int:alert_pk>/delivered/",
        views.letters_delivered,
        name="paper_letters_delivered",
    ),
    path("manage/areas/<int:pk>/households/print/", views.household_list, name="household_list"),
    path("manage/areas/<int:pk>/start-kit/", views.start_kit, name="start_kit"),
    path("manage/interest/start-kit/", views.interest_start_kit, name="interest_start_kit"),
]
