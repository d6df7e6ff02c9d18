"""A form's field as includes/field.html draws it: radio buttons and a list of checkboxes
are a group, a fieldset named by its legend, so a screen reader says what the options
answer; one input keeps its own label. The tips', paper households' and signs' forms had
a label pointing at the first option."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


class Choices(forms.Form):
    condition = forms.ChoiceField(
        label="Condition", choices=[("good", "Good"), ("bad", "Bad")], widget=forms.RadioSelect
    )
    areas = forms.MultipleChoiceField(
        label="Areas", choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label="Name")


def drawn(name: str) -> str:
    return render_to_string("includes/field.html", {"field": Choices()[name]})


def test_radio_buttons_and_checkboxes_are_a_fieldset_named_by_its_legend():
    for name, legend in (("condition", "Condition"), ("areas", "Areas")):
        html = drawn(name)
        assert '<fieldset class="choices">' in html
        assert f'<legend class="field-legend">{legend}</legend>' in html
        assert '<label for="id_' + name + '_0">' not in html.split("<legend")[0]


def test_one_input_keeps_its_label():
    html = drawn("name")

    assert '<label for="id_name">Name:</label>' in html
    assert "<fieldset" not in html
