"""Scores carry forward: a stage's indicator score records the score it started from (the previous stage's),
and a reason is needed when it differs from that one (no longer from the rubric)."""

from django.db import migrations, models


def previous_from_rubric(apps, schema_editor):
    # Rows written before this change were compared with the rubric; that is the score they started from.
    IndicatorReview = apps.get_model("reviews", "IndicatorReview")
    IndicatorReview.objects.update(previous_points=models.F("computed_points"))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_alter_conflictdeclaration_conflict_once_per_region_and_more"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="indicatorreview", name="indicator_review_change_needs_reason"),
        migrations.AddField(
            model_name="indicatorreview",
            name="previous_points",
            field=models.DecimalField(
                decimal_places=2, max_digits=7, null=True, verbose_name="points from the previous stage"
            ),
        ),
        migrations.RunPython(previous_from_rubric, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="indicatorreview",
            name="previous_points",
            field=models.DecimalField(decimal_places=2, max_digits=7, verbose_name="points from the previous stage"),
        ),
        migrations.AddConstraint(
            model_name="indicatorreview",
            constraint=models.CheckConstraint(
                condition=models.Q(points=models.F("previous_points")) | ~models.Q(reason=""),
                name="indicator_review_change_needs_reason",
                violation_error_message="Say why your score differs from the previous stage's.",
            ),
        ),
    ]
