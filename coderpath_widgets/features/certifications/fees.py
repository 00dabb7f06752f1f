"""Which fees a credential has: the shown exam fee and its prices, body-wide dues, and the comparison filters."""

from __future__ import annotations

from coderpath_widgets.content.dataset import Dataset
from coderpath_widgets.content.models import Certification, CertificationFee, FeeKind

ALL = "all"

#: The exam-fee ceilings offered by the comparison's fee filter and the fit helper's budget (US dollars).
FEE_CEILINGS: tuple[float, ...] = (200.0, 300.0, 400.0, 500.0, 700.0, 1000.0)


def exam_prices(fee: CertificationFee | None) -> list[float]:
    """The known prices of an exam fee row, lowest first (empty when none is known)."""
    if fee is None:
        return []
    return sorted(p for p in (fee.member_usd, fee.nonmember_usd) if p is not None)


def shown_exam_fee(dataset: Dataset, cert_id: str) -> CertificationFee | None:
    """The exam fee row we show for a credential, or None when no exam fee is on file."""
    return next((f for f in dataset.fees_for(cert_id, shown_only=True) if f.kind is FeeKind.EXAM), None)


def lowest_exam_price(dataset: Dataset, cert_id: str) -> float | None:
    """The lowest shown exam price (often the member price), or None when no price was found."""
    prices = exam_prices(shown_exam_fee(dataset, cert_id))
    return prices[0] if prices else None


#: Fees that apply to every credential of an issuing body; the data lists each once, under one credential.
BODY_WIDE_KINDS = (FeeKind.MEMBERSHIP, FeeKind.MEMBERSHIP_STUDENT, FeeKind.RECERTIFICATION)


def body_wide_fees(dataset: Dataset, cert: Certification) -> list[tuple[CertificationFee, Certification]]:
    """Shown membership and recertification fees listed under another credential of the same body.

    ``certification_fees.csv`` records AAPC membership once (under the CPC) and AHIMA membership and
    recertification once (under the CCA); their notes say they apply to every credential of that body.
    Returns ``(fee, credential it is listed under)`` for each such kind this credential has no row of.
    """
    own = {f.kind for f in dataset.fees_for(cert.id)}
    out = []
    for kind in BODY_WIDE_KINDS:
        if kind in own:
            continue
        for other in dataset.certifications:
            if other.issuing_body is not cert.issuing_body or other.id == cert.id:
                continue
            fee = next((f for f in dataset.fees_for(other.id, shown_only=True) if f.kind is kind), None)
            if fee is not None:
                out.append((fee, other))
                break
    return out


def membership_fee(dataset: Dataset, cert: Certification) -> CertificationFee | None:
    """The shown membership dues for a credential's body, wherever the data lists them."""
    own = next((f for f in dataset.fees_for(cert.id, shown_only=True) if f.kind is FeeKind.MEMBERSHIP), None)
    if own is not None:
        return own
    return next((fee for fee, _ in body_wide_fees(dataset, cert) if fee.kind is FeeKind.MEMBERSHIP), None)


def filter_certifications(
    dataset: Dataset,
    body: str = ALL,
    setting: str = ALL,
    max_fee: float | None = None,
    code_set: str = ALL,
) -> list[str]:
    """Ids of the credentials that pass the filters, in data order.

    ``max_fee`` compares with the lowest shown exam price; a credential with no known price is kept
    (it is shown marked "fee not found", never hidden silently).
    """
    out = []
    for cert in dataset.certifications:
        if body != ALL and cert.issuing_body.value != body:
            continue
        if setting != ALL and cert.setting.value != setting:
            continue
        if code_set != ALL and code_set not in cert.code_sets:
            continue
        price = lowest_exam_price(dataset, cert.id)
        if max_fee is not None and price is not None and price > max_fee:
            continue
        out.append(cert.id)
    return out
