"""Legal-review pages under /workbench/review/ (namespace "review")."""

from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("submit/<uuid:case_id>/", views.submit, name="submit"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/act/<slug:action>/", views.act, name="act"),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/<slug:fmt>/",
        views.document_download,
        name="document_download",
    ),
]
