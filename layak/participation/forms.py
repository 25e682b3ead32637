"""Forms of the Forum Anak pages; they only clean input, the services decide and save."""

from __future__ import annotations

from django import forms

from layak.common.fields import LocalNumbersMixin

from .models import ChildInput, Forum, ForumActivity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INDENT = "\u2003"


class ForumForm(LocalNumbersMixin, forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["name", "region", "established_on", "sk_number", "active", "member_count"]
        widgets = {"established_on": DATE}

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: f"{INDENT * (r.level - 2)}{r.name} ({r.code})"


class ActivityForm(LocalNumbersMixin, forms.ModelForm):
    class Meta:
        model = ForumActivity
        fields = ["date", "title", "kind", "summary", "children_count"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class InputForm(forms.ModelForm):
    class Meta:
        model = ChildInput
        fields = ["date", "channel", "text", "status", "follow_up"]
        widgets = {
            "date": DATE,
            "text": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = ChildInput
        fields = ["status", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 2})}
