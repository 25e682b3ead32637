"""Forms of the real stages' page (decision 0022): they type the input; `stages` services check everything."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ObjectionDecision, VisitMode

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


class HandoverForm(forms.Form):
    """The governor's letter handing the province's verified results to the ministry."""

    number = forms.CharField(label=_("Letter number"), max_length=120)
    letter = forms.FileField(label=_("Governor's letter (surat gubernur), PDF"))


class AgendaForm(forms.Form):
    """The field visit's agenda."""

    visit_date = forms.DateField(label=_("Visit date"), widget=DATE)
    mode = forms.ChoiceField(label=_("Online or on site"), choices=VisitMode.choices)
    sites = forms.CharField(
        label=_("Sites to visit"),
        help_text=_("One per line: schools, health centres, parks, child-friendly spaces ..."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    team = forms.CharField(label=_("Verification team"), widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class HearingForm(forms.Form):
    """A dialogue with children (Forum Anak): numbers only, no names."""

    held_on = forms.DateField(label=_("Date of the dialogue"), widget=DATE)
    girls_under_13 = forms.IntegerField(label=_("Girls aged 12 or younger"), min_value=0, initial=0)
    boys_under_13 = forms.IntegerField(label=_("Boys aged 12 or younger"), min_value=0, initial=0)
    girls_13_to_17 = forms.IntegerField(label=_("Girls aged 13 to 17"), min_value=0, initial=0)
    boys_13_to_17 = forms.IntegerField(label=_("Boys aged 13 to 17"), min_value=0, initial=0)
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(
        label=_("What the children said (summary)"),
        help_text=_("No names, schools or anything else that identifies a child."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompletionOpenForm(forms.Form):
    """The questions the region may complete after the visit, and the documents asked for."""

    questions = forms.TypedMultipleChoiceField(
        label=_("Questions the region may complete"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    note = forms.CharField(
        label=_("Documents asked for"),
        help_text=_("The region reads this beside each question named."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = [(q.pk, f"{q.full_code} {q.text[:90]}") for q in questions]

    def items(self) -> dict[int, str]:
        return dict.fromkeys(self.cleaned_data["questions"], self.cleaned_data["note"].strip())


class CompletionDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    document = forms.FileField(label=_("Document"))


class ExtendForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Window"),
        choices=[("completion", _("Completion window")), ("objection", _("Objection period"))],
    )
    until = forms.DateTimeField(label=_("Extended until"), widget=DATETIME)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    question = forms.TypedChoiceField(label=_("Question"), coerce=int)
    reason = forms.CharField(label=_("Reason for the objection"), widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("Supporting document (optional)"), required=False)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q.pk, f"{q.full_code} {q.text[:90]}") for q in questions]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ObjectionDecision.ACCEPTED, _("Accept")), (ObjectionDecision.REJECTED, _("Reject"))],
    )
    level = forms.ChoiceField(label=_("Level when accepted"), required=False)
    reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "—"), *[(level, symbol) for level, symbol in levels]]


class FieldSelectionForm(forms.Form):
    select = forms.TypedChoiceField(
        label=_("Field verification"),
        coerce=lambda value: value == "1",
        choices=[("1", _("Select for field verification")), ("0", _("Remove from field verification"))],
    )
