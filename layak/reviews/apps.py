from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "layak.reviews"
    label = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        # Submission starts verification; evidence of returned indicators may change (evaluations/hooks.py).
        # Files submitted for verification are pinned: replacing them asks this app first (evidence/hooks.py).
        from layak.accounts.models import Agency
        from layak.common.generations import bump_on_model_changes
        from layak.evaluations import hooks
        from layak.evidence import hooks as evidence_hooks

        from .selectors import evidence_replace_refusal, revision_allows_edit
        from .services import review_start_on_submission
        from .stages import handover_replace_refusal
        from .stamps import AGENCIES_GENERATION

        hooks.on_submitted(review_start_on_submission)
        hooks.on_revision_check(revision_allows_edit)
        evidence_hooks.on_replace_check(evidence_replace_refusal)
        evidence_hooks.on_replace_check(handover_replace_refusal)
        # The score pages name the agency (OPD) of each indicator or question (stamps.assessment_stamp).
        bump_on_model_changes(AGENCIES_GENERATION, [Agency])
        from .stamps import connect_reviews

        connect_reviews()
