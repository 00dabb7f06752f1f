"""One frozen dataclass per CSV in ``data/``; closed vocabularies are enums.

Field order is the CSV column order. ``X | None`` marks a cell that may be empty (unknown);
``tuple[...]`` marks a ``;``-separated list. ``field(metadata={"min": 0})`` forbids negatives.
The data dictionary, ``data/README.md``, documents every column and is kept in sync by a test.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from coderpath_widgets.content.values import AsOf

NON_NEGATIVE = {"min": 0}


class Body(enum.Enum):
    AAPC = "AAPC"
    AHIMA = "AHIMA"
    NHA = "NHA"
    ACDIS = "ACDIS"

    @property
    def label(self) -> str:
        """The issuer's full name, for captions: 'NHA (National Healthcareer Association)'."""
        return BODY_LABELS[self.value]


#: Issuer value → full name shown to learners.
BODY_LABELS = {
    "AAPC": "AAPC",
    "AHIMA": "AHIMA (American Health Information Management Association)",
    "NHA": "NHA (National Healthcareer Association)",
    "ACDIS": "ACDIS (Association of Clinical Documentation Integrity Specialists)",
}


class Setting(enum.Enum):
    """Where a credential's holders usually work; also the fit helper's first question."""

    PHYSICIAN_OFFICE = "physician_office"
    HOSPITAL_OUTPATIENT = "hospital_outpatient"
    HOSPITAL_INPATIENT = "hospital_inpatient"
    RISK_ADJUSTMENT = "risk_adjustment"
    BILLING = "billing"
    AUDITING = "auditing"
    ANY_SETTING = "any_setting"
    HEALTH_INFORMATION = "health_information"
    CLINICAL_DOCUMENTATION = "clinical_documentation"
    PRACTICE_MANAGEMENT = "practice_management"


class Level(enum.Enum):
    APPRENTICE = "apprentice"
    ENTRY = "entry"
    CORE = "core"
    ADVANCED = "advanced"


class Education(enum.Enum):
    """Schooling, lowest to highest; used for eligibility and BLS entry education."""

    HIGH_SCHOOL = "high_school"
    POSTSECONDARY_NONDEGREE = "postsecondary_nondegree"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"

    @property
    def rank(self) -> int:
        return list(Education).index(self)


class SourceKind(enum.Enum):
    OFFICIAL = "official"
    THIRD_PARTY = "third_party"


class FeeKind(enum.Enum):
    EXAM = "exam"
    EXAM_STUDENT = "exam_student"
    MEMBERSHIP = "membership"
    MEMBERSHIP_STUDENT = "membership_student"
    RECERTIFICATION = "recertification"


