"""Errors a user can cause, each a sentence written once, where it is raised, that an app can translate.

An `EngineError` is a ValueError whose `template` is its English sentence with str.format fields and whose
`fields` fill them in; `str(err)` is the English sentence, `template.format(**fields)`. As in gettext, the
English template is also the message's id: an app that speaks another language looks the template up in
its own table and fills in the same fields; the engine knows no other language. A field can itself be
words, which the app translates too:

- a `Phrase`: words with a template and fields of their own: an axis name (`Phrase("height")`), a unit
  (`Phrase("{n:.3g} MB", n=12.3)`), Python's reason (`Phrase("'{bracket}' was never closed", bracket="(")`);
- another `EngineError`, whose sentence this one wraps ("Along the {axis}: {reason}");
- a `Named` thing the app already has a name for, such as a kernel preset ("Sobel x").

Write the template as a string literal in the call (a test reads them all from the source to check that
each has its translations), and choose among several by writing each call out.

    >>> err = EngineError("The stride must be at least 1 (it is {stride}).", stride=0)
    >>> str(err)
    'The stride must be at least 1 (it is 0).'
    >>> err.template, err.fields
    ('The stride must be at least 1 (it is {stride}).', {'stride': 0})
"""

from __future__ import annotations

from typing import NamedTuple


class Phrase:
    """Words inside an error sentence: an English template and its fields; str() is the English.

    A field missing from `fields` is a programming error: KeyError here, where the phrase is made.
    """

    __slots__ = ("fields", "template")

    def __init__(self, template: str, /, **fields: object) -> None:
        template.format(**fields)
        self.template = template
        self.fields = fields

    def __str__(self) -> str:
        return self.template.format(**self.fields)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, **{self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.template, self.fields) == (other.template, other.fields)

    __hash__ = None  # type: ignore[assignment]  # fields is a dict: not hashable


class Named(NamedTuple):
    """Something with a name of its own inside an error sentence (a kernel preset): str() is the English.

    An app shows its own name for it, found by `kind` and `id` (e.g. "preset", "sobel_x").
    """

    kind: str
    id: str
    text: str

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


class EngineError(ValueError):
    """A bad input, said as a sentence: `template` is the English sentence, `fields` its numbers and names.

    Args:
        template: the English sentence with str.format fields, e.g. "The stride must be at least 1 (it is
            {stride})."; a field it names but `fields` lacks is a programming error (KeyError).
        **fields: the values of the template's fields (numbers, shapes, names, Phrase or Named words,
            or another EngineError whose sentence this one wraps).
    """

    def __init__(self, template: str, /, **fields: object) -> None:
        super().__init__(template.format(**fields))
        self.template = template
        self.fields = fields

    def __reduce__(self):
        # The default pickling would call EngineError(<English sentence>): a template whose fields are
        # filled in already (and whose braces, if a field held any, would be read as fields).
        return _rebuild, (type(self), self.template, self.fields)


def _rebuild(cls: type[EngineError], template: str, fields: dict[str, object]) -> EngineError:
    return cls(template, **fields)


def check_choice(value: object, choices: tuple[str, ...], what: Phrase) -> None:
    """Refuse a value that is not one of a setting's choices, with a sentence (one template for all).

    Args:
        value: what was asked for (a page's setting, possibly from a tampered link or client).
        choices: the values that exist.
        what: the setting's name as words, e.g. Phrase("upstream gradient").

    Raises:
        EngineError: "The {what} must be one of {choices}, not “{value}”."
    """
    if value not in choices:
        raise EngineError(
            "The {what} must be one of {choices}, not “{value}”.",
            what=what,
            choices=", ".join(choices),
            value=value,
        )
