from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credence.credentials"
    label = "credentials"

    def ready(self) -> None:
        from credence.credentials import receivers

        # certificates follow the exams' results; the booking rules read them (decision 0055)
        receivers.connect()
