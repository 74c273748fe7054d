"""Registry pages under /workbench/registry/: personnel, training, body cameras."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "registry"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:officer_list"), name="index"),
    path("personnel/", views.officer_list, name="officer_list"),
    path("personnel/officers/new/", views.officer_register, name="officer_register"),
    path("personnel/officers/<uuid:public_id>/", views.officer_detail, name="officer_detail"),
    path("personnel/officers/<uuid:public_id>/edit/", views.officer_edit, name="officer_edit"),
    path("personnel/officers/<uuid:public_id>/certificates/new/", views.certificate_issue, name="certificate_issue"),
    path("personnel/officers/<uuid:public_id>/sanctions/new/", views.sanction_new, name="sanction_new"),
    path("personnel/officers/<uuid:public_id>/clear/", views.officer_clear, name="officer_clear"),
    path("personnel/certificates/<uuid:public_id>/review/", views.certificate_review, name="certificate_review"),
    path(
        "personnel/certificates/<uuid:public_id>/<slug:operation>/",
        views.certificate_action,
        name="certificate_action",
    ),
    path("personnel/cleanup/", views.cleanup_list, name="cleanup_list"),
    path("personnel/auxiliaries/", views.auxiliary_list, name="auxiliary_list"),
    path("personnel/auxiliaries/new/", views.auxiliary_register, name="auxiliary_register"),
    path("personnel/auxiliaries/<uuid:public_id>/", views.auxiliary_edit, name="auxiliary_edit"),
    path("training/", views.training, name="training"),
    path("training/plans/new/", views.training_plan_new, name="training_plan_new"),
    path("training/plans/<uuid:public_id>/", views.training_plan, name="training_plan"),
    path("training/records/new/", views.training_record_new, name="training_record_new"),
    path("cameras/", views.camera_list, name="camera_list"),
    path("cameras/new/", views.camera_new, name="camera_new"),
    path("cameras/administrators/", views.camera_administrators, name="camera_administrators"),
    path("cameras/ratio/", views.camera_ratio, name="camera_ratio"),
    path("cameras/policies/<uuid:agency_id>/", views.policy_edit, name="policy_edit"),
    path("cameras/<uuid:public_id>/", views.camera_detail, name="camera_detail"),
    path(
        "cameras/<uuid:public_id>/faults/<int:fault_id>/resolve/",
        views.camera_fault_resolve,
        name="camera_fault_resolve",
    ),
]
