"""The fit helper's pure ranking: answers in, every credential scored with the reasons for its place."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset
from coderpath_widgets.content.models import Certification, Education, Level, Setting
from coderpath_widgets.features.certifications.fees import exam_prices, membership_fee, shown_exam_fee
from coderpath_widgets.features.certifications.render import EDUCATION_LABELS, NOT_SURE, setting_label, years_text

#: AAPC's apprentice rule: the "-A" is removed after two years of coding experience
#: (aapc.com/certifications/cpc/complete-your-cpc-apprenticeship). Used when the data gives no figure.
APPRENTICE_YEARS = 2.0
#: The three ways AAPC's apprenticeship page gives to meet that requirement (read December 2026).
APPRENTICE_ROUTES = (
    "two years of coding experience; one year plus an 80-contact-hour coding course or CPC-A Practicode; or an "
    "80-contact-hour coding course plus CPC-A Practicode, which together meet the two-year requirement."
)


class FitSetting(enum.StrEnum):
    """The fit helper's first question: where the learner wants to work (a setting, or not sure yet)."""

    PHYSICIAN_OFFICE = Setting.PHYSICIAN_OFFICE.value
    HOSPITAL_OUTPATIENT = Setting.HOSPITAL_OUTPATIENT.value
    HOSPITAL_INPATIENT = Setting.HOSPITAL_INPATIENT.value
    RISK_ADJUSTMENT = Setting.RISK_ADJUSTMENT.value
    BILLING = Setting.BILLING.value
    NOT_SURE = NOT_SURE


#: the answers to the first question, in the order the dropdown lists them
FIT_SETTINGS: tuple[FitSetting, ...] = tuple(FitSetting)


#: Settings close enough to count as a partial match (the work and code sets overlap).
RELATED_SETTINGS: dict[str, frozenset[str]] = {
    Setting.HOSPITAL_INPATIENT.value: frozenset(
        {Setting.HOSPITAL_OUTPATIENT.value, Setting.HEALTH_INFORMATION.value, Setting.CLINICAL_DOCUMENTATION.value}
    ),
    Setting.HOSPITAL_OUTPATIENT.value: frozenset({Setting.HOSPITAL_INPATIENT.value, Setting.PHYSICIAN_OFFICE.value}),
    Setting.PHYSICIAN_OFFICE.value: frozenset({Setting.HOSPITAL_OUTPATIENT.value, Setting.BILLING.value}),
    Setting.RISK_ADJUSTMENT.value: frozenset({Setting.PHYSICIAN_OFFICE.value}),
    Setting.BILLING.value: frozenset({Setting.PHYSICIAN_OFFICE.value}),
}


# Ranking weights: where you want to work matters most, then whether you can sit the exam now.
SCORE_SETTING = {"exact": 40, "any": 20, "related": 15, "other": 0, NOT_SURE: 0}


SCORE_ELIGIBLE = {True: 25, None: 5, False: -15}


SCORE_APPRENTICE = -5


SCORE_ADVANCED_EARLY = -5


SCORE_NOT_SURE_ANY_SETTING = 10


SCORE_RECOMMENDED_EXPERIENCE = -5


SCORE_FITS_BUDGET, SCORE_MEMBER_PRICE_ONLY, SCORE_OVER_BUDGET = 5, 2, -10


class FitLevel(enum.StrEnum):
    """How well a credential fits the answers, in words the page shows instead of the score.

    Decided from the ranking's fields (eligibility, experience shortfall, setting match, budget), never from
    its sentences; the score only orders the list.
    """

    #: eligible now, in (or close to) the setting wanted, nothing in the way
    GOOD_NOW = "good_now"
    #: eligible now, but experience or the exam fee needs work first
    WITH_PREPARATION = "with_preparation"
    #: eligible now, but aimed at a different setting from the one wanted
    OTHER_SETTING = "other_setting"
    #: not eligible yet: ``FitResult.needs`` says what is missing
    NOT_YET = "not_yet"
    #: the eligibility rules were not found
    CHECK_FIRST = "check_first"


# ---------------------------------------------------------------- fit: pure ranking


