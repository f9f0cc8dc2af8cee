"""A citizen on a phone rates the handling of a dossier whose result was handed over."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Rating
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory

from .officers import CITIZEN_PASSWORD, log_in, with_password

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_rates_the_service_after_the_hand_over(phone_page):
    staff = agency_staff()
    citizen = CitizenFactory(full_name="Lê Thị Hoa")
    dossier = dossier_at(staff, "returned", citizen=citizen)
    page = phone_page
    with_password(citizen, CITIZEN_PASSWORD)
    log_in(page, citizen.username, CITIZEN_PASSWORD)
    page.goto(f"{page.base_url}/ho-so/{dossier.public_id}/")
    page.locator("#rate-box").get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    expect(page.locator("h1")).to_have_text("Đánh giá mức độ hài lòng")

    # Not happy, without saying why: refused at the comment, choices kept.
    page.locator("input[name=overall][value=dissatisfied]").check()
    for key in ("convenience", "on_time", "attitude"):
        page.locator(f"input[name={key}][value=satisfied]").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#err-comment")).to_contain_text("Hãy cho biết điều bạn chưa hài lòng")
    expect(page.locator("input[name=overall][value=dissatisfied]")).to_be_checked()
    page.locator("#rating-comment").fill("Phải đi lại hai lần mới nộp xong.")
    page.get_by_role("button", name="Gửi đánh giá").click()

    expect(page).to_have_url(re.compile(rf"/ho-so/{dossier.public_id}/$"))
    expect(page.locator(".messages")).to_contain_text("Cảm ơn bạn đã đánh giá")
    expect(page.locator("#rated")).to_contain_text("Không hài lòng")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.overall == "dissatisfied" and rating.comment == "Phải đi lại hai lần mới nộp xong."
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"
