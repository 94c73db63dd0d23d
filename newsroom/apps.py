from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from newsroom import (
            accounts,  # noqa: F401 - connects the sign-in lockout log
            sessions,  # noqa: F401 - starts a session's clocks at sign-in
        )
        from newsroom.cache import watch_connection
        from newsroom.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="newsroom-sqlite-fold")
        connection_created.connect(watch_connection, dispatch_uid="newsroom-watch-writes")