@dataclass(frozen=True)
class FitAnswers:
    """The fit helper's answers. ``budget`` None means no limit; ``him_degree`` means the degree is in
    health information management from a CAHIIM-accredited program."""

    setting: str = NOT_SURE
    experience_years: float = 0.0
    education: Education = Education.HIGH_SCHOOL
    budget: float | None = None
    him_degree: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the store."""
        return {
            "setting": self.setting,
            "experience_years": self.experience_years,
            "education": self.education.value,
            "budget": self.budget,
            "him_degree": self.him_degree,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> FitAnswers:
        """Answers from saved data; anything missing or unreadable falls back to its default.

        >>> answers = FitAnswers.from_dict({"setting": "billing", "experience_years": "x", "education": "bachelor"})
        >>> answers.setting, answers.experience_years, answers.education, answers.budget, answers.him_degree
        ('billing', 0.0, <Education.BACHELOR: 'bachelor'>, None, False)
        """
        data = data if isinstance(data, Mapping) else {}
        setting = data.get("setting")
        try:
            years = min(max(float(data.get("experience_years", 0.0)), 0.0), 60.0)
        except (TypeError, ValueError):
            years = 0.0
        if not math.isfinite(years):
            years = 0.0
        try:
            education = Education(data.get("education"))
        except ValueError:
            education = Education.HIGH_SCHOOL
        try:
            budget = float(data["budget"]) if data.get("budget") is not None else None
        except (TypeError, ValueError):
            budget = None
        if budget is not None and (not math.isfinite(budget) or budget <= 0):
            budget = None
        return cls(
            setting=setting if setting in FIT_SETTINGS else NOT_SURE,
            experience_years=years,
            education=education,
            budget=budget,
            him_degree=bool(data.get("him_degree", False)),
        )


@dataclass(frozen=True)
class FitResult:
    """One credential's place in the ranking and the reasons for it.

    ``eligible_now`` is None when the eligibility rules were not found. ``reasons`` say why it fits;
    ``caveats`` say what stands in the way or needs checking. ``score`` orders the list and is never shown;
    ``fit_level`` (and ``needs``, what is missing when it is :attr:`FitLevel.NOT_YET`) is what the page says.
    """

    certification_id: str
    credential: str
    score: int
    setting_match: str
    eligible_now: bool | None
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    fit_level: FitLevel
    needs: str = ""


def match_setting(wanted: str, offered: str) -> str:
    """How a credential's setting matches the one wanted: exact, any, related, other, or not_sure.

    >>> match_setting("hospital_inpatient", "hospital_inpatient"), match_setting("billing", "any_setting")
    ('exact', 'any')
    >>> match_setting("hospital_inpatient", "hospital_outpatient"), match_setting("billing", "auditing")
    ('related', 'other')
    """
    if wanted == NOT_SURE:
        return NOT_SURE
    if offered == wanted:
        return "exact"
    if offered == Setting.ANY_SETTING.value:
        return "any"
    if offered in RELATED_SETTINGS.get(wanted, frozenset()):
        return "related"
    return "other"


def _apprentice_of(cert: Certification, certs: Iterable[Certification]) -> Certification | str | None:
    """The apprentice status passing this exam can give (e.g. CPC → CPC-A), from the data."""
    name = f"{cert.credential}-A"
    for other in certs:
        if other.level is Level.APPRENTICE and other.credential.upper() == name.upper():
            return other
    if name.upper() in (cert.eligibility or "").upper():
        return name
    return None


class ExperienceShortfall(enum.Enum):
    """Why the learner's coding experience falls short of a credential they can sit now."""

    #: passing gives the apprentice status (CPC-A) until the experience is met
    APPRENTICE = "apprentice"
    #: the issuing body recommends experience first (not a requirement)
    RECOMMENDED = "recommended"


@dataclass(frozen=True)
class Eligibility:
    """Whether the learner can sit an exam now (None: the rules were not found), why, and what to watch.

    ``shortfall`` says in a field, not in the caveat's words, whether experience falls short and how; the
    ranking scores it. ``needs`` names what is missing when the learner is not eligible yet (e.g. "an associate
    degree in health information management from a CAHIIM-accredited program"), built from the data's fields.
    """

    eligible: bool | None
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    shortfall: ExperienceShortfall | None = None
    needs: str = ""


