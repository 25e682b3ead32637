from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, so the admin can look but never change."""

    list_display = ["created_at", "actor", "verb", "target_type", "target_id", "region_code", "summary"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "target_id", "region_code", "summary"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
