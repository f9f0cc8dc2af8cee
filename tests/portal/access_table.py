"""Who may do what: the declared authorization table of every address the portal serves.

One entry per named URL (``namespace:name``), and per HTTP method the people allowed.
Everyone not listed must be refused: sent to log in, or answered 401, 403 or 404 (an
object that is not yours does not exist for you). The Django admin is not listed here:
its addresses are generated from the admin site (tests/portal/test_authorization_matrix.py)
and are open to the provincial admin only.

A new URL without an entry fails ``test_every_address_has_an_entry``; a new API operation
without its method fails ``test_every_api_operation_has_an_entry``.

The people (tests/portal/access_world.py): the anonymous visitor, citizens A and B, a
business, the one-stop officers of agencies X and Y, a specialist, the leader and the
agency admin of X, and the provincial admin. Citizen A owns the dossiers the addresses
point at; they are filed at agency X.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.portal.access_world import (
    AGENCY_ADMIN,
    ANON,
    BUSINESS,
    CITIZEN_A,
    CITIZEN_B,
    LEADER,
    OFFICER_X,
    OFFICER_Y,
    PERSONAS,
    PROVINCIAL_ADMIN,
    SPECIALIST,
    World,
)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANON}
NOBODY = frozenset()
OWNER = frozenset({CITIZEN_A})
# Officers with an assignment anywhere (the provincial admin's is at the province).
OFFICERS = frozenset({OFFICER_X, OFFICER_Y, SPECIALIST, LEADER, AGENCY_ADMIN, PROVINCIAL_ADMIN})
# Who handles a dossier of agency X on the desk: its officers of every role. The provincial
# admin supervises through the admin and the reports, and acts on no agency's dossier.
HANDLERS_X = frozenset({OFFICER_X, SPECIALIST, LEADER, AGENCY_ADMIN})
# Who may open the dossier's files, forms and receipts: its owner, its handlers, and the
# provincial admin, who sees the dossiers in the admin (dossiers.selectors.officer_handles).
OWNER_OR_HANDLERS = OWNER | HANDLERS_X | {PROVINCIAL_ADMIN}
ONE_STOP = frozenset({OFFICER_X, OFFICER_Y})
DESK_X = frozenset({OFFICER_X})
REPORT_READERS = frozenset({LEADER, AGENCY_ADMIN, PROVINCIAL_ADMIN})
# Who administers agency X (accounts.access.administers_agency): its agency admin and the
# provincial admin; everybody else, agency Y's officer included, is answered 404.
ADMINS_X = frozenset({AGENCY_ADMIN, PROVINCIAL_ADMIN})


@dataclass(frozen=True)
class Rule:
    """Who may use one address, per method; how to fill it from the world."""

    allowed: dict[str, frozenset[str]]
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    query: Callable[[World], dict] = field(default=lambda w: {})
    note: str = ""


def rule(kwargs=None, query=None, note: str = "", **allowed: frozenset[str]) -> Rule:
    return Rule(allowed=allowed, kwargs=kwargs or (lambda w: {}), query=query or (lambda w: {}), note=note)


def _code(dossier):
    return lambda w: {"code": getattr(w, dossier).code}


def _officer_x(w) -> dict:
    return {"agency_id": w.agency_x.pk, "user_id": w.users[OFFICER_X].pk}


def _public_id(dossier):
    return lambda w: {"public_id": getattr(w, dossier).public_id}


def _counter_code(w) -> dict:
    """A paper dossier received at agency X's counter for a walk-in citizen whose account is
    not activated yet (made the first time an address asks for it)."""
    if "counter" not in w.extra:
        from dossiers import processing, services
        from tests.dossiers import files
        from tests.dossiers.staff import version_for

        desk = w.users[OFFICER_X]
        dossier, _ = processing.intake_start(
            officer=desk,
            agency=w.agency_x,
            version=version_for(w.agency_x, fees=[]),
            case=None,
            citizen={"national_id": "038187055555", "full_name": "Đào Thị Xuân"},
        )
        services.dossier_save_draft(dossier=dossier, actor=desk, applicant={}, answers={"noi_dung": "Cấp bản sao"})
        for doc in services.required_documents_for(dossier):
            if doc.required:
                services.document_add_files(dossier=dossier, required_document=doc, files=[files.pdf()], actor=desk)
        w.extra["counter"] = processing.intake_complete(dossier=dossier, officer=desk)
    return {"code": w.extra["counter"].code}


TABLE: dict[str, Rule] = {
    # --- Portal-wide -------------------------------------------------------------------------
    "set_language": rule(POST=EVERYONE),
    "choose_language": rule(kwargs=lambda w: {"code": "en"}, GET=EVERYONE),
    "health": rule(GET=EVERYONE),
    # The national portal's stand-in answers pushes in the demo; nobody else is served.
    "national:sandbox": rule(kwargs=lambda w: {"kind": "them-moi"}, POST=EVERYONE),
    # --- Accounts ----------------------------------------------------------------------------
    "accounts:register": rule(GET=EVERYONE, POST=EVERYONE),
    "accounts:register_business": rule(GET=EVERYONE, POST=EVERYONE),
    "accounts:login": rule(GET=EVERYONE, POST=EVERYONE),
    "accounts:sso_start": rule(GET=EVERYONE),
    "accounts:sso_callback": rule(GET=EVERYONE),
    "accounts:logout": rule(POST=EVERYONE),
    # Officers and admins must pass it (tests/accounts/test_second_factor.py); anyone may set one up.
    "accounts:second_factor": rule(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:second_factor_setup": rule(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:activate": rule(GET=EVERYONE, POST=EVERYONE),
    "accounts:profile": rule(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:password_change": rule(GET=SIGNED_IN, POST=SIGNED_IN),
    "accounts:password_reset": rule(GET=EVERYONE, POST=EVERYONE),
    "accounts:password_reset_done": rule(GET=EVERYONE),
    "accounts:password_reset_complete": rule(GET=EVERYONE),
    "accounts:password_reset_confirm": rule(kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}, GET=EVERYONE),
    # --- Officers' desk ----------------------------------------------------------------------
    "desk:home": rule(GET=OFFICERS),
    "desk:filter_save": rule(POST=OFFICERS),
    "desk:filter_delete": rule(kwargs=lambda w: {"pk": w.saved_filter.pk}, POST=frozenset({OFFICER_X})),
    "desk:dossier": rule(kwargs=_code("returned"), GET=HANDLERS_X),
    "desk:act": rule(kwargs=lambda w: {"code": w.returned.code, "action": "return_result"}, POST=HANDLERS_X),
    # Cash and paper rating forms are taken at the counter: the one-stop officer only.
    "desk:collect_fee": rule(kwargs=_code("awaiting_payment"), POST=DESK_X),
    "desk:exempt_fee": rule(kwargs=_code("awaiting_payment"), POST=DESK_X),
    "desk:record_rating": rule(kwargs=_code("returned"), POST=DESK_X),
    "desk:intake_start": rule(GET=ONE_STOP, POST=ONE_STOP),
    "desk:intake_edit": rule(kwargs=_public_id("intake"), GET=frozenset({OFFICER_X}), POST=frozenset({OFFICER_X})),
    "desk:intake_done": rule(kwargs=_code("returned"), GET=HANDLERS_X),
    # --- Agency administration (officers, roles, levels and fees) --------------------------
    "administration:index": rule(GET=ADMINS_X),
    "administration:officers": rule(kwargs=lambda w: {"agency_id": w.agency_x.pk}, GET=ADMINS_X),
    "administration:officer_create": rule(kwargs=lambda w: {"agency_id": w.agency_x.pk}, GET=ADMINS_X, POST=ADMINS_X),
    "administration:officer_edit": rule(kwargs=_officer_x, GET=ADMINS_X, POST=ADMINS_X),
    "administration:officer_deactivate": rule(kwargs=_officer_x, POST=ADMINS_X),
    "administration:procedures": rule(kwargs=lambda w: {"agency_id": w.agency_x.pk}, GET=ADMINS_X),
    "administration:procedure_edit": rule(
        kwargs=lambda w: {"agency_id": w.agency_x.pk, "code": w.version.procedure.national_code},
        GET=ADMINS_X,
        POST=ADMINS_X,
    ),
    "administration:holidays": rule(kwargs=lambda w: {"agency_id": w.agency_x.pk}, GET=ADMINS_X),
    # --- Citizens' dossiers ------------------------------------------------------------------
    "dossiers:start": rule(kwargs=lambda w: {"code": w.version.procedure.national_code}, GET=SIGNED_IN, POST=SIGNED_IN),
    "dossiers:mine": rule(GET=SIGNED_IN),
    "dossiers:wallet": rule(GET=SIGNED_IN, POST=SIGNED_IN),
    "dossiers:detail": rule(kwargs=_public_id("returned"), GET=OWNER),
    "dossiers:edit": rule(kwargs=_public_id("draft"), GET=OWNER, POST=OWNER),
    "dossiers:submitted": rule(kwargs=_public_id("submitted"), GET=OWNER),
    "dossiers:withdraw": rule(kwargs=_public_id("submitted"), POST=OWNER),
    "dossiers:track": rule(
        query=lambda w: {"ma": w.returned.code, "so": w.returned.owner.national_id[-4:]}, GET=EVERYONE
    ),
    "dossiers:file": rule(kwargs=lambda w: {"public_id": w.result_file.public_id}, GET=OWNER_OR_HANDLERS),
    "dossiers:page_image": rule(kwargs=lambda w: {"public_id": w.page.public_id, "size": "nho"}, GET=OWNER_OR_HANDLERS),
    # --- Printed forms -----------------------------------------------------------------------
    "printing:issued_form": rule(kwargs=lambda w: {"public_id": w.issued_form.public_id}, GET=OWNER_OR_HANDLERS),
    "printing:control_sheet": rule(kwargs=_code("returned"), GET=HANDLERS_X | {PROVINCIAL_ADMIN}),
    "printing:tracking_book": rule(GET=OFFICERS),
    # The activation slip issues the walk-in citizen's code: agency X's one-stop officer only.
    "printing:activation_slip": rule(kwargs=_counter_code, POST=DESK_X),
    # --- Notifications -----------------------------------------------------------------------
    "notifications:inbox": rule(GET=SIGNED_IN),
    # The header badge: {"unread": 0} for a visitor, their own count for anyone else.
    "notifications:unread": rule(GET=EVERYONE),
    "notifications:mark_all_read": rule(POST=SIGNED_IN),
    "notifications:preferences": rule(GET=SIGNED_IN, POST=SIGNED_IN),
    # --- Payments ----------------------------------------------------------------------------
    # The gateway's calls: open, gated by the signature (tests/payments/test_ipn.py).
    "payments:vnpay_ipn": rule(GET=EVERYONE),
    "payments:vnpay_return": rule(GET=EVERYONE),
    "payments:pay": rule(kwargs=_public_id("awaiting_payment"), GET=OWNER, POST=OWNER),
    "payments:receipt": rule(kwargs=lambda w: {"txn_ref": w.txn_ref}, GET=OWNER_OR_HANDLERS),
    # --- Ratings and feedback ----------------------------------------------------------------
    "feedback:rate": rule(kwargs=_public_id("returned"), GET=OWNER, POST=OWNER),
    "feedback:public_list": rule(GET=EVERYONE),
    "feedback:send": rule(GET=EVERYONE, POST=EVERYONE),
    "feedback:public_detail": rule(kwargs=_public_id("feedback"), GET=OWNER),
    # Feedback not yet published is visible to its sender only (and takes no vote: 400).
    "feedback:vote": rule(kwargs=_public_id("feedback"), POST=OWNER),
    "feedback:officer_queue": rule(GET=OFFICERS),
    "feedback:officer_detail": rule(kwargs=_public_id("feedback"), GET=HANDLERS_X, POST=HANDLERS_X),
    # --- Reports -----------------------------------------------------------------------------
    "reports:kpi": rule(GET=REPORT_READERS),
    "reports:drill": rule(GET=REPORT_READERS),
    "reports:tables": rule(GET=REPORT_READERS),
    "reports:procedures": rule(GET=REPORT_READERS),
    "reports:export": rule(kwargs=lambda w: {"fmt": "xlsx"}, GET=REPORT_READERS),
    "reports:transparency": rule(GET=EVERYONE),
    "reports:transparency_agency": rule(kwargs=lambda w: {"slug": w.agency_x.slug}, GET=EVERYONE),
    # --- Public catalog ----------------------------------------------------------------------
    "procedures:home": rule(GET=EVERYONE),
    "procedures:catalog": rule(GET=EVERYONE),
    "procedures:procedure_detail": rule(kwargs=lambda w: {"code": w.version.procedure.national_code}, GET=EVERYONE),
    "procedures:procedure_version": rule(
        kwargs=lambda w: {"code": w.version.procedure.national_code, "number": w.version.number}, GET=EVERYONE
    ),
    "procedures:form_download": rule(kwargs=lambda w: {"pk": w.form_document.pk}, GET=EVERYONE),
    "procedures:agency_list": rule(GET=EVERYONE),
    "procedures:agency_detail": rule(kwargs=lambda w: {"slug": w.agency_x.slug}, GET=EVERYONE),
    # --- API (methods from the OpenAPI schema) -------------------------------------------------
    "api:procedures": rule(GET=EVERYONE),
    "api:procedure": rule(kwargs=lambda w: {"code": w.version.procedure.national_code}, GET=EVERYONE),
    "api:fields": rule(GET=EVERYONE),
    "api:agencies": rule(GET=EVERYONE),
    "api:tracking": rule(
        query=lambda w: {"code": w.returned.code, "digits": w.returned.owner.national_id[-4:]}, GET=EVERYONE
    ),
    "api:dossiers": rule(GET=SIGNED_IN, POST=SIGNED_IN),
    "api:dossier": rule(kwargs=_public_id("draft"), GET=OWNER, PATCH=OWNER),
    "api:dossier_upload": rule(
        kwargs=lambda w: {
            "public_id": w.draft.public_id,
            "document_id": w.draft.documents.first().required_document_id,
        },
        POST=OWNER,
    ),
    "api:dossier_submit": rule(kwargs=_public_id("draft"), POST=OWNER),
    "api:dossier_supplement": rule(kwargs=_public_id("submitted"), POST=OWNER),
    "api:dossier_withdraw": rule(kwargs=_public_id("submitted"), POST=OWNER),
    "api:dossier_pay": rule(kwargs=_public_id("awaiting_payment"), POST=OWNER),
    "api:desk_queues": rule(GET=OFFICERS),
    "api:desk_queue": rule(kwargs=lambda w: {"key": "tat-ca"}, GET=OFFICERS),
    "api:desk_dossier": rule(kwargs=_code("returned"), GET=HANDLERS_X),
    "api:desk_act": rule(kwargs=lambda w: {"code": w.returned.code, "action": "return_result"}, POST=HANDLERS_X),
    "api:reports_kpi": rule(GET=REPORT_READERS),
    "api:schema": rule(GET=EVERYONE),
    "api:docs": rule(GET=EVERYONE),
}

# Keep BUSINESS and CITIZEN_B importable for readers of the table: they are the "others".
OTHERS = frozenset({CITIZEN_B, BUSINESS, OFFICER_Y})
