from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "projectoffice.participation"
    verbose_name = "Участие сообщества"
    label = "participation"
