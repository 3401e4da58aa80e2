from django.db import migrations

from projectoffice.participation.goals import ANSWER_STATES, goal_rows


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Goal = apps.get_model("participation", "Goal")
    AnswerState = apps.get_model("participation", "AnswerState")
    for row in goal_rows():
        Goal.objects.update_or_create(code=row["code"], defaults=row)
    for order, (name, accepted, justification) in enumerate(ANSWER_STATES):
        AnswerState.objects.update_or_create(
            name=name, defaults={"is_accepted": accepted, "needs_justification": justification, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
