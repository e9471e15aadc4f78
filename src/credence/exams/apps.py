from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "credence.exams"
    label = "exams"
