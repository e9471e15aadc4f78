from __future__ import annotations

from django.urls import path

from credence.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.my_fees, name="my-fees"),
    path("invoices/<str:number>.pdf", views.invoice_download, name="invoice-pdf"),
    path("invoices/<str:number>/pay-online/", views.pay_online, name="pay-online"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("credit-notes/<str:number>.pdf", views.credit_note_download, name="credit-note-pdf"),
    path("refunds/<int:pk>.pdf", views.refund_statement_download, name="refund-pdf"),
    path("office/", views.office, name="office"),
    path("office/payments/new/", views.payment_new, name="payment-new"),
    path("office/top-ups/new/", views.top_up_new, name="top-up-new"),
    path(
        "office/refunds/<int:pk>/transferred/", views.refund_transferred, name="refund-transferred"
    ),
    path("office/credits/<int:pk>/paid-back/", views.credit_paid_back, name="credit-paid-back"),
    path("office/fund.svg", views.fund_chart, name="fund-chart"),
    path("office/revenue.csv", views.revenue_csv, name="revenue-csv"),
]
