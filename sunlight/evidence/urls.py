"""Evidence pages and the tus upload endpoint, mounted at /workbench/evidence/ (namespace "evidence")."""

from django.urls import path, re_path

from . import tus, views

app_name = "evidence"
urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("new/", views.record_create, name="record_create"),
    path("<uuid:public_id>/", views.record_detail, name="record_detail"),
    path("<uuid:public_id>/interruptions/", views.interruption_add, name="interruption_add"),
    path("<uuid:public_id>/retention/", views.retention_flag_add, name="retention_flag_add"),
    path("<uuid:public_id>/retention/<uuid:flag_id>/lift/", views.retention_flag_lift, name="retention_flag_lift"),
    re_path(
        r"^(?P<public_id>[0-9a-f-]{36})/files/(?P<sha256>[0-9a-f]{64})/download/$",
        views.file_download,
        name="file_download",
    ),
    re_path(r"^(?P<public_id>[0-9a-f-]{36})/files/(?P<sha256>[0-9a-f]{64})/view/$", views.file_view, name="file_view"),
    path("tus/", tus.collection, name="tus_collection"),
    path("tus/<uuid:upload_id>", tus.upload, name="tus_upload"),
]
