"""The QĐ 766 index set (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người
dân, doanh nghiệp) as the national dashboard shows it: six indices, 100 points
(research ``vietnam-domain.md`` §1.7). One module, read by the pages, the exports and the
public page.

Each indicator is a rate (numerator / denominator, in %, two decimals). Its points are
``max × min(1, rate / threshold)``: the thresholds of the formula spec (80 %, 50 %, 90 %)
give full points from there, the others are linear to 100 %. The split of a group's points
between its indicators is only partly public (5.4 = 6 of 18, 1.2 = 4 of 18); the rest is
split as in ``INDICATORS`` and documented in docs/DECISIONS.md. An indicator with nothing to
count (denominator 0) or not measured here yet is "—" and its points are left out of both
the score and the maximum; the group score is scaled back to the group's maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: str
    points: int
    threshold: int  # % from which the points are full
    numerator: str  # a key of the figures, or a function name below
    denominator: str
    drill: str = ""  # the figure whose dossiers the drill-down lists


GROUPS = {
    "cong_khai": ("Công khai, minh bạch", 18),
    "tien_do": ("Tiến độ, kết quả giải quyết", 20),
    "dvctt": ("Dịch vụ công trực tuyến", 12),
    "thanh_toan": ("Thanh toán trực tuyến", 10),
    "hai_long": ("Mức độ hài lòng", 18),
    "so_hoa": ("Số hóa hồ sơ", 22),
}

INDICATORS = (
    Indicator("1.1", "cong_khai", "TTHC được công bố đúng hạn", 4, 100, "decided_on_time", "decided"),
    Indicator("1.2", "cong_khai", "TTHC được cập nhật, công khai đúng hạn", 4, 100, "published_on_time", "published"),
    Indicator("1.3", "cong_khai", "TTHC công khai đầy đủ các bộ phận tạo thành", 5, 100, "complete", "procedures"),
    Indicator("1.4", "cong_khai", "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", 5, 100, "synced", "received"),
    Indicator(
        "2.1",
        "tien_do",
        "Hồ sơ xử lý trước hạn, đúng hạn",
        20,
        100,
        "handled_on_time",
        "handled",
        drill="handled_on_time",
    ),
    Indicator("3.1", "dvctt", "TTHC cung cấp dịch vụ công trực tuyến", 4, 80, "online_offered", "procedures"),
    Indicator("3.2", "dvctt", "Dịch vụ công trực tuyến có phát sinh hồ sơ", 4, 100, "online_used", "online_offered"),
    Indicator("3.3", "dvctt", "Hồ sơ nộp trực tuyến", 4, 50, "received_online", "received", drill="received_online"),
    Indicator("3.5", "thanh_toan", "TTHC có phí tích hợp thanh toán trực tuyến", 5, 80, "fee_online", "fee_bearing"),
    Indicator(
        "3.6", "thanh_toan", "Hồ sơ thanh toán trực tuyến", 5, 100, "paid_online", "fee_due", drill="paid_online"
    ),
    Indicator("4.1", "so_hoa", "Hồ sơ có kết quả điện tử", 7, 100, "resolved_e_result", "ended_resolved"),
    Indicator("4.2", "so_hoa", "Hồ sơ được số hóa", 8, 80, "digitised", "received", drill="digitised"),
    Indicator(
        "4.3", "so_hoa", "Hồ sơ khai thác, sử dụng lại dữ liệu số hóa", 7, 80, "reused", "received", drill="reused"
    ),
    Indicator("5.2", "hai_long", "Phản ánh, kiến nghị xử lý đúng hạn", 6, 100, "feedback_on_time", "feedback"),
    Indicator("5.3", "hai_long", "Hài lòng trong xử lý phản ánh, kiến nghị", 6, 100, "feedback_satisfied", "feedback"),
    Indicator(
        "5.4",
        "hai_long",
        "Hài lòng trong tiếp nhận, giải quyết TTHC",
        6,
        90,
        "satisfied",
        "handled",
        drill="satisfied",
    ),
)


def not_measured() -> set[str]:
    """Figures this portal cannot measure as configured: 1.4 while the national sync is off."""
    from django.conf import settings

    return set() if settings.NATIONAL_SYNC.get("ENABLED") else {"synced"}


BANDS = ((90, "Xuất sắc"), (80, "Tốt"), (65, "Khá"), (50, "Trung bình"), (0, "Yếu"))


def derived(f: dict[str, int]) -> dict[str, int]:
    """Figures that are combinations of others (766 2.1 and 5.4)."""
    out = dict(f)
    g = f.get
    # 2.1: ended in the period (early or on time) + still open at its end and not late yet,
    # over ended + open at the end.
    out["handled"] = g("ended", 0) + g("open_end", 0)
    out["handled_late"] = g("ended_late", 0) + g("open_late", 0)
    out["handled_on_time"] = out["handled"] - out["handled_late"]
    # 5.4 = 100 % − (late rate + rate with a complaint or a dissatisfied rating), each handled
    # dossier taken off once: on time and not complained of (docs/DECISIONS.md, "766 5.4
    # counts each dossier once"; the drill-down's facts: ``rules.period_filter("satisfied")``).
    complained_in_time = g("ended_complained", 0) - g("ended_complained_late", 0)
    out["satisfied"] = out["handled_on_time"] - complained_in_time
    out["feedback_on_time"] = g("feedback", 0) - g("feedback_overdue", 0)
    # 5.3 = all − overdue − answered in time but with more dislikes than likes (repeated
    # complaints about the same matter are not told apart yet).
    out["feedback_satisfied"] = max(out["feedback_on_time"] - g("feedback_disliked", 0), 0)
    # 5.1 is a distribution, shown without points.
    out["feedback_unclassified"] = max(g("feedback", 0) - g("feedback_rules", 0) - g("feedback_conduct", 0), 0)
    return out


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Score:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    rate: Decimal | None
    points: Decimal | None

    @property
    def measured(self) -> bool:
        return self.rate is not None


@dataclass(frozen=True)
class GroupScore:
    code: str
    name: str
    max_points: int
    points: Decimal | None
    scores: tuple[Score, ...]

    @property
    def percent(self) -> Decimal | None:
        return None if self.points is None else _round(self.points * 100 / self.max_points)


@dataclass(frozen=True)
class Evaluation:
    groups: tuple[GroupScore, ...]
    total: Decimal | None
    band: str

    def score(self, code: str) -> Score:
        for group in self.groups:
            for s in group.scores:
                if s.indicator.code == code:
                    return s
        raise KeyError(code)


def score(indicator: Indicator, figures: dict[str, int]) -> Score:
    if indicator.numerator in not_measured():
        return Score(indicator, None, None, None, None)
    num, den = figures.get(indicator.numerator, 0), figures.get(indicator.denominator, 0)
    if not den:
        return Score(indicator, num, den, None, None)
    rate = _round(Decimal(num) * 100 / Decimal(den))
    share = min(Decimal(1), rate / Decimal(indicator.threshold))
    return Score(indicator, num, den, rate, _round(share * indicator.points))


NO_DOSSIERS = "Chưa phát sinh hồ sơ"


def evaluate(figures: dict[str, int]) -> Evaluation:
    """The six indices and the total (of 100) of one agency, tier or the province. With no
    dossier to handle in the period (none carried over, none received) each indicator keeps
    its figures but there is no total and no place in a ranking: an agency that did nothing
    once ranked "Tốt" above agencies that worked, on its catalog figures alone."""
    handled = figures.get("carried", 0) + figures.get("received", 0)
    figures = derived(figures)
    groups = []
    for code, (name, max_points) in GROUPS.items():
        scores = tuple(score(i, figures) for i in INDICATORS if i.group == code)
        measured = [s for s in scores if s.measured]
        if measured:
            got = sum((s.points for s in measured), Decimal(0))
            possible = sum(s.indicator.points for s in measured)
            points = _round(got * max_points / possible)
        else:
            points = None
        groups.append(GroupScore(code, name, max_points, points, scores))
    measured_groups = [g for g in groups if g.points is not None]
    if not handled:  # each indicator still shows its figures; no total, no rank
        return Evaluation(tuple(groups), None, NO_DOSSIERS)
    if measured_groups:
        got = sum((g.points for g in measured_groups), Decimal(0))
        possible = sum(g.max_points for g in measured_groups)
        total = _round(got * 100 / possible)
    else:
        total = None
    return Evaluation(tuple(groups), total, band(total))


def band(total: Decimal | None) -> str:
    if total is None:
        return "Chưa có số liệu"
    for floor, name in BANDS:
        if total >= floor:
            return name
    return BANDS[-1][1]


def add(*figure_sets: dict[str, int]) -> dict[str, int]:
    """Figures of several agencies summed (a tier, the province)."""
    out: dict[str, int] = {}
    for figures in figure_sets:
        for key, value in figures.items():
            out[key] = out.get(key, 0) + value
    return out
