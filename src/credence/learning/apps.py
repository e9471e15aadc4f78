from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "credence.learning"
    label = "learning"

    def ready(self) -> None:
        from credence.exams import api as exams_api
        from credence.learning import api

        # the diagnostic score report lists resources for the weakest domains (decision 0055)
        exams_api.provide_resources(api.resources_for_topics)
