from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "credence.audit"
    label = "audit"
