"""What the confirmation step says before verification's actions that cannot be undone (layak.common.confirm)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.accounts.selectors import user_is_national_admin
from layak.common.confirm import Confirmation
from layak.common.numbers import format_datetime
from layak.evaluations.selectors import cycle_get_for_user

from . import permissions, selectors, workflow
from .audit_words import state_words
from .choices import ReviewAction


def _consequences(action: str, state: str, after: str) -> list[str]:
    where = {"next": state_words(after), "stage": state_words(state)}
    texts = {
        ReviewAction.APPROVE: [
            _("The %(stage)s is done: its scores are kept as they are now.") % where,
            _("The assessment moves on to the %(next)s.") % where,
        ],
        ReviewAction.RESUBMIT: [
            _("The revised indicators go back to the %(next)s.") % where,
            _("The region cannot change them any more unless they are sent back again.") % where,
        ],
        ReviewAction.RETURN: [_("The assessment goes back to the %(next)s to be looked at again.") % where],
        ReviewAction.FINALISE: [
            _("The final score and predicate are fixed from the last verified scores."),
            _("They become public when the ministry publishes the cycle's results."),
        ],
        ReviewAction.REOPEN: [_("The final result is opened again for the %(next)s.") % where],
    }
    return texts.get(action, [])


def transition(request, pk: int) -> Confirmation | None:
    assessment, process = selectors.review_assessment_get_for_user(request.user, pk)
    action = request.POST.get("action", "")
    state = process.state if process else ""
    if request.POST.get("state") != state:
        return None  # a stale tab or a second click: the view says who already acted, nothing to confirm
    cell = workflow.transition_for(state, action)
    if cell is None or permissions.refusal(request.user, assessment, cell):
        return None  # the view refuses with the reason
    label = str(ReviewAction(action).label) if action in ReviewAction.values else _("Continue")
    return Confirmation(
        title=_("%(action)s: %(region)s?") % {"action": label, "region": assessment.region.name},
        consequences=_consequences(action, state, cell.next_state if cell else state),
        cannot_undo=_("This step cannot be undone; only a later stage can send the assessment back."),
        button=_("Yes: %(action)s") % {"action": label.lower() if label[1:2].islower() else label},
    )


def revision(assessment, items: dict[str, str], deadline) -> Confirmation:
    return Confirmation(
        title=ngettext(
            "Send %(count)s indicator back to %(region)s?", "Send %(count)s indicators back to %(region)s?", len(items)
        )
        % {"count": len(items), "region": assessment.region.name},
        consequences=[
            _("The region may change only these indicators: %(codes)s.") % {"codes": ", ".join(items)},
            _("They have until %(deadline)s; then they resubmit.") % {"deadline": format_datetime(deadline)},
            _("The region's coordinator and the people who own these indicators are notified."),
        ],
        cannot_undo=_("The revision round cannot be withdrawn once it is sent."),
        button=_("Yes, send them back"),
    )


def publish(request, pk: int) -> Confirmation | None:
    cycle = cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        return None  # the view refuses
    return Confirmation(
        title=_("Publish the results of %(cycle)s?") % {"cycle": cycle.name},
        consequences=[
            _("Every finalised result of the cycle becomes public: on the portal, the dashboards and the open API."),
            _("The regions are notified that their results are published."),
        ],
        cannot_undo=_(
            "The notifications cannot be taken back. The results themselves can be withdrawn later, with a reason."
        ),
        button=_("Yes, publish the results"),
        cancel_url=reverse("reviews:cycle_publish_preview", args=[cycle.pk]),
    )


def unpublish(cycle) -> Confirmation:
    return Confirmation(
        title=_("Withdraw the published results of %(cycle)s?") % {"cycle": cycle.name},
        consequences=[
            _("The portal, the dashboards and the open API stop showing the cycle's results."),
            _("Nothing is lost: the final scores and predicates stay and can be published again."),
        ],
        cannot_undo=_("The regions were already told their results were public; tell them why they are withdrawn."),
        button=_("Yes, withdraw the results"),
        danger=True,
    )


def reviewer_unassign(request, pk: int, assignment_id: int) -> Confirmation | None:
    assessment, _process = selectors.review_assessment_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        return None  # the view refuses
    assignment = selectors.assignment_get_for_user(request.user, assessment, assignment_id)
    return Confirmation(
        title=_("Remove %(person)s as a reviewer?") % {"person": assignment.reviewer},
        consequences=[
            _("They can no longer score or decide this stage of %(region)s.") % {"region": assessment.region.name}
        ],
        cannot_undo=_("To undo it, assign them again."),
        button=_("Yes, remove the reviewer"),
        danger=True,
    )


def recompute(request, pk: int) -> Confirmation | None:
    cycle = cycle_get_for_user(request.user, pk)
    if not user_is_national_admin(request.user):
        return None  # the view refuses
    return Confirmation(
        title=_("Recompute the scores of %(cycle)s?") % {"cycle": cycle.name},
        consequences=[
            _(
                "Every submitted assessment's scores are computed again from its current answers, evidence "
                "and reviewer scores."
            ),
            _("A final result follows its new score, unless the ministry set its predikat by hand."),
            _("It runs in the background; a page shows its progress."),
        ],
        cannot_undo=_("The scores stored before are replaced by the new ones."),
        button=_("Yes, recompute the scores"),
        cancel_url=cycle.get_absolute_url(),
    )