class Difficulty(enum.Enum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class DocumentType(enum.Enum):
    """The kind of medical record a record-based practice case is written as."""

    PROGRESS_NOTE = "progress_note"
    ED_NOTE = "ed_note"
    DISCHARGE_SUMMARY = "discharge_summary"
    OPERATIVE_REPORT = "operative_report"
    PATHOLOGY_REPORT = "pathology_report"


class EncounterSetting(enum.Enum):
    """Inpatient admission or outpatient encounter (office, clinic, emergency department, observation)."""

    INPATIENT = "inpatient"
    OUTPATIENT = "outpatient"


#: Present-on-admission indicators (POA reporting guidelines, Appendix I of the ICD-10-CM guidelines).
POA_INDICATORS = {
    "Y": "present at the time of inpatient admission",
    "N": "not present at the time of inpatient admission",
    "U": "documentation insufficient to determine whether present on admission",
    "W": "provider unable to clinically determine whether present on admission",
}


class WordPartKind(enum.Enum):
    """A root is the core of a word (``angi``); a combining form is a root plus a combining vowel (``angi/o``)."""

    PREFIX = "prefix"
    ROOT = "root"
    COMBINING_FORM = "combining_form"
    SUFFIX = "suffix"


class QuizDomain(enum.Enum):
    CODE_SET_CONVENTIONS = "code_set_conventions"
    GUIDELINES = "guidelines"
    COMPLIANCE_HIPAA = "compliance_hipaa"
    ANATOMY_TERMINOLOGY = "anatomy_terminology"
    CERTIFICATION_FACTS = "certification_facts"


@dataclass(frozen=True)
class Step:
    """A step of the path (steps.csv)."""

    id: str
    number: int = field(metadata=NON_NEGATIVE)
    title: str
    subtitle: str
    notebook: str
    summary: str
    time_minutes: int = field(metadata=NON_NEGATIVE)


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do in a step (checklist_items.csv)."""

    id: str
    step_id: str
    section: str
    order: int = field(metadata=NON_NEGATIVE)
    title: str
    detail: str
    evidence_hint: str | None
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class CodeSet:
    """A code set coders use (code_sets.csv)."""

    id: str
    name: str
    maintained_by: str
    used_for: str
    approx_codes: int | None = field(metadata=NON_NEGATIVE)
    count_basis: str | None
    current_release: str | None
    update_cycle: str
    licensing: str
    code_format: str
    example: str | None
    notes: str | None
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class Certification:
    """A credential and its exam (certifications.csv). Fees are in certification_fees.csv."""

    id: str
    credential: str
    issuing_body: Body
    full_name: str
    setting: Setting
    level: Level
    exam_questions: int | None = field(metadata=NON_NEGATIVE)
    exam_format: str | None
    exam_hours: float | None = field(metadata=NON_NEGATIVE)
    passing_score: str | None
    eligibility: str | None
    min_education: Education | None
    #: yes when the exam needs a degree in health information management from a CAHIIM-accredited program
    requires_him_degree: bool | None
    recommended_experience_years: float | None = field(metadata=NON_NEGATIVE)
    membership_required: bool | None
    renewal_years: int | None = field(metadata=NON_NEGATIVE)
    ceus_required: int | None = field(metadata=NON_NEGATIVE)
    code_sets: tuple[str, ...]
    delivery: str | None
    notes: str | None
    conflicts: str | None
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class CertificationFee:
    """One fee figure for a credential, from one source (certification_fees.csv)."""

    certification_id: str
    kind: FeeKind
    member_usd: float | None = field(metadata=NON_NEGATIVE)
    nonmember_usd: float | None = field(metadata=NON_NEGATIVE)
    attempts: int | None = field(metadata=NON_NEGATIVE)
    shown: bool
    why_shown: str | None
    note: str | None
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class Career:
    """A career on or near the coding path (careers.csv). Figures are in career_figures.csv."""

    id: str
    name: str
    soc_code: str | None
    seed_article_name: str | None
    what_they_do: str
    certifications: tuple[str, ...]
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class CareerFigure:
    """Pay and outlook for a career from one edition of one source (career_figures.csv)."""

    career_id: str
    median_pay_usd: float | None = field(metadata=NON_NEGATIVE)
    pay_period: str | None
    entry_education: Education | None
    jobs: int | None = field(metadata=NON_NEGATIVE)
    jobs_year: str | None
    growth_pct: float | None
    projection_period: str | None
    annual_openings: int | None = field(metadata=NON_NEGATIVE)
    shown: bool
    why_shown: str | None
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class Program:
    """A type of education program (programs.csv)."""

    id: str
    name: str
    award: Education
    months_min: int | None = field(metadata=NON_NEGATIVE)
    months_max: int | None = field(metadata=NON_NEGATIVE)
    credits: str | None
    cost_usd_min: float | None = field(metadata=NON_NEGATIVE)
    cost_usd_max: float | None = field(metadata=NON_NEGATIVE)
    accreditation: str | None
    prepares_for: tuple[str, ...]
    notes: str | None
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class Course:
    """A course of the coursework (courses.csv)."""

    id: str
    name: str
    description: str
    prerequisites: tuple[str, ...]
    programs: tuple[str, ...]
    credentials: tuple[str, ...]
    planning_hours: int = field(metadata={"min": 1})
    planning_basis: str
    evidence: str
    source_kind: SourceKind
    source_reason: str | None
    source: str
    as_of: AsOf


@dataclass(frozen=True)
class PracticeCase:
    """A synthetic encounter note to code (practice_cases.csv). Never real patient data.

    A *short case* has no ``document_type``; a *record-based case* is written as a medical record
    (progress note, ED note, discharge summary, operative or pathology report) in which the learner
    finds the reportable diagnoses. A case whose right answer is to query the provider has a model
    ``query`` and no codes. List cells hold items of the forms::

        alternative_codes  "J18.9 R65.21: why"  (first-listed code, then additional codes, then ': ' and the rationale)
        optional_codes     "Z87.891: why"
        poa                "A41.9:Y"
        note_waivers       "B02.9:use_additional: why"  (see tests/content/test_case_instructional_notes.py)
    """

    id: str
    chapter: int = field(metadata={"min": 1})
    difficulty: Difficulty
    title: str
    note: str
    first_listed: str | None
    additional: tuple[str, ...]
    rationale: str
    guideline: str
    source: str
    as_of: AsOf
    document_type: DocumentType | None = None
    setting: EncounterSetting | None = None
    alternative_codes: tuple[str, ...] = ()
    optional_codes: tuple[str, ...] = ()
    poa: tuple[str, ...] = ()
    query: str | None = None
    note_waivers: tuple[str, ...] = ()

    @property
    def is_record(self) -> bool:
        """True for a record-based case (written as a medical record)."""
        return self.document_type is not None

    @property
    def is_query(self) -> bool:
        """True when the right answer is to query the provider rather than to assign codes."""
        return self.query is not None

    @property
    def codes(self) -> tuple[str, ...]:
        """The expected codes: first-listed, then additional (empty for a query case)."""
        return ((self.first_listed,) if self.first_listed else ()) + self.additional

    @property
    def alternatives(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Each accepted alternative answer as (codes, first-listed first; rationale).

        >>> PracticeCase("c", 1, Difficulty.EASY, "t", "n", "A41.9", ("J18.9",), "r", "g", "s", AsOf("2026"),
        ...              alternative_codes=("J18.9 A41.9: why",)).alternatives
        ((('J18.9', 'A41.9'), 'why'),)
        """
        return tuple(_split_item(item, codes=True) for item in self.alternative_codes)

    @property
    def optional(self) -> dict[str, str]:
        """Optional codes (neither required nor penalised) → the rationale for allowing them."""
        return dict(_split_item(item) for item in self.optional_codes)

    @property
    def poa_indicators(self) -> dict[str, str]:
        """Expected code → its present-on-admission indicator (Y, N, U or W), for inpatient cases."""
        return dict(_split_item(item) for item in self.poa)

    @property
    def waivers(self) -> dict[tuple[str, str], str]:
        """(code, note kind) → why that instructional note does not apply to this case."""
        out = {}
        for item in self.note_waivers:
            code, _, rest = item.partition(":")
            kind, _, reason = rest.partition(":")
            out[(code.strip(), kind.strip())] = reason.strip()
        return out


def _split_item(item: str, codes: bool = False):
    """``"A B: why"`` → ``(("A", "B"), "why")`` with ``codes``, else ``"A:Y"`` → ``("A", "Y")``."""
    head, _, tail = item.partition(":")
    return (tuple(head.split()) if codes else head.strip()), tail.strip()


@dataclass(frozen=True)
class WordPart:
    """A medical terminology word part (word_parts.csv)."""

    id: str
    part: str
    kind: WordPartKind
    root: str | None
    meaning: str
    example_term: str
    example_meaning: str
    body_system: str
    source: str


@dataclass(frozen=True)
class QuizQuestion:
    """A multiple-choice knowledge question (quiz_questions.csv)."""

    id: str
    domain: QuizDomain
    question: str
    choice_a: str
    choice_b: str
    choice_c: str | None
    choice_d: str | None
    answer: str
    rationale: str
    source: str
    as_of: AsOf


#: table name (file stem) → model, in the order the data dictionary documents them.
TABLES: dict[str, type] = {
    "steps": Step,
    "checklist_items": ChecklistItem,
    "code_sets": CodeSet,
    "certifications": Certification,
    "certification_fees": CertificationFee,
    "careers": Career,
    "career_figures": CareerFigure,
    "programs": Program,
    "courses": Course,
    "practice_cases": PracticeCase,
    "word_parts": WordPart,
    "quiz_questions": QuizQuestion,
}
