"""The load test's users (``benchmarks/load_test.py`` starts it; see there).

* 70 % ``Visitor``: the catalog search (popular words and a long tail), procedure pages,
  public tracking and the home page, as anyone without a session;
* 20 % ``Citizen``: files a dossier through the API (draft, answers, a 1 MB phone photo,
  submit) and follows their dossiers, with their own API key;
* 10 % ``Officer``: works a one-stop queue through the API (queues, a dossier, receive).

The codes, keys and tracking pairs come from ``LOADTEST_DATA`` (a JSON file the runner
writes from the generated province).
"""

import io
import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

DATA = json.loads(Path(os.environ["LOADTEST_DATA"]).read_text(encoding="utf-8"))
WORDS = ["giay phep", "dang ky", "khai sinh", "chung thuc", "xay dung", "ho kinh doanh", "dat dai", "ket hon"]
# The long tail: two words of these make ~1,000 searches, most of them new to a web process in
# a 5-minute run (rendered, not served from the page kept for visitors without a session).
TAIL = ["cap", "doi", "lai", "giay", "phep", "chung", "nhan", "dang", "ky", "ho", "tich", "dat", "nha", "o",
        "kinh", "doanh", "xe", "lai xe", "moi truong", "giao duc", "y te", "thue", "bao hiem", "lao dong",
        "cu tru", "tam tru", "hon nhan", "nuoi con", "khai tu", "xac nhan", "ban sao", "thanh lap"]  # fmt: skip


def search_words() -> str:
    """Seven searches in ten are the popular ones, three in ten from the long tail."""
    if random.random() < 0.7:
        return random.choice(WORDS)
    return " ".join(random.sample(TAIL, 2))


def photo() -> bytes:
    """About 1 MB of JPEG, made once (the same bytes for every upload)."""
    from PIL import Image

    img = Image.effect_noise((1100, 1100), 60).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92)
    return buf.getvalue()


PHOTO = photo()
CITIZEN_TURN = itertools.count()


class Visitor(HttpUser):
    weight = 7
    wait_time = between(1, 4)

    @task(4)
    def search(self):
        self.client.get("/thu-tuc/", params={"q": search_words()}, name="/thu-tuc/?q=")

    @task(4)
    def procedure(self):
        self.client.get(f"/thu-tuc/{random.choice(DATA['codes'])}/", name="/thu-tuc/<code>/")

    @task(2)
    def track(self):
        code, digits = random.choice(DATA["tracking"])
        self.client.get("/tra-cuu/", params={"ma": code, "so": digits}, name="/tra-cuu/")

    @task(1)
    def home(self):
        self.client.get("/", name="/")


class Citizen(HttpUser):
    weight = 2
    wait_time = between(2, 6)

    def on_start(self):
        # Each simulated citizen has an account of their own (two sharing one would edit the
        # same draft: one draft per person and procedure).
        key, self.filing = DATA["citizens"][next(CITIZEN_TURN) % len(DATA["citizens"])]
        self.client.headers["Authorization"] = f"Bearer {key}"

    @task(3)
    def mine(self):
        self.client.get("/api/v1/dossiers/", name="/api/v1/dossiers/")

    @task(1)
    def file_a_dossier(self):
        code, agency = random.choice(self.filing)
        answer = self.client.post("/api/v1/dossiers/", json={"procedure": code, "agency": agency}, name="create draft")
        if answer.status_code != 201:
            return
        body = answer.json()
        url = f"/api/v1/dossiers/{body['id']}/"
        answers = dict.fromkeys(DATA["form_keys"], "Nội dung kê khai")
        self.client.patch(url, json={"answers": answers}, name="save answers")
        for document in body["documents"]:
            if document["required"]:
                self.client.post(
                    f"{url}documents/{document['id']}/files/",
                    files={"files": ("anh.jpg", PHOTO, "image/jpeg")},
                    name="upload 1 MB photo",
                )
        self.client.post(f"{url}submit/", name="submit")


class Officer(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {random.choice(DATA['officers'])}"

    @task(3)
    def queues(self):
        self.client.get("/api/v1/desk/queues/", name="/api/v1/desk/queues/")

    @task(3)
    def waiting(self):
        answer = self.client.get("/api/v1/desk/queues/cho-tiep-nhan/", name="/api/v1/desk/queues/<key>/")
        rows = answer.json().get("results", []) if answer.status_code == 200 else []
        if rows:
            code = random.choice(rows)["code"]
            self.client.get(f"/api/v1/desk/dossiers/{code}/", name="/api/v1/desk/dossiers/<code>/")
            with self.client.post(
                f"/api/v1/desk/dossiers/{code}/actions/receive/",
                json={},
                name="receive",
                catch_response=True,
            ) as response:
                if response.status_code == 409:  # another officer received it first: expected
                    response.success()
