from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    """Kecamatan and Desa/Kelurahan Layak Anak (Kelana/Dekela): operators, checklists and the roll-up."""

    name = "layak.villages"
    label = "villages"
    verbose_name = _("Kelana/Dekela")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from layak.common.generations import bump_on_model_changes, read_with
        from layak.evaluations.models import Cycle
        from layak.evaluations.prefill import register_provider

        from .models import Checklist, ChecklistAnswer
        from .providers import village_values
        from .provila import VILLAGES_GENERATION
        from .selectors import CYCLES_GENERATION

        register_provider(village_values)
        # The province dashboard's Provila panel is cached under this generation (templatetags/villages_tags.py).
        bump_on_model_changes(VILLAGES_GENERATION, [Checklist, ChecklistAnswer, Cycle])
        # ... read by the province dashboard together with its own generations (one cache read).
        read_with("dashboards:province", lambda code: [VILLAGES_GENERATION])
        bump_on_model_changes(CYCLES_GENERATION, [Cycle])
        # Each checklist page is cached per cycle and area (selectors.checklist_generation).
        for model, receiver in ((Checklist, _checklist_changed), (ChecklistAnswer, _answer_changed)):
            for signal in (post_save, post_delete):
                uid = f"villages.checklist.{model.__name__}.{signal is post_save}"
                signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        # A reopened checklist's page names whoever reopened it: renaming that person changes the page.
        from django.contrib.auth import get_user_model

        post_save.connect(_reopener_renamed, sender=get_user_model(), dispatch_uid="villages.checklist.reopener")
        # The progress tables are cached per cycle and place (rollup.progress_generation).
        post_save.connect(_progress_changed, sender=Checklist, dispatch_uid="villages.progress.save")
        post_delete.connect(_progress_changed, sender=Checklist, dispatch_uid="villages.progress.delete")


def _progress_changed(instance, update_fields=None, **kwargs) -> None:
    """A checklist created, sent, verified, reopened or deleted changes the progress of its kab/kota, province
    and the country (an answer saved only moves `updated_at`: the progress stays)."""
    if update_fields is not None and set(update_fields) <= {"updated_at"}:
        return
    from layak.common.generations import bump_on_commit

    from .rollup import progress_generation, progress_places

    for place in progress_places(instance.kabkota_id):
        bump_on_commit(progress_generation(instance.cycle_id, place))


def _checklist_changed(instance, **kwargs) -> None:
    """Any write of a checklist (created, answered, sent, verified, reopened, deleted) changes its page."""
    from layak.common.generations import bump_on_commit

    from .selectors import checklist_generation

    bump_on_commit(checklist_generation(instance.cycle_id, instance.region_id))


# What a person's name on a page is made of (User.__str__).
_NAME_FIELDS = {"full_name", "first_name", "last_name", "username"}


def _reopener_renamed(instance, created=False, update_fields=None, **kwargs) -> None:
    """The pages of the checklists this person reopened show their name (a sign-in saves only `last_login`, and a
    new person has reopened nothing: neither reads anything)."""
    if created or (update_fields is not None and not _NAME_FIELDS & set(update_fields)):
        return
    from layak.common.generations import bump_many_on_commit

    from .models import Checklist
    from .selectors import checklist_generation

    reopened = Checklist.objects.filter(reopened_by=instance).values_list("cycle_id", "region_id")
    bump_many_on_commit(checklist_generation(cycle, region) for cycle, region in reopened)


def _answer_changed(instance, **kwargs) -> None:
    """An answer saved or deleted by any path (the services also move the checklist, which bumps the same counter)."""
    from .models import Checklist

    try:
        checklist = instance.checklist
    except Checklist.DoesNotExist:  # deleted with its checklist, whose own deletion bumps the counter
        return
    _checklist_changed(checklist)