def eligibility(cert: Certification, answers: FitAnswers, certs: Iterable[Certification] = ()) -> Eligibility:
    """Whether the learner can sit the exam now, with the reasons and caveats.

    Uses the data only: the minimum education, ``requires_him_degree`` (a CAHIIM-accredited HIM degree is
    required), the apprentice status of AAPC exams, and the recommended experience.
    """
    reasons: list[str] = []
    caveats: list[str] = []
    text = cert.eligibility or ""
    needs_cahiim = bool(cert.requires_him_degree)
    if not text and cert.min_education is None:
        caveats.append("Eligibility rules were not found in our sources; check the official page.")
        return Eligibility(None, tuple(reasons), tuple(caveats))
    if cert.min_education is not None and answers.education.rank < cert.min_education.rank:
        needed = EDUCATION_LABELS[cert.min_education]
        where = " in health information management from a CAHIIM-accredited program" if needs_cahiim else ""
        caveats.append(f"Not eligible yet: it needs {needed}{where}; you have {EDUCATION_LABELS[answers.education]}.")
        return Eligibility(False, tuple(reasons), tuple(caveats), needs=f"{needed}{where}")
    if needs_cahiim and not answers.him_degree:
        needed = EDUCATION_LABELS[cert.min_education] if cert.min_education else "a degree"
        needed += " in health information management from a CAHIIM-accredited program"
        caveats.append(f"Not eligible yet: it needs {needed} (tick the box if yours is one).")
        return Eligibility(False, tuple(reasons), tuple(caveats), needs=needed)
    if needs_cahiim:
        reasons.append("Eligible now: your health information management degree is from a CAHIIM-accredited program.")
    elif cert.min_education is not None:
        reasons.append(f"Eligible now: you meet the minimum education ({EDUCATION_LABELS[cert.min_education]}).")
    else:
        reasons.append("Eligible now: no minimum education is listed for sitting the exam.")
    apprentice = _apprentice_of(cert, certs)
    recommended = cert.recommended_experience_years
    shortfall = None
    if apprentice is not None:
        name = apprentice if isinstance(apprentice, str) else apprentice.credential
        # The exam's recommended experience is what removes the "A"; AAPC's rule is two years.
        years = recommended if recommended else APPRENTICE_YEARS
        if answers.experience_years < years:
            shortfall = ExperienceShortfall.APPRENTICE
            caveats.append(
                f"With less than {years_text(years)} of coding experience, passing gives you {name} (apprentice) "
                f"until you meet {cert.issuing_body.value}'s experience requirement: {APPRENTICE_ROUTES}"
            )
    elif recommended and answers.experience_years < recommended:
        shortfall = ExperienceShortfall.RECOMMENDED
        caveats.append(
            f"{cert.issuing_body.value} recommends {years_text(recommended)} of coding experience first "
            "(a recommendation, not a requirement)."
        )
    return Eligibility(True, tuple(reasons), tuple(caveats), shortfall)


