from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.catalog, name="catalog"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:code>/phien-ban/<int:number>/", views.procedure_detail, name="procedure_version"),
    path("bieu-mau/<int:pk>/", views.form_download, name="form_download"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<slug:slug>/", views.agency_detail, name="agency_detail"),
]
