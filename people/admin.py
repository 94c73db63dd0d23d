"""The admin for the people desk, usable by editors. Moves are saved through people.services."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsroom.images import files_removed_unless_saved
from people import services
from people.forms import OrganizationForm, PersonForm, RoleChangeForm
from people.models import (
    Organization,
    OrganizationIdentifier,
    OrganizationName,
    Person,
    PersonIdentifier,
    PersonName,
    Post,
    RoleChange,
    Tenure,
)


class ImageUploadAdmin(admin.ModelAdmin):
    """An admin whose form stores an uploaded image before the row is saved: if the save
    (or anything else in its transaction) fails, the new files go too."""

    def changeform_view(self, *args, **kwargs):
        # Outside the view's own transaction, so it sees the rollback.
        with files_removed_unless_saved():
            return super().changeform_view(*args, **kwargs)


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1


class PersonIdentifierInline(admin.TabularInline):
    """Ids other publishers give the person: importing their data again finds them by these."""

    model = PersonIdentifier
    extra = 0


class ReadOnlyRoleChangeInline(admin.TabularInline):
    """The person's moves at a glance; each opens in the role change form (the service)."""

    model = RoleChange
    fk_name = "person"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["effective_shown", "kind", "post", "organization", "is_public"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("post", "organization")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("effective"))
    def effective_shown(self, change: RoleChange) -> str:
        return change.effective.isoformat()


@admin.register(Person)
class PersonAdmin(ImageUploadAdmin):
    form = PersonForm
    list_display = ["name", "slug", "wikidata_id", "x_handle", "updated_at"]
    search_fields = ["name", "sort_name", "other_names__name", "slug"]
    readonly_fields = ["slug", "photo_preview"]
    inlines = [PersonNameInline, PersonIdentifierInline, ReadOnlyRoleChangeInline]

    @admin.display(description=gettext_lazy("current photo"))
    def photo_preview(self, person: Person) -> str:
        if not person.photo_thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" width="96">', person.photo_thumbnail.url)


class OrganizationNameInline(admin.TabularInline):
    model = OrganizationName
    extra = 1


class OrganizationIdentifierInline(admin.TabularInline):
    model = OrganizationIdentifier
    extra = 0


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fields = ["title", "rank", "is_leadership"]


@admin.register(Organization)
class OrganizationAdmin(ImageUploadAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "classification", "slug", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "other_names__name", "slug"]
    readonly_fields = ["slug"]
    autocomplete_fields = ["parent"]
    inlines = [OrganizationNameInline, OrganizationIdentifierInline, PostInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "rank", "is_leadership", "one_holder"]
    list_filter = ["rank", "is_leadership", "one_holder"]
    list_select_related = ["organization"]
    list_editable = ["rank", "is_leadership", "one_holder"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization"]

    def get_readonly_fields(self, request: HttpRequest, obj: Post | None = None) -> list[str]:
        # Role changes and tenures name the organization beside the post (see Post.clean).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "organization"] if obj is not None else fields


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    form = RoleChangeForm
    list_display = [
        "effective_shown",
        "person",
        "kind",
        "post_title",
        "organization",
        "is_public",
    ]
    list_filter = ["kind", "is_public", "effective_precision", "organization"]
    list_select_related = ["person", "organization", "post"]
    search_fields = [
        "person__name",
        "person__other_names__name",
        "post__title",
        "organization__name",
    ]
    autocomplete_fields = ["person", "organization"]
    date_hierarchy = "effective_date"
    ordering = ["-effective_date", "-pk"]
    readonly_fields = ["tenures_link"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("person", "organization", "post", "previous_post")
        )

    @admin.display(description=gettext_lazy("effective"), ordering="effective_date")
    def effective_shown(self, change: RoleChange) -> str:
        return change.effective.isoformat()

    @admin.display(description=gettext_lazy("title"), ordering="post__title")
    def post_title(self, change: RoleChange) -> str:
        return change.post.title

    @admin.display(description=gettext_lazy("tenures"))
    def tenures_link(self, change: RoleChange) -> str:
        if not change.pk:
            return "—"
        url = reverse("admin:people_tenure_changelist") + f"?person__id__exact={change.person_id}"
        return format_html(
            '<a href="{}">{}</a>', url, _("Tenures of %(person)s") % {"person": change.person}
        )

    def save_form(self, request, form, change) -> RoleChange:
        # The service writes the change here, once, naming who recorded it (ModelAdmin's
        # save_form would call form.save() without the user).
        return form.save(recorded_by=request.user)

    def save_model(self, request, obj, form, change) -> None:
        form.save(recorded_by=request.user)
        if change and obj.proposed_edits.filter(state="pending").exists():
            self.message_user(
                request,
                _(
                    "This move is confirmed: your edit waits for an editor in the verification "
                    "queue, and readers see the confirmed version until it is verified."
                ),
                messages.WARNING,
            )

    def delete_model(self, request, obj) -> None:
        services.role_change_delete(role_change=obj)

    def delete_queryset(self, request, queryset) -> None:
        for change in queryset:
            services.role_change_delete(role_change=change)


@admin.register(Tenure)
class TenureAdmin(admin.ModelAdmin):
    """Read only: tenures are derived from role changes."""

    list_display = ["person", "post", "organization", "scope", "span", "is_interim"]
    list_filter = ["scope", "is_interim"]
    list_select_related = ["person", "post", "organization"]
    search_fields = ["person__name", "post__title", "organization__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
