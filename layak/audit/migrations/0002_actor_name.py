from django.conf import settings
from django.db import migrations, models


def fill_actor_names(apps, schema_editor):
    """Existing events get their actor's name now, so deleting the account later keeps it."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    actors = AuditEvent.objects.exclude(actor=None).values_list("actor_id", flat=True).distinct()
    for user in User.objects.filter(pk__in=actors):
        name = (user.full_name or f"{user.first_name} {user.last_name}".strip() or user.username)[:150]
        AuditEvent.objects.filter(actor_id=user.pk).update(actor_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="actor's name"),
        ),
        migrations.RunPython(fill_actor_names, migrations.RunPython.noop),
    ]
