"""Work lists without the dossier join: each open step run carries the instant it is listed by
(`list_due` = its own due instant, or the dossier's appointment when the step has no budget) and the
dossier's clock stop (`paused_since`), both read through two partial indexes on open runs. The old
(assignee/unit, finished_at, due_at) indexes and the index on the run's due_at go: nothing reads them."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill_open_runs(apps, schema_editor):
    """Fill `list_due` and `paused_since` of every open run from its dossier (finished runs are never listed)."""
    StepRun = apps.get_model("dossiers", "StepRun")
    Dossier = apps.get_model("dossiers", "Dossier")
    dossier = Dossier.objects.filter(pk=OuterRef("dossier_id"))
    StepRun.objects.filter(finished_at__isnull=True).update(
        list_due=Coalesce("due_at", Subquery(dossier.values("due_at")[:1])),
        paused_since=Subquery(dossier.values("paused_since")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0003_deadline_watch"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="steprun", name="dossiers_steprun_worklist"),
        migrations.RemoveIndex(model_name="steprun", name="dossiers_steprun_unitlist"),
        migrations.AddField(model_name="steprun", name="list_due",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(model_name="steprun", name="paused_since",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AlterField(model_name="steprun", name="due_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.RunPython(backfill_open_runs, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="steprun",
            index=models.Index(condition=models.Q(("finished_at__isnull", True)), fields=["assignee", "list_due", "id"],
                               include=("paused_since",), name="dossiers_steprun_open_mine"),
        ),
        migrations.AddIndex(
            model_name="steprun",
            index=models.Index(condition=models.Q(("finished_at__isnull", True)),
                               fields=["unit", "role", "list_due", "id"], include=("assignee", "paused_since"),
                               name="dossiers_steprun_open_unit"),
        ),
    ]
