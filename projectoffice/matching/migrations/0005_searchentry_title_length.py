# The PostgreSQL search engine's title length, and the title's RUM index ordered by it (see
# projectoffice/matching/pg_engine.py: the records whose title holds every word come shortest title first, out of
# the index, without ranking every match of a common word).

from django.db import migrations


def add_title_length(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite keeps the plain table; the PostgreSQL engine is refused there at start-up
    from projectoffice.matching.pg_engine import TABLE, title_length_sql, title_rum_sql

    with schema_editor.connection.cursor() as cursor:
        for statement in title_length_sql(TABLE):
            cursor.execute(statement)
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [f"{TABLE}_tsv_rum"])
        if cursor.fetchone() is not None:  # migration 0004 made the RUM indexes: the title's gets the length
            for statement in title_rum_sql(TABLE):
                cursor.execute(statement)


def drop_title_length(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from projectoffice.matching.pg_engine import TABLE

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [f"{TABLE}_tsv_rum"])
        rum = cursor.fetchone() is not None
        cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN title_len")  # drops the index over it too
        if rum:
            cursor.execute(f"CREATE INDEX {TABLE}_title_tsv_rum ON {TABLE} USING rum (title_tsv rum_tsvector_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0004_searchentry'),
    ]

    operations = [
        migrations.RunPython(add_title_length, drop_title_length),
    ]
