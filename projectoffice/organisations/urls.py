from django.urls import path

from projectoffice.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("import/", views.organisation_import, name="import"),
    path("export.<str:fmt>", views.organisation_export, name="export"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/figures/", views.figures_add, name="figures_add"),
    path("<int:pk>/products/", views.product_add, name="product_add"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
]
