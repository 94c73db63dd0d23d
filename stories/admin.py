"""Read-only admin views of sources, quotes and citations.

Edits go through the desk, where rule 5 (a changed quote or source is checked again) and
rule 3 (public moves follow verified citations) are applied by stories.services.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from stories.models import Citation, CitationDecision, Source, Statement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["display_title", "publisher", "kind", "link_status", "last_fetched_at", "edit"]
    list_filter = ["kind", "link_status"]
    search_fields = ["canonical_url", "title", "publisher"]

    @admin.display(description=gettext_lazy("edit"))
    def edit(self, source: Source) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("stories:source-edit", args=[source.pk]),
            gettext("Edit on the desk"),
        )


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "speaker", "source", "language"]
    list_select_related = ["speaker", "source"]
    search_fields = ["quote", "translation", "speaker__name"]


class DecisionInline(admin.TabularInline):
    model = CitationDecision
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_state", "to_state", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "role_change", "source", "state", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = [
        "role_change__person",
        "role_change__post",
        "role_change__organization",
        "source",
        "decided_by",
    ]
    inlines = [DecisionInline]
