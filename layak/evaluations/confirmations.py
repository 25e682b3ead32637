"""What the confirmation step says before the evaluation's actions that cannot be undone (layak.common.confirm)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from layak.common.confirm import Confirmation

from . import agencies, selectors


def submit(request, pk: int) -> Confirmation:
    assessment = selectors.assessment_get_for_user(request.user, pk)
    return Confirmation(
        title=_("Submit the self-assessment of %(region)s?") % {"region": assessment.region.name},
        consequences=[
            _("The answers and evidence of every indicator go to the province for verification."),
            _(
                "Nobody in the region can change them any more; only indicators that the verifiers send back can be "
                "fixed, until the deadline they give."
            ),
            _("The province verifiers and the region's people see that it was submitted."),
        ],
        cannot_undo=_("A submitted self-assessment cannot be taken back."),
        button=_("Yes, submit it"),
    )


def _indicator_context(request, pk: int, code: str) -> selectors.AnswerContext:
    assessment = selectors.assessment_get_for_user(request.user, pk)
    return selectors.answer_context_for_user(request.user, assessment, code)


def evidence_unlink(request, pk: int, code: str, link_id: int) -> Confirmation:
    _indicator_context(request, pk, code)
    return Confirmation(
        title=_("Remove this evidence from indicator %(code)s?") % {"code": code},
        consequences=[
            _("The file or link stays in the region's evidence library; only its link to this indicator goes.")
        ],
        cannot_undo=_("To undo it, link the evidence to the indicator again."),
        button=_("Yes, remove it from the indicator"),
        danger=True,
    )


def draft_discard(request, pk: int, code: str) -> Confirmation:
    _indicator_context(request, pk, code)
    return Confirmation(
        title=_("Throw away your unsaved draft of indicator %(code)s?") % {"code": code},
        consequences=[_("The form shows the saved answer again.")],
        cannot_undo=_("What you typed since the last save is lost for good."),
        button=_("Yes, discard my draft"),
        danger=True,
    )


def agency_deactivate(request, pk: int) -> Confirmation:
    agency = agencies.agency_get_for_user(user=request.user, pk=pk)
    return Confirmation(
        title=_("Deactivate the OPD “%(name)s”?") % {"name": agency.name},
        consequences=[
            _("It is no longer offered when you assign indicators or open accounts."),
            _("The indicators already assigned to it, their answers and evidence stay as they are."),
            _("The accounts of its people stay open; close them on the accounts page if they leave."),
        ],
        cannot_undo=_("You can reactivate the OPD later from the same page."),
        button=_("Yes, deactivate the OPD"),
        danger=True,
    )
