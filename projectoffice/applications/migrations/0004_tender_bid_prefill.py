"""The built-in tender bid template filled «Опыт исполнения аналогичных контрактов» with the project team and the
price section with the project's budget text; installed copies that still carry those built-in values start empty."""

from django.db import migrations

WRONG = {
    "Опыт исполнения аналогичных контрактов": "team",
    "Ценовое предложение и его обоснование": "budget",
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    TemplateSection = apps.get_model("applications", "TemplateSection")
    for title, prefill in WRONG.items():
        TemplateSection.objects.filter(
            template__key="tender-bid", template__is_builtin=True, title=title, prefill=prefill
        ).update(prefill="")


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_field_bounds")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
