"""Annual reports on the portal (/annual-reports/) and in the workbench (/workbench/annual-reports/), and the
timeliness monitoring page (PUB-10, PUB-11). One include at the site root."""

from django.urls import path

from . import report_views

app_name = "annual_report"
urlpatterns = [
    path("annual-reports/", report_views.report_list, name="list"),
    path("annual-reports/<uuid:public_id>/", report_views.report_detail, name="detail"),
    path("annual-reports/<uuid:public_id>/report.pdf", report_views.report_pdf, name="pdf"),
    path("workbench/annual-reports/", report_views.staff_list, name="staff_list"),
    path("workbench/annual-reports/monitoring/", report_views.monitoring_page, name="monitoring"),
    path("workbench/annual-reports/<uuid:public_id>/", report_views.staff_detail, name="staff_detail"),
]
