"""Forms of the review pages; the services do every check that matters, the forms only type the input."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layak.accounts.choices import Role
from layak.accounts.models import User
from layak.common.fields import NumberField
from layak.frameworks.models import Indicator
from layak.regions.models import Region

from .choices import REVIEW_STAGES


class IndicatorReviewForm(forms.Form):
    """A reviewer's score of one indicator, the reason when it differs from the previous stage's, and a comment."""

    points = NumberField(label=_("Points"), min_value=0)
    reason = forms.CharField(
        label=_("Reason for a score other than the previous stage's"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        label=_("Comment to the region"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The score's version when the page was opened (0: none yet): a save over someone else's is refused.
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                self.add_error(key if key in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)


class TransitionForm(forms.Form):
    """One workflow action with its comment (required by the service for return and reopen)."""

    action = forms.CharField(widget=forms.HiddenInput)
    # The review state the page showed: a second click or a stale tab is refused instead of skipping a stage.
    state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RevisionRequestForm(forms.Form):
    """Which indicators go back to the region, what to fix in each, the overall reason and the deadline."""

    comment = forms.CharField(label=_("Reason for the revision"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateTimeField(
        label=_("Deadline for the region"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, indicators: list[Indicator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.initial.setdefault("deadline", (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
        for indicator in indicators:
            self.fields[f"send_{indicator.code}"] = forms.BooleanField(
                label=f"{indicator.code}. {indicator.display_name}", required=False
            )
            self.fields[f"why_{indicator.code}"] = forms.CharField(
                label=_("What to fix in %(code)s") % {"code": indicator.code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Indicator, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"send_{i.code}"], self[f"why_{i.code}"]) for i in self.indicators]

    def items(self) -> dict[str, str]:
        """{indicator code: what to fix} of the ticked indicators."""
        data = self.cleaned_data
        return {i.code: data[f"why_{i.code}"] for i in self.indicators if data.get(f"send_{i.code}")}


def reviewer_choices(region_code: str):
    """People who could review a region: province verifiers/coordinators of its province, independent evaluators
    and national admins (the service checks the stage's role, own region and conflicts)."""
    province = region_code.split(".")[0]
    return (
        User.objects.filter(
            Q(roles__role__in=[Role.PROVINCE_VERIFIER, Role.PROVINCE_COORDINATOR], roles__region_id=province)
            | Q(roles__role__in=[Role.INDEPENDENT_EVALUATOR, Role.NATIONAL_ADMIN])
        )
        .distinct()
        .order_by("username")
    )


class ReviewerAssignForm(forms.Form):
    """A national admin names a reviewer for one stage."""

    stage = forms.ChoiceField(label=_("Stage"), choices=[(s.value, s.label) for s in REVIEW_STAGES])
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args, region_code: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_choices(region_code)


class ConflictForm(forms.Form):
    """A conflict of interest: the region (Kemendagri code) and a statement."""

    region = forms.CharField(label=_("Region code (Kemendagri)"), max_length=13, help_text=_("For example 31.71"))
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_region(self) -> Region:
        code = self.cleaned_data["region"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("No region has the code %(code)s; check it on the Regions page."), params={"code": code}
            )
        return region


class PredicateForm(forms.Form):
    """The ministry's predicate for a finalised assessment, with its reason."""

    band_code = forms.ChoiceField(label=_("Predicate awarded"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bands, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["band_code"].choices = [("", _("No predicate"))] + [(b.code, b.name) for b in bands]


class RevisionEvidenceForm(forms.Form):
    """A new evidence file answering a revision request (optional), added to the region's library."""

    evidence_file = forms.FileField(
        label=_("New evidence file"),
        required=False,
        help_text=_("Optional. It is added to the region's evidence and handed to the reviewers when you resubmit."),
    )
    evidence_title = forms.CharField(
        label=_("Title of the new evidence"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )


def _window_stages() -> list[tuple[str, str]]:
    from layak.evaluations.choices import Stage

    from .workflow import STATE_WINDOW

    stages = list(dict.fromkeys(STATE_WINDOW.values()))
    return [(stage, Stage(stage).label) for stage in stages]


class CycleWindowForm(forms.Form):
    """A national admin moves one verification stage's window, with the reason (kept in the cycle's history)."""

    stage = forms.ChoiceField(label=_("Stage"), choices=_window_stages)
    start = forms.DateTimeField(label=_("Opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                self.add_error(key if key in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)


class UnpublishForm(forms.Form):
    """Why the ministry withdraws a cycle's published results (kept in the cycle's history)."""

    reason = forms.CharField(label=_("Reason for withdrawing the results"), widget=forms.Textarea(attrs={"rows": 2}))


def bulk_reviewer_choices(user: User):
    """Whom this person may name: a national admin anyone holding a reviewer role; a province coordinator the
    province verifiers and coordinators of their provinces (the service checks each region again)."""
    from layak.accounts.selectors import user_grants, user_is_national_admin

    reviewer_roles = [Role.PROVINCE_VERIFIER, Role.PROVINCE_COORDINATOR]
    if user_is_national_admin(user):
        people = User.objects.filter(roles__role__in=[*reviewer_roles, Role.INDEPENDENT_EVALUATOR, Role.NATIONAL_ADMIN])
    else:
        provinces = [g.region_code for g in user_grants(user) if g.role == Role.PROVINCE_COORDINATOR]
        people = User.objects.filter(roles__role__in=reviewer_roles, roles__region_id__in=provinces)
    return people.distinct().order_by("username")


class BulkAssignForm(forms.Form):
    """One reviewer for one stage of the ticked regions (or every region matching the filter)."""

    stage = forms.ChoiceField(label=_("Stage"))
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())
    all_matching = forms.BooleanField(label=_("Every regency/city matching the filter, on every page"), required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        from layak.accounts.selectors import user_is_national_admin

        super().__init__(*args, **kwargs)
        stages = REVIEW_STAGES if user_is_national_admin(user) else REVIEW_STAGES[:1]
        self.fields["stage"].choices = [(s.value, s.label) for s in stages]
        self.fields["reviewer"].queryset = bulk_reviewer_choices(user)


class QuestionGradeForm(forms.Form):
    """A verifier's grade of one question: a level of the framework's scale, the reason when it differs from
    the previous stage's points, a comment, and the grade's version when the page was opened."""

    level = forms.ChoiceField(label=_("Grade"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for a grade other than the previous stage's"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        label=_("Comment to the region"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, levels: list[tuple[str, str, object]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level, f"{symbol} · {points}") for level, symbol, points in levels]

    def level_choices(self) -> list[tuple[str, str, str, bool]]:
        """(input id, value, label, checked) of each level, for the page to write the radio buttons itself
        (seven widget templates per page cost more than the rest of the form)."""
        chosen = str(self["level"].value() or "")
        return [
            (f"id_level_{n}", value, str(label), value == chosen)
            for n, (value, label) in enumerate(self.fields["level"].choices)
        ]

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                self.add_error(key if key in self.fields else None, messages)
        else:
            self.add_error(None, exc.messages)
