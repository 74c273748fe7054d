"""Case pages under /workbench/cases/ (namespace "cases")."""

from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("api-clients/", views.api_clients, name="api_clients"),
    path("api-clients/<uuid:client_id>/revoke/", views.api_client_revoke, name="api_client_revoke"),
    path("<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("<uuid:public_id>/steps/<slug:step>/", views.step_form, name="step_form"),
    path("<uuid:public_id>/av/new/", views.av_new, name="av_new"),
    path("<uuid:public_id>/av/<uuid:record_id>/", views.av_upload, name="av_upload"),
    path("<uuid:public_id>/conflicts/", views.conflict_declare, name="conflict_declare"),
    path("<uuid:public_id>/conflicts/<uuid:declaration_id>/decide/", views.recusal_decide, name="recusal_decide"),
    path("<uuid:public_id>/officers/", views.officers_assign, name="officers_assign"),
    path("<uuid:public_id>/documents/", views.document_generate, name="document_generate"),
    path(
        "<uuid:public_id>/documents/<uuid:document_id>/<slug:fmt>/",
        views.document_download,
        name="document_download",
    ),
    path("<uuid:public_id>/archive/", views.archive_form, name="archive_form"),
    path("<uuid:public_id>/archive/<uuid:archive_id>/", views.archive_download, name="archive_download"),
]
