from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "layak.jobs"
    label = "jobs"
    verbose_name = _("background jobs")

    def ready(self) -> None:
        # A person's job list is kept under their jobs' generation (selectors.jobs_generation).
        from django.db.models.signals import post_delete, post_save

        from layak.common.generations import bump_on_commit

        from .models import Job
        from .selectors import jobs_generation

        def bumped(sender, instance, **kwargs) -> None:
            bump_on_commit(jobs_generation(instance.owner_id))

        for signal in (post_save, post_delete):
            signal.connect(bumped, sender=Job, weak=False, dispatch_uid="jobs-generation")
