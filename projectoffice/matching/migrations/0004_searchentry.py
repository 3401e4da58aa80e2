# The PostgreSQL search engine's table; on PostgreSQL its weighted tsvector, GIN index and, when the server
# has the extension, the RUM index (see projectoffice/matching/pg_engine.py).

from django.db import DatabaseError, migrations, models, transaction


def add_tsvector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite keeps the plain table; the PostgreSQL engine is refused there at start-up
    from projectoffice.matching.pg_engine import TABLE, rum_available, rum_sql, title_gin_sql, tsvector_sql

    with schema_editor.connection.cursor() as cursor:
        for statement in tsvector_sql(TABLE):
            cursor.execute(statement)
        if rum_available(cursor):
            try:
                with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                    for statement in rum_sql(TABLE):
                        cursor.execute(statement)
                return
            except DatabaseError:  # not allowed to create the extension: GIN alone (a superuser may add it later)
                pass
        cursor.execute(title_gin_sql(TABLE))  # GIN alone: the engine orders by ts_rank


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0003_verbose_names_in_russian'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='номер записи')),
                ('kind', models.CharField(max_length=32, verbose_name='вид')),
                ('title', models.TextField(verbose_name='леммы заголовка')),
                ('body', models.TextField(verbose_name='леммы текста')),
            ],
            options={
                'verbose_name': 'запись поискового индекса',
                'verbose_name_plural': 'записи поискового индекса',
            },
        ),
        migrations.RunPython(add_tsvector, migrations.RunPython.noop),
    ]
