from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "projectoffice.matching"
    label = "matching"
    verbose_name = "Подбор и текстовый движок"

    def ready(self) -> None:
        # The catalogue (opportunities, below matching) reaches the index through these hooks, never by import.
        from projectoffice.matching import index  # imports models, which are loaded only by now
        from projectoffice.opportunities import search_index

        search_index.connect(
            reindex=index.index_opportunities, search=index.search_ids, in_transaction=index.in_database
        )
