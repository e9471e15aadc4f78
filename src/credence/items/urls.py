from django.urls import path

from credence.items import views

app_name = "items"

urlpatterns = [
    path("", views.bank, name="bank"),
    path("import/", views.import_check, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/retire/", views.item_retire, name="retire"),
    path("<int:pk>/reinstate/", views.item_reinstate, name="reinstate"),
]
