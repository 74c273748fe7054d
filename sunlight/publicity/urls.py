"""Public pages at /decisions/ and workbench screens at /workbench/publicity/ (one include at the site root)."""

from django.urls import path

from . import staff_views, views
from .feeds import DecisionFeed

app_name = "publicity"
urlpatterns = [
    # First: the most requested page (patterns here do not overlap, so order changes nothing else).
    path("decisions/<uuid:public_id>/", views.decision_detail, name="decision_detail"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/feed.atom", DecisionFeed(), name="feed"),
    path("decisions/export.csv", views.export_csv, name="export_csv"),
    path("decisions/export.json", views.export_json, name="export_json"),
    path("decisions/<uuid:public_id>/verify", views.decision_verify, name="decision_verify"),
    path("decisions/<uuid:public_id>/record.json", views.decision_record, name="decision_record"),
    path("decisions/<uuid:public_id>/qr.svg", views.decision_qr, name="decision_qr"),
    path("decisions/<uuid:public_id>/correction/", views.correction_new, name="correction_new"),
    path("decisions/corrections/<uuid:public_id>/", views.correction_status, name="correction_status"),
    path("workbench/publicity/", staff_views.queue, name="queue"),
    path("workbench/publicity/corrections/", staff_views.corrections, name="corrections"),
    path("workbench/publicity/corrections/<uuid:public_id>/", staff_views.correction_handle, name="correction_handle"),
    path(
        "workbench/publicity/corrections/<uuid:public_id>/evidence/<str:sha256>/",
        staff_views.correction_evidence,
        name="correction_evidence",
    ),
    path("workbench/publicity/<uuid:public_id>/", staff_views.detail, name="detail"),
    path("workbench/publicity/<uuid:public_id>/confirm/", staff_views.confirm, name="confirm"),
    path("workbench/publicity/<uuid:public_id>/withdraw/", staff_views.withdraw, name="withdraw"),
    path("workbench/publicity/<uuid:public_id>/update/", staff_views.update, name="update"),
]
