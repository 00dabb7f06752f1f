"""Which sources the workbook accepts: the one list of official hosts per owner, and the hosts it refuses.

A row's ``source`` is a list of items separated by `` | `` (or ``;``): web addresses, or named documents
("ICD-10-CM Official Guidelines for Coding and Reporting FY2026"). :func:`classify` sorts one item:

* ``official``: every address is on an owner's host below (a school's catalog counts only for the tables
  about programs and courses), and a named document names its owner or is one of the owners' publications;
* ``refused``: a test, QA, development or staging host (``cms-qa.ahima.org``, ``www-devnav.aapc.com``), or a
  site known to be unrelated to the facts (a metalworks company, food blogs, exam-prep sites). Never accepted;
* ``third_party``: anything else. Accepted only on a row marked ``source_kind`` = ``third_party`` with a
  ``source_reason``, or, in tables without those columns, when it is one of :data:`NAMED_THIRD_PARTIES`.

:func:`coderpath_widgets.content.validation.check_sources` applies these rules to every table.

>>> classify("https://www.bls.gov/ooh/healthcare/medical-transcriptionists.htm").kind
'official'
>>> classify("https://cms-qa.ahima.org/certification-careers/certification-exams/rhit").kind
'refused'
>>> classify("https://example-blog.com/coding").kind
'third_party'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Owner:
    """An organisation whose own pages are official sources for the facts it owns."""

    name: str
    hosts: tuple[str, ...]  # registrable domains; their subdomains count too (www., stats., journal.)
    names: tuple[str, ...]  # how a named document cites it, matched as whole words


#: The official owners. Add a host here, and only here, to accept it everywhere.
OWNERS: tuple[Owner, ...] = (
    Owner("AAPC", ("aapc.com",), ("AAPC",)),
    Owner("AHIMA", ("ahima.org",), ("AHIMA", "CCHIIM")),
    Owner("NHA (National Healthcareer Association)", ("nhanow.com",), ("NHA", "National Healthcareer Association")),
    Owner("ACDIS", ("acdis.org",), ("ACDIS",)),
    Owner("BLS (U.S. Bureau of Labor Statistics)", ("bls.gov",), ("BLS", "Bureau of Labor Statistics")),
    Owner("O*NET (U.S. Department of Labor)", ("onetonline.org", "onetcenter.org"), ("O*NET",)),
    Owner("CMS", ("cms.gov",), ("CMS", "Centers for Medicare & Medicaid Services")),
    Owner("CDC / NCHS", ("cdc.gov",), ("CDC", "NCHS")),
    Owner("AMA", ("ama-assn.org",), ("AMA", "American Medical Association")),
    Owner("CAHIIM", ("cahiim.org",), ("CAHIIM",)),
    # The federal bodies that own the law, privacy and terminology facts the quiz and flashcards teach.
    Owner("HHS (incl. OCR and OIG)", ("hhs.gov",), ("HHS", "HHS-OIG", "HHS OCR")),
    Owner("NLM (MedlinePlus)", ("nlm.nih.gov", "medlineplus.gov"), ("MedlinePlus", "NLM")),
    Owner("NCI (SEER Training)", ("cancer.gov",), ("NCI SEER", "NCI")),
    Owner("SSA (Social Security Act)", ("ssa.gov",), ("Social Security Act",)),
    Owner("U.S. Code of Federal Regulations", ("ecfr.gov", "federalregister.gov"), ("CFR",)),
)

#: Publications of the owners above that are cited by title alone.
OFFICIAL_PUBLICATIONS: tuple[str, ...] = (
    "ICD-10-CM Official Guidelines for Coding and Reporting",  # CDC/NCHS and CMS
    "ICD-10-CM Tabular List",  # CDC/NCHS
    "ICD-10-PCS Official Guidelines for Coding and Reporting",  # CMS
    "ICD-10-PCS FY2026 Tables and Index",  # CMS
)

#: Schools' own catalog hosts: official for that school's program, so only in the program and course tables.
SCHOOL_HOSTS: tuple[str, ...] = (
    "cecil.edu",  # Cecil College
    "mvcc.edu",  # Mohawk Valley Community College
    "sc4.edu",  # St. Clair County Community College
    "aacc.edu",  # Anne Arundel Community College
    "csu.edu",  # Chicago State University
    "scciowa.edu",  # Southeastern Community College, Iowa
    "ultimatemedical.edu",  # Ultimate Medical Academy
    "smartcatalogiq.com",  # the catalog host schools publish on; the address names the school (Mercy College of Ohio)
)
SCHOOL_TABLES: frozenset[str] = frozenset({"programs", "courses", "checklist_items"})

#: Named third parties accepted by name in tables that have no source_kind column, each with its reason.
NAMED_THIRD_PARTIES: dict[str, str] = {
    "simple-icd-10-cm": "the MIT-licensed package that ships the CDC/NCHS ICD-10-CM files unchanged; the "
    "workbook's code lookup reads the same files",
}

#: Host labels that mark a test, QA, development or staging copy of a site.
TEST_HOST_LABEL = re.compile(
    r"^(qa|test|tests|testing|dev|devnav|develop|development|staging|stage|stg|uat|preview|sandbox)\d*$"
)

#: Sites refused whatever the row says, with the reason shown to whoever cites them.
REFUSED_HOSTS: dict[str, str] = {
    "precisionmetalworks360.com": "a metalworks company's site holding a copy of an old BLS text",
    "winenfood.com": "a food blog",
    "visualfoodie.com": "a food blog",
    "eatsip365.com": "a food blog",
    "saswell-cn.com": "an unrelated company's site holding a copy of AHIMA pages",
    "healthcom.info": "an unrelated site holding a copy of AHIMA pages",
    "home-codify.com": "an unrelated site holding a copy of AAPC pages",
    "pages.dev": "anonymous free hosting with no named owner",
    "jobtestsportal.com": "an unrelated test-selling site",
    "open-exam-prep.com": "an exam-prep site",
    "practicetestgeeks.com": "an exam-prep site",
    "medicoexam.com": "an exam-prep site",
    "cpctestprep.com": "an exam-prep site",
    "ccaexamprep.com": "an exam-prep site",
    "cdipeexam.com": "an exam-prep site",
    "studyguidezone.com": "an exam-prep site",
    "medcodely.com": "an exam-prep site",
}

_URL = re.compile(r"https?://[^\s|;)]+", re.IGNORECASE)
_BARE_HOST = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:gov|org|com|edu|net|info|dev|io|us))(?=[/\s),]|$)", re.IGNORECASE)
_ITEM_SEPARATOR = re.compile(r"\s\|\s|;\s")


@dataclass(frozen=True)
class Verdict:
    """How one source item is classed, and why."""

    item: str
    kind: str  # "official", "third_party" or "refused"
    reason: str


def split_source(source: str) -> list[str]:
    """The items of a ``source`` cell.

    >>> split_source("https://www.aapc.com/a | AHIMA Candidate Guide (2017); CMS manual")
    ['https://www.aapc.com/a', 'AHIMA Candidate Guide (2017)', 'CMS manual']
    """
    return [item.strip() for item in _ITEM_SEPARATOR.split(source) if item.strip()]


def hosts_in(item: str) -> list[str]:
    """Hosts named by an item: those of its web addresses, or bare ones such as ``(medlineplus.gov/x)``."""
    urls = _URL.findall(item)
    if urls:
        return [(urlsplit(url).hostname or "").lower() for url in urls]
    return [match.lower() for match in _BARE_HOST.findall(item)]


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def owner_of(host: str) -> Owner | None:
    """The official owner of a host, if it is on the list."""
    return next((o for o in OWNERS if any(_on(host, d) for d in o.hosts)), None)


def refusal(host: str) -> str | None:
    """Why a host is never accepted, or None.

    >>> refusal("www-devnav.aapc.com")
    "'www-devnav.aapc.com' is a test or development host"
    >>> refusal("mbc-bv6.pages.dev")
    'anonymous free hosting with no named owner'
    >>> refusal("www.aapc.com") is None
    True
    """
    labels = host.split(".")[:-1]
    if any(TEST_HOST_LABEL.match(part) for label in labels for part in label.split("-")):
        return f"'{host}' is a test or development host"
    return next((why for domain, why in REFUSED_HOSTS.items() if _on(host, domain)), None)


def _names_owner(text: str) -> bool:
    for owner in OWNERS:
        for name in owner.names:
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                return True
    return any(title.lower() in text.lower() for title in OFFICIAL_PUBLICATIONS)


@functools.lru_cache(maxsize=8192)
def classify(item: str, table: str = "") -> Verdict:
    """Class one source item of a row in ``table`` (cached: many rows cite the same pages)."""
    hosts = hosts_in(item)
    for host in hosts:
        if why := refusal(host):
            return Verdict(item, "refused", why)
    if hosts:
        for host in hosts:
            school = any(_on(host, d) for d in SCHOOL_HOSTS)
            if school and table and table not in SCHOOL_TABLES:
                return Verdict(item, "third_party", f"'{host}' is a school's page, official only for its own program")
            if not school and owner_of(host) is None:
                return Verdict(item, "third_party", f"'{host}' is not an official page of any owner the workbook lists")
        return Verdict(item, "official", "an owner's own page")
    if _names_owner(item):
        return Verdict(item, "official", "a document named with its owner")
    lowered = item.lower()
    for name, reason in NAMED_THIRD_PARTIES.items():
        if name in lowered:
            return Verdict(item, "third_party", f"named third party: {reason}")
    return Verdict(item, "third_party", "names no owner and gives no address")


def named_third_party(item: str) -> bool:
    """Whether an item is one of :data:`NAMED_THIRD_PARTIES` (accepted by name with the reason recorded there)."""
    return any(name in item.lower() for name in NAMED_THIRD_PARTIES) and not hosts_in(item)


def official_owner_names() -> str:
    """The owners, for messages: 'AAPC, AHIMA, …'."""
    return ", ".join(o.name.split(" (")[0] for o in OWNERS)
