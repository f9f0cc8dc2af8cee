"""A developer of another system opens the interactive API docs, finds the catalog search,
tries it and reads the answer; every file the page loads comes from the portal itself."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.factories import online_version

from .officers import new_page

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_the_api_docs_work_offline_and_run_a_search(browser, live_server):
    online_version(name="Cấp bản sao trích lục hộ tịch")
    contexts: list = []
    hosts: set[str] = set()
    try:
        page = new_page(browser, live_server.url, contexts)
        page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
        page.goto(f"{live_server.url}/api/docs/")
        expect(page.get_by_text("API Cổng dịch vụ công tỉnh")).to_be_visible()
        operation = page.locator("#operations-Danh_mục_thủ_tục-procedures_search")
        operation.locator(".opblock-summary").click()
        operation.get_by_role("button", name="Try it out").click()
        operation.locator("input[placeholder='q']").fill("trich luc")
        operation.get_by_role("button", name="Execute").click()
        response = operation.locator(".live-responses-table .response")
        expect(response.locator(".response-col_status")).to_contain_text("200")
        expect(response.locator(".response-col_description")).to_contain_text("Cấp bản sao trích lục hộ tịch")
        assert hosts == {urlparse(live_server.url).netloc}, hosts
    finally:
        for context in contexts:
            context.close()
