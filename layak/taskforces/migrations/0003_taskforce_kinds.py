"""Task forces of every kind: Gugus Tugas KLA, PP-TPPO, PAUD-HI (rows, more in the admin); existing decrees and
meetings become the KLA task force's; meetings may be joint and have guests."""

import django.db.models.deletion
from django.db import migrations, models

KINDS = [
    ("kla", "Gugus Tugas KLA", "Perpres 25/2021 Kebijakan Kabupaten/Kota Layak Anak", True),
    (
        "tppo",
        "Gugus Tugas Pencegahan dan Penanganan TPPO",
        "UU 21/2007 Pasal 58; Perpres 69/2008 → 22/2021 → 49/2023",
        False,
    ),
    ("paud_hi", "Gugus Tugas PAUD Holistik Integratif", "Perpres 60/2013 Pengembangan Anak Usia Dini Holistik Integratif", False),
]


def add_kinds(apps, schema_editor):
    Kind = apps.get_model("taskforces", "TaskforceKind")
    for code, name, basis, kla in KINDS:
        Kind.objects.get_or_create(code=code, defaults={"name": name, "legal_basis": basis, "kla_structure": kla})


def existing_are_kla(apps, schema_editor):
    Kind = apps.get_model("taskforces", "TaskforceKind")
    Decree = apps.get_model("taskforces", "Decree")
    Meeting = apps.get_model("taskforces", "Meeting")
    kla = Kind.objects.get(code="kla")
    Decree.objects.filter(kind__isnull=True).update(kind=kla)
    Through = Meeting.kinds.through
    Through.objects.bulk_create([Through(meeting_id=pk, taskforcekind_id=kla.pk) for pk in Meeting.objects.values_list("pk", flat=True)])


class Migration(migrations.Migration):
    dependencies = [("taskforces", "0002_alter_decree_decree_period")]

    operations = [
        migrations.CreateModel(
            name="TaskforceKind",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("legal_basis", models.CharField(blank=True, max_length=300, verbose_name="legal basis")),
                ("kla_structure", models.BooleanField(default=False, verbose_name="checked against the KLA structure")),
            ],
            options={
                "verbose_name": "kind of task force",
                "verbose_name_plural": "kinds of task force",
                "ordering": ["-kla_structure", "name"],
            },
        ),
        migrations.RunPython(add_kinds, migrations.RunPython.noop),
        migrations.AddField(
            model_name="decree",
            name="kind",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="taskforces.taskforcekind", verbose_name="task force",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="kinds",
            field=models.ManyToManyField(
                help_text="More than one for a joint meeting of several task forces.", related_name="+",
                to="taskforces.taskforcekind", verbose_name="task forces meeting",
            ),
        ),
        migrations.RunPython(existing_are_kla, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decree",
            name="kind",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="taskforces.taskforcekind",
                verbose_name="task force",
            ),
        ),
        migrations.CreateModel(
            name="Guest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("organisation", models.CharField(max_length=200, verbose_name="organisation")),
                ("is_speaker", models.BooleanField(default=False, verbose_name="speaker")),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="guests",
                        to="taskforces.meeting", verbose_name="meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting guest",
                "verbose_name_plural": "meeting guests",
                "ordering": ["meeting_id", "-is_speaker", "name", "id"],
            },
        ),
    ]
