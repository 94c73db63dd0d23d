from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organizations"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from people.cache import watch_connection

        connection_created.connect(watch_connection, dispatch_uid="people-watch-writes")
