from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, ApiToken, RoleAssignment, User
from .services import api_token_revoke, role_grant_revoke, role_grant_save, user_delete


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """User management for national admins: accounts, passwords and role assignments in one place."""

    inlines = [RoleAssignmentInline]
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Layak"), {"fields": ("full_name", "phone")}),
    )

    def save_formset(self, request, form, formset, change) -> None:
        """Role assignments go through the audited services (who granted or took away which role)."""
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        assignments = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            role_grant_revoke(by=request.user, assignment=assignment)
        for assignment in assignments:
            role_grant_save(by=request.user, assignment=assignment)
        return None

    def delete_model(self, request, obj) -> None:
        user_delete(by=request.user, user=obj)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            user_delete(by=request.user, user=user)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region"]
    search_fields = ["name", "short_name", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "agency", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "region__name"]
    autocomplete_fields = ["user", "region", "agency"]

    def save_model(self, request, obj, form, change) -> None:
        role_grant_save(by=request.user, assignment=obj)

    def delete_model(self, request, obj) -> None:
        role_grant_revoke(by=request.user, assignment=obj)

    def delete_queryset(self, request, queryset) -> None:
        for assignment in queryset:
            role_grant_revoke(by=request.user, assignment=assignment)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Lets a national admin see who holds API tokens and revoke them (through the audited service)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        # Keys are created by their owner on the profile page, where the raw key can be shown once.
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(user=request.user, token=token)
