from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("requests/<uuid:public_id>/", views.request_decide, name="request_decide"),
    path("<slug:subject_type>/<str:subject_id>/request/", views.request_new, name="request_new"),
    path("<slug:subject_type>/<str:subject_id>/trail/", views.trail, name="trail"),
    path("<slug:subject_type>/<str:subject_id>/trail.pdf", views.trail_pdf, name="trail_pdf"),
]
