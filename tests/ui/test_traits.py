"""Closed vocabularies are enum traits: a bad value is refused with the trait's name and every allowed value."""

from __future__ import annotations

import pytest
import traitlets

from coderpath_widgets.features.careers import SortBy, compare_careers
from coderpath_widgets.features.flashcards import KindFilter, drill_terminology


@pytest.mark.parametrize(
    ("make", "trait", "member", "message"),
    [
        (drill_terminology, "kind", KindFilter.ROOT, "Flashcards.kind must be one of 'all', 'prefix', 'root'"),
        (compare_careers, "sort_by", SortBy.PAY, "CareerComparison.sort_by must be one of 'article', 'pay', 'growth'"),
    ],
)
def test_a_value_outside_the_vocabulary_is_refused_and_a_value_inside_becomes_its_member(make, trait, member, message):
    widget = make()
    before = getattr(widget, trait)
    with pytest.raises(traitlets.TraitError, match=message):
        setattr(widget, trait, "no-such-value")
    assert getattr(widget, trait) is before
    setattr(widget, trait, member.value)
    assert getattr(widget, trait) is member
