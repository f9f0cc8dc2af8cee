"""``/api/v1/``: every operation of the API, and the schema with its interactive docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from desk.api import views as desk
from dossiers.api import views as dossiers
from procedures.api import views as catalog
from reports.api import views as reports

app_name = "api"

urlpatterns = [
    path("v1/procedures/", catalog.ProcedureList.as_view(), name="procedures"),
    path("v1/procedures/<str:code>/", catalog.ProcedureDetail.as_view(), name="procedure"),
    path("v1/fields/", catalog.FieldList.as_view(), name="fields"),
    path("v1/agencies/", catalog.AgencyList.as_view(), name="agencies"),
    path("v1/tracking/", dossiers.Track.as_view(), name="tracking"),
    path("v1/dossiers/", dossiers.DossierList.as_view(), name="dossiers"),
    path("v1/dossiers/<uuid:public_id>/", dossiers.DossierDetailView.as_view(), name="dossier"),
    path(
        "v1/dossiers/<uuid:public_id>/documents/<int:document_id>/files/",
        dossiers.DocumentUpload.as_view(),
        name="dossier_upload",
    ),
    path("v1/dossiers/<uuid:public_id>/submit/", dossiers.Submit.as_view(), name="dossier_submit"),
    path("v1/dossiers/<uuid:public_id>/supplement/", dossiers.SupplementSubmit.as_view(), name="dossier_supplement"),
    path("v1/dossiers/<uuid:public_id>/withdraw/", dossiers.Withdraw.as_view(), name="dossier_withdraw"),
    path("v1/dossiers/<uuid:public_id>/payments/", dossiers.PaymentStart.as_view(), name="dossier_pay"),
    path("v1/desk/queues/", desk.Queues.as_view(), name="desk_queues"),
    path("v1/desk/queues/<slug:key>/", desk.QueueDossiers.as_view(), name="desk_queue"),
    path("v1/desk/dossiers/<str:code>/", desk.OfficerDossierView.as_view(), name="desk_dossier"),
    path("v1/desk/dossiers/<str:code>/actions/<slug:action>/", desk.Act.as_view(), name="desk_act"),
    path("v1/reports/kpi/", reports.Kpi.as_view(), name="reports_kpi"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
