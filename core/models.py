"""Abstract models every app builds on. This app has no concrete models (and no migrations)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# What str.splitlines() breaks on: a single-line field (a CharField) holds none of them.
LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Control characters (NUL among them) that no text field holds; tab, CR and LF are left to TextFields.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def single_line(text):
    """`text` on one line: line breaks and control characters become spaces, runs of spaces one space.
    For what must be one line whatever it is given, such as an e-mail subject."""
    text = CONTROL_CHARACTERS.sub(" ", LINE_BREAKS.sub(" ", str(text)))
    return " ".join(text.split())


class RemembersLoadedValues:
    """A model mixin: the row remembers some of its columns as they were read from the database
    (`remembered_fields`, attnames), so that a signal receiver can tell what a save moved it away from
    (placements.apps: the batch a placement left). Unknown (None) for a row not read from the database or
    read without those columns."""

    remembered_fields = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = {name: instance.__dict__.get(name) for name in cls.remembered_fields}
        return instance

    def loaded_value(self, name):
        return getattr(self, "_loaded_values", {}).get(name)

    def remember_values(self):
        """After a save: the row as stored now is what a later save moves away from."""
        self._loaded_values = {name: self.__dict__.get(name) for name in self.remembered_fields}


class CleanTextModel(models.Model):
    """Refuses line breaks in single-line fields (every CharField) and control characters in any text
    field, whoever saves the row: full_clean() runs in the services and in the admin's forms."""

    class Meta:
        abstract = True

    @classmethod
    def _text_fields(cls):
        """(name, attname, single line?) of the model's CharFields and TextFields, worked out once."""
        if "_clean_text_fields" not in cls.__dict__:
            cls._clean_text_fields = [
                (field.name, field.attname, isinstance(field, models.CharField))
                for field in cls._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
            ]
        return cls._clean_text_fields

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, attname, single in self._text_fields():
            value = getattr(self, attname)
            if not value or not isinstance(value, str) or name in errors or (exclude and name in exclude):
                continue
            if single and LINE_BREAKS.search(value):
                message = _("Write this on one line: line breaks are not allowed.")
                errors[name] = [ValidationError(message, code="line_break")]
            elif CONTROL_CHARACTERS.search(value):
                message = _("Control characters are not allowed here.")
                errors[name] = [ValidationError(message, code="control_character")]
        if errors:
            raise ValidationError(errors)


class TimeStampedModel(CleanTextModel):
    """When a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True
