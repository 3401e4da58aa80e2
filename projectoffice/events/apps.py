from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "projectoffice.events"
    label = "events"
    verbose_name = "Мероприятия"