def rank_credentials(answers: FitAnswers | Mapping[str, Any], dataset: Dataset) -> list[FitResult]:
    """Every credential you can take an exam for, best fit first, each with its reasons.

    Points: the setting you want (exact 40, any setting 20, related 15), eligibility now (+25; unknown +5;
    not eligible −15), level against your experience, and the exam fee against your budget. The points only
    order the list; each result's :class:`FitLevel` says the fit in words. Apprentice statuses (CPC-A) are not
    exams of their own: they appear as a caveat of their exam instead.
    """
    if not isinstance(answers, FitAnswers):
        answers = FitAnswers.from_dict(answers)
    results = []
    certs = dataset.certifications
    for cert in certs:
        if cert.level is Level.APPRENTICE:
            continue
        score = 0
        match = match_setting(answers.setting, cert.setting.value)
        score += SCORE_SETTING[match]
        offered = setting_label(cert.setting.value)
        reasons: list[str] = []
        caveats: list[str] = []
        if match == "exact":
            reasons.append(f"Matches where you want to work ({offered}).")
        elif match == "any":
            reasons.append(f"Covers every setting, so it fits {setting_label(answers.setting).lower()} too.")
        elif match == "related":
            reasons.append(f"Close to where you want to work: it is aimed at {offered.lower()}.")
        elif match == "other":
            caveats.append(f"Aimed at {offered.lower()}, not {setting_label(answers.setting).lower()}.")
        elif cert.setting is Setting.ANY_SETTING:  # not sure yet: a credential for every setting keeps doors open
            score += SCORE_NOT_SURE_ANY_SETTING
            reasons.append("Covers every setting, which keeps your options open while you decide.")

        check = eligibility(cert, answers, certs)
        eligible = check.eligible
        score += SCORE_ELIGIBLE[eligible]
        reasons += check.reasons
        caveats += check.caveats
        if check.shortfall is ExperienceShortfall.APPRENTICE:
            score += SCORE_APPRENTICE
        elif check.shortfall is ExperienceShortfall.RECOMMENDED:
            score += SCORE_RECOMMENDED_EXPERIENCE

        degree_based = bool(cert.requires_him_degree)
        points, early = _level_points(cert.level, answers.experience_years, match, reasons, caveats, degree_based)
        score += points
        points, over_budget = _budget_points(dataset, cert, answers.budget, reasons, caveats)
        score += points
        level = fit_level(eligible, match, check.shortfall is not None or early or over_budget)
        if cert.membership_required:
            dues = membership_fee(dataset, cert)
            amount = f" ({ui.money(dues.member_usd or dues.nonmember_usd)} a year)" if dues else ""
            caveats.append(
                f"{cert.issuing_body.value} membership is required; the dues{amount} come on top of the exam fee."
            )
        results.append(
            FitResult(
                cert.id, cert.credential, score, match, eligible, tuple(reasons), tuple(caveats), level, check.needs
            )
        )
    return sorted(results, key=lambda r: (-r.score, r.credential))


def fit_level(eligible: bool | None, match: str, needs_preparation: bool) -> FitLevel:
    """How well a credential fits, from the ranking's fields: eligibility first, then the setting, then what needs work.

    >>> fit_level(True, "exact", False).value, fit_level(True, "related", True).value
    ('good_now', 'with_preparation')
    >>> fit_level(True, "other", False).value
    'other_setting'
    >>> fit_level(False, "exact", False).value, fit_level(None, "exact", False).value
    ('not_yet', 'check_first')
    """
    if eligible is False:
        return FitLevel.NOT_YET
    if eligible is None:
        return FitLevel.CHECK_FIRST
    if match == "other":
        return FitLevel.OTHER_SETTING
    return FitLevel.WITH_PREPARATION if needs_preparation else FitLevel.GOOD_NOW


def _level_points(
    level: Level, years: float, match: str, reasons: list[str], caveats: list[str], degree_based: bool = False
) -> tuple[int, bool]:
    """Points for the credential's level against the experience, and whether it is early to take it."""
    if level is Level.ENTRY:
        if years < 1:
            reasons.append("Entry level: a good first credential with little or no experience.")
            return 10, False
        return 5, False
    if level is Level.ADVANCED:
        if degree_based:  # the RHIA: what it asks for is a degree, not years of coding experience
            return 0, False
        if years < 2:
            caveats.append("Advanced credential: usually taken after some years of coding experience.")
            return SCORE_ADVANCED_EARLY, True
        return 0, False
    if match == NOT_SURE and years < 1:
        return 5, False
    return 8, False


def _budget_points(
    dataset: Dataset, cert: Certification, budget: float | None, reasons: list[str], caveats: list[str]
) -> tuple[int, bool]:
    """Points for the exam fee against the budget, and whether even the lowest price is over it."""
    prices = exam_prices(shown_exam_fee(dataset, cert.id))
    if not prices:
        caveats.append("Exam fee not found in our sources; check the official page before you budget.")
        return 0, False
    if budget is None:
        return 0, False
    if prices[-1] <= budget:
        reasons.append(f"The exam fee ({ui.money(prices[-1])}) fits your budget of {ui.money(budget)}.")
        return SCORE_FITS_BUDGET, False
    if prices[0] <= budget:
        reasons.append(
            f"Fits your budget of {ui.money(budget)} only at the lower price ({ui.money(prices[0])}, usually the "
            f"member price); the other price is {ui.money(prices[-1])}."
        )
        return SCORE_MEMBER_PRICE_ONLY, False
    caveats.append(f"Over budget: the exam costs at least {ui.money(prices[0])}; your budget is {ui.money(budget)}.")
    return SCORE_OVER_BUDGET, True
