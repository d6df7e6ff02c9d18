"""The admin's inline rows, checked against their model's constraints before anything is
saved (every inline's ``formset``; tests/test_admin_inlines.py holds them to it).

Django 5.2 leaves out of a row's checks every constraint that names the parent (ticket
#35676, fixed in Django 6.0), so a second main contact of an area, or a row sent as new
with the user of one already there, was an IntegrityError (a 500). Checked against the
database alone, a row would also be refused for a clash with a row the same save deletes
or changes first. So the save is played through as Django will make it: the rows already
there in the order of their forms, each deleted or changed, then the new ones, each
checked against the parent's rows as they stand at that moment.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field, Model, UniqueConstraint, Value
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet


class ConstraintsCheckedInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return  # each row's own errors first: the constraints read their values
        rows: dict[Any, Model] = {}
        if self.instance.pk is not None:
            rows = {row.pk: row for row in self.get_queryset()}
        for form in [*self.initial_forms, *self.extra_forms]:
            key = form.instance.pk if form.instance.pk is not None else object()
            if self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                rows.pop(key, None)
                continue
            if not form.has_changed():
                continue  # a row left as it is, or an empty new one
            error = self._clash(form, [row for other, row in rows.items() if other != key])
            if error is not None:
                form.add_error(None, error)
            rows[key] = form.instance

    def _clash(self, form: Any, others: list[Model]) -> ValidationError | None:
        """Why ``form``'s row cannot stand beside ``others``, the parent's rows as the
        save leaves them when it comes to this one; None if it can."""
        row = form.instance
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.fields:
                if any(_same(constraint, row, other, self.fk.name) for other in others):
                    if constraint.condition is None:
                        return row.unique_error_message(self.model, list(constraint.fields))
                    return ValidationError(
                        constraint.get_violation_error_message(),
                        code=constraint.violation_error_code,
                    )
            else:
                # What the row's form does not show is not the person's to correct.
                hidden = {field.name for field in self.model._meta.fields} - set(form.fields)
                try:
                    constraint.validate(self.model, row, exclude=hidden)
                except ValidationError as error:
                    return error
        return None


def _same(constraint: UniqueConstraint, row: Model, other: Model, parent: str) -> bool:
    """Whether two rows of one parent hold the same values of the constraint's fields,
    both where its condition holds. A missing value (NULL) is never the same as another;
    the parent is the same, saved or not (on the admin's add page it has no id yet)."""
    fields = [
        cast("Field[Any, Any]", row._meta.get_field(name))
        for name in constraint.fields
        if name != parent
    ]
    values = [getattr(row, field.attname) for field in fields]
    if None in values or values != [getattr(other, field.attname) for field in fields]:
        return False
    condition = constraint.condition
    return condition is None or all(_holds(condition, each) for each in (row, other))


def _holds(condition: Any, row: Model) -> bool:
    """Whether ``condition`` (a constraint's ``Q``) holds for ``row``'s values, asked of
    the database as Django's own constraint validation asks it."""
    values = {
        field.name: Value(getattr(row, field.attname), output_field=field)
        for field in row._meta.local_concrete_fields
    }
    return bool(condition.check(values))
