from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "credence.learning"
    label = "learning"
