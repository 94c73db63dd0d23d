"""Forms for the people desk: recording a move, editing people and organizations."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from newsroom.forms import PartialDateField
from newsroom.images import ImageUploadField, files_removed_unless_saved, save_processed_image
from people import services
from people.models import KIND_FORM_CHOICES, Organization, Person, RoleChange, RoleChangeKind


class RoleChangeForm(forms.ModelForm):
    """A role change as the admin edits it. Saving goes through people.services."""

    kind = forms.ChoiceField(choices=KIND_FORM_CHOICES)
    title = forms.CharField(
        max_length=200, help_text=_("The title started, held or, for a departure, ended.")
    )
    previous_title = forms.CharField(
        max_length=200,
        required=False,
        help_text=_("For joined, appointed or promoted: a title that ends on the same day."),
    )
    effective = PartialDateField(label=_("Effective date"))
    announced = PartialDateField(label=_("Announced date"), required=False)

    class Meta:
        model = RoleChange
        fields = [
            "person",
            "organization",
            "kind",
            "title",
            "previous_title",
            "effective",
            "announced",
            "leaves_organization",
            "is_interim",
            "keeps_other_titles",
            "reason",
            "is_public",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An edit waiting for an editor (rule 5) is what the form continues from.
            values = services.role_change_values(self.instance)
            for field in ("title", "previous_title", "effective", "announced"):
                self.initial.setdefault(field, values[field])
            for field in (
                "kind",
                "leaves_organization",
                "is_interim",
                "keeps_other_titles",
                "reason",
            ):
                self.initial[field] = values[field]
            self.initial["person"] = values["person"].pk
            self.initial["organization"] = values["organization"].pk

    def _post_clean(self) -> None:
        # The service validates and saves; ModelForm's own instance validation would check
        # a half-built row (no post yet) and is skipped.
        pass

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            # The service is the one place the rules live: the form asks it, and undoes it.
            services.dry_run(self._write)
        except ValidationError as refused:
            self._add_service_errors(refused)
        return cleaned

    def _add_service_errors(self, refused: ValidationError) -> None:
        if not hasattr(refused, "error_dict"):
            self.add_error(None, refused)
            return
        for field, errors in refused.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)

    def _arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "organization": data["organization"],
            "title": data["title"],
            "kind": RoleChangeKind(data["kind"]),
            "effective": data["effective"],
            "announced": data.get("announced"),
            "previous_title": data.get("previous_title", ""),
            "leaves_organization": data.get("leaves_organization", False),
            "is_interim": data.get("is_interim", False),
            "keeps_other_titles": data.get("keeps_other_titles", False),
            "reason": data.get("reason", ""),
            "is_public": data.get("is_public", False),
        }

    def _write(self, recorded_by=None) -> RoleChange:
        arguments = self._arguments()
        if self.instance.pk:
            stored = RoleChange.objects.select_related("post", "organization", "person").get(
                pk=self.instance.pk
            )
            return services.role_change_update(
                role_change=stored, proposed_by=recorded_by, **arguments
            )
        return services.role_change_record(**arguments, recorded_by=recorded_by)

    def save(self, commit: bool = True, *, recorded_by=None) -> RoleChange:
        # Writes once: the admin calls save() in save_form and again in save_model.
        if not getattr(self, "_written", False):
            self.instance = self._write(recorded_by=recorded_by)
            self._written = True
        return self.instance

    def save_m2m(self) -> None:
        pass


class PersonForm(forms.ModelForm):
    photo_upload = ImageUploadField(label=_("Photo"), required=False)

    class Meta:
        model = Person
        fields = ["name", "sort_name", "bio", "wikidata_id", "x_handle", "homepage"]

    def save(self, commit: bool = True) -> Person:
        """With ``commit=False`` (the admin) the caller saves the row: see the admin's
        ``files_removed_unless_saved``, which removes the stored files if that fails."""
        if not commit:
            return self._with_photo()
        with files_removed_unless_saved(), transaction.atomic():
            person = self._with_photo()
            person.save()
            self.save_m2m()
        return person

    def _with_photo(self) -> Person:
        person = super().save(commit=False)
        processed = self.cleaned_data.get("photo_upload")
        if processed:
            save_processed_image(
                person, processed, field="photo", rendition_field="photo_thumbnail"
            )
        return person


class OrganizationForm(forms.ModelForm):
    founded = PartialDateField(
        required=False, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD, as precisely as it is known.")
    )
    logo_upload = ImageUploadField(label=_("Logo"), required=False)

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "classification",
            "description",
            "homepage",
            "parent",
            "wikidata_id",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("founded", self.instance.founded)

    def save(self, commit: bool = True) -> Organization:
        """With ``commit=False`` (the admin) the caller saves the row: see the admin's
        ``files_removed_unless_saved``, which removes the stored files if that fails."""
        if not commit:
            return self._with_logo()
        with files_removed_unless_saved(), transaction.atomic():
            organization = self._with_logo()
            organization.save()
            self.save_m2m()
        return organization

    def _with_logo(self) -> Organization:
        organization = super().save(commit=False)
        organization.founded = self.cleaned_data.get("founded")
        processed = self.cleaned_data.get("logo_upload")
        if processed:
            save_processed_image(
                organization, processed, field="logo", rendition_field="logo_thumbnail"
            )
        return organization
