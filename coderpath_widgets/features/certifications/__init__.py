"""Step 3: compare the AAPC and AHIMA credentials, and find the ones that fit you.

Two public factories:

* :func:`compare_certifications` — every credential with its exam, fees (and the figures we did not show,
  with their sources), eligibility, renewal and code sets; filters; a side-by-side view of two or three.
* :func:`find_certification_fit` — four questions → a ranked list with the reasons for each place; the chosen
  credential is saved as the learner's target (``certification_fit`` is its old name, kept for one release).

Inside: :mod:`.fees` (which fee is shown, body-wide dues, the comparison filters), :mod:`.fit` (the pure
ranking, :func:`rank_credentials`, testable without widgets), :mod:`.render` (HTML and labels, no widgets) and
:mod:`.widgets` (the two panels and their factories).
"""

from __future__ import annotations

from coderpath_widgets.features.certifications.fees import (
    ALL,
    BODY_WIDE_KINDS,
    body_wide_fees,
    exam_prices,
    filter_certifications,
    lowest_exam_price,
    membership_fee,
    shown_exam_fee,
)
from coderpath_widgets.features.certifications.fit import (
    APPRENTICE_ROUTES,
    APPRENTICE_YEARS,
    FIT_SETTINGS,
    RELATED_SETTINGS,
    SCORE_ADVANCED_EARLY,
    SCORE_APPRENTICE,
    SCORE_ELIGIBLE,
    SCORE_FITS_BUDGET,
    SCORE_MEMBER_PRICE_ONLY,
    SCORE_NOT_SURE_ANY_SETTING,
    SCORE_OVER_BUDGET,
    SCORE_RECOMMENDED_EXPERIENCE,
    SCORE_SETTING,
    Eligibility,
    ExperienceShortfall,
    FitAnswers,
    FitResult,
    FitSetting,
    eligibility,
    match_setting,
    rank_credentials,
)
from coderpath_widgets.features.certifications.render import (
    EDUCATION_LABELS,
    FEE_KIND_LABELS,
    LEVEL_LABELS,
    NOT_SURE,
    SETTING_LABELS,
    certification_card_html,
    code_set_names,
    exam_fee_text,
    exam_text,
    fee_rows_html,
    fit_results_html,
    issuer_note,
    other_figures_html,
    renewal_text,
    setting_label,
    side_by_side_html,
    years_text,
)
from coderpath_widgets.features.certifications.widgets import (
    MAX_SIDE_BY_SIDE,
    NAMESPACE,
    CertificationComparison,
    CertificationFit,
    certification_fit,
    compare_certifications,
    find_certification_fit,
)

__all__ = [
    "ALL",
    "APPRENTICE_ROUTES",
    "APPRENTICE_YEARS",
    "BODY_WIDE_KINDS",
    "CertificationComparison",
    "CertificationFit",
    "EDUCATION_LABELS",
    "Eligibility",
    "ExperienceShortfall",
    "FEE_KIND_LABELS",
    "FIT_SETTINGS",
    "FitAnswers",
    "FitResult",
    "FitSetting",
    "LEVEL_LABELS",
    "MAX_SIDE_BY_SIDE",
    "NAMESPACE",
    "NOT_SURE",
    "RELATED_SETTINGS",
    "SCORE_ADVANCED_EARLY",
    "SCORE_APPRENTICE",
    "SCORE_ELIGIBLE",
    "SCORE_FITS_BUDGET",
    "SCORE_MEMBER_PRICE_ONLY",
    "SCORE_NOT_SURE_ANY_SETTING",
    "SCORE_OVER_BUDGET",
    "SCORE_RECOMMENDED_EXPERIENCE",
    "SCORE_SETTING",
    "SETTING_LABELS",
    "body_wide_fees",
    "certification_card_html",
    "certification_fit",
    "code_set_names",
    "compare_certifications",
    "eligibility",
    "exam_fee_text",
    "exam_prices",
    "exam_text",
    "fee_rows_html",
    "filter_certifications",
    "find_certification_fit",
    "fit_results_html",
    "issuer_note",
    "lowest_exam_price",
    "match_setting",
    "membership_fee",
    "other_figures_html",
    "rank_credentials",
    "renewal_text",
    "setting_label",
    "shown_exam_fee",
    "side_by_side_html",
    "years_text",
]
