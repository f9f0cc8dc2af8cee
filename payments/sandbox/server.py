"""A small VNPay 2.1.0 gateway for demos and tests, run as its own process:

    python -m payments.sandbox --port 8099 --ipn-url http://127.0.0.1:8000/payments/vnpay/ipn/

It speaks the protocol the portal speaks to VNPay (``payments.vnpay``) and nothing else:

* ``GET /paymentv2/vpcpay.html?…`` — checks the signed redirect and shows a payment page
  where the tester chooses what happens: success, cancel, insufficient funds, or success
  with the IPN late, sent twice, or lost;
* after the choice: the IPN (GET to ``--ipn-url`` with the signed result), repeated until
  the portal answers ``00`` or ``02`` (at most ``--ipn-attempts`` times), then the browser
  is sent to ``vnp_ReturnUrl`` with the same signed result;
* ``POST /merchant_webapi/api/transaction`` — ``querydr`` and ``refund`` as JSON;
* ``GET /statement?date=YYYYMMDD`` — that day's statement (CSV: reference, VNPay number,
  amount, status, time), the file finance reconciles against.

Transactions live in memory (and in ``--statement-dir`` as one CSV per day). Merchant code
and secret: ``--tmn-code`` / ``--secret`` or ``VNPAY_TMN_CODE`` / ``VNPAY_HASH_SECRET``
(the demo's by default). Only standard library and ``payments.vnpay``: no Django.
"""

import argparse
import contextlib
import csv
import datetime
import html
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from payments import vnpay

CHOICES = {
    "success": ("Thanh toán thành công", "00", "00"),
    "cancel": ("Hủy giao dịch", "24", "02"),
    "insufficient": ("Tài khoản không đủ số dư", "51", "02"),
    "late_ipn": ("Thành công, thông báo kết quả (IPN) đến chậm 5 giây", "00", "00"),
    "double_ipn": ("Thành công, IPN gửi hai lần", "00", "00"),
    "lost_ipn": ("Thành công, IPN bị mất (không gửi)", "00", "00"),
}


@dataclass
class Transaction:
    txn_ref: str
    amount: int
    order_info: str
    return_url: str
    create_date: str
    transaction_no: str = "0"
    response_code: str = ""
    status: str = "01"  # not completed yet
    pay_date: str = ""
    bank_code: str = "NCB"
    refunded: int = 0
    ipn_replies: list = field(default_factory=list)


class Gateway:
    def __init__(self, *, tmn_code: str, secret: str, ipn_url: str, statement_dir: Path, ipn_attempts: int = 5):
        self.tmn_code, self.secret, self.ipn_url = tmn_code, secret, ipn_url
        self.statement_dir = statement_dir
        self.ipn_attempts = ipn_attempts
        self.transactions: dict[str, Transaction] = {}
        self.lock = threading.Lock()
        self.counter = int(time.time()) % 10_000_000 * 10
        self.deliveries: list[threading.Thread] = []  # IPNs sent in the background (late)
        self.closing = threading.Event()

    # --- the result VNPay sends back ---------------------------------------------------------

    def result_params(self, txn: Transaction) -> dict[str, str]:
        params = {
            "vnp_Amount": str(txn.amount * 100),
            "vnp_BankCode": txn.bank_code,
            "vnp_BankTranNo": f"VNP{txn.transaction_no}" if txn.transaction_no != "0" else "",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": txn.order_info,
            "vnp_PayDate": txn.pay_date,
            "vnp_ResponseCode": txn.response_code,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": txn.transaction_no,
            "vnp_TransactionStatus": txn.status,
            "vnp_TxnRef": txn.txn_ref,
        }
        params = {k: v for k, v in params.items() if v != ""}
        params["vnp_SecureHash"] = vnpay.sign(params, self.secret)
        return params

    def settle(self, txn_ref: str, choice: str) -> Transaction:
        _, code, status = CHOICES[choice]
        with self.lock:
            txn = self.transactions[txn_ref]
            if not txn.response_code:  # a second click changes nothing
                self.counter += 1
                txn.response_code, txn.status = code, status
                txn.transaction_no = str(self.counter) if code != "24" else "0"
                txn.pay_date = vnpay.vnp_time(datetime.datetime.now(vnpay.GMT7))
                self.write_statement(txn)
        return txn

    def send_ipn(self, txn: Transaction, *, delay: float = 0.0, times: int = 1) -> None:
        """Call the portal's IPN until it answers 00 or 02 (``times`` successful calls).

        Once the gateway is closing, an IPN still waiting for its ``delay`` is not sent and
        one being sent is not retried."""
        if delay and self.closing.wait(delay):
            return
        for _ in range(times):
            for attempt in range(self.ipn_attempts):
                query = urllib.parse.urlencode(self.result_params(txn))
                try:
                    with urllib.request.urlopen(f"{self.ipn_url}?{query}", timeout=10) as response:  # noqa: S310  # nosec B310 # the IPN URL given on the sandbox's command line
                        reply = json.loads(response.read().decode("utf-8"))
                except (OSError, ValueError) as exc:
                    reply = {"RspCode": "--", "Message": str(exc)}
                txn.ipn_replies.append(reply.get("RspCode"))
                if reply.get("RspCode") in ("00", "02"):
                    break
                if self.closing.wait(min(2**attempt * 0.5, 5)):
                    return

    def send_ipn_later(self, txn: Transaction, *, delay: float) -> None:
        """The late IPN: sent ``delay`` seconds from now, in the background."""
        with self.lock:
            if self.closing.is_set():
                return
            self.deliveries = [thread for thread in self.deliveries if thread.is_alive()]
            thread = threading.Thread(
                target=self.send_ipn, args=(txn,), kwargs={"delay": delay}, name=f"ipn-{txn.txn_ref}", daemon=True
            )
            thread.start()
            self.deliveries.append(thread)

    @property
    def pending_deliveries(self) -> int:
        """How many background IPNs are waiting, being sent or retried."""
        with self.lock:
            return sum(1 for thread in self.deliveries if thread.is_alive())

    def wait_for_deliveries(self, timeout: float) -> bool:
        """Wait until every background IPN has had the portal's last answer (or given up);
        whether they all had within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self.lock:
            threads = list(self.deliveries)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return self.pending_deliveries == 0

    def close(self, timeout: float) -> bool:
        """Stop sending: IPNs still waiting for their delay are dropped, those on the wire
        end with their current call. Whether none is left after ``timeout`` seconds."""
        self.closing.set()
        return self.wait_for_deliveries(timeout)

    # --- statement ----------------------------------------------------------------------------

    def write_statement(self, txn: Transaction) -> None:
        if txn.status != "00":
            return
        self.statement_dir.mkdir(parents=True, exist_ok=True)
        path = self.statement_dir / f"{txn.pay_date[:8]}.csv"
        new = not path.exists()
        with path.open("a", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            if new:
                writer.writerow(["txn_ref", "transaction_no", "amount", "status", "pay_date"])
            writer.writerow([txn.txn_ref, txn.transaction_no, txn.amount, txn.status, txn.pay_date])

    def statement(self, day: str) -> str:
        path = self.statement_dir / f"{day}.csv"
        return path.read_text(encoding="utf-8") if path.exists() else "txn_ref,transaction_no,amount,status,pay_date\n"

    # --- querydr and refund ---------------------------------------------------------------------

    def api(self, body: dict) -> dict:
        command = body.get("vnp_Command")
        fields = {"querydr": vnpay.QUERYDR_REQUEST_FIELDS, "refund": vnpay.REFUND_REQUEST_FIELDS}.get(command)
        answer = {"vnp_ResponseId": body.get("vnp_RequestId", ""), "vnp_Command": command or ""}
        if fields is None:
            return self._answer(answer, "03", "Sai định dạng", None)
        if not vnpay.pipe_verify(body, fields, self.secret):
            return self._answer(answer, "97", "Sai chữ ký", None)
        if body.get("vnp_TmnCode") != self.tmn_code:
            return self._answer(answer, "02", "Sai mã website", None)
        txn = self.transactions.get(str(body.get("vnp_TxnRef") or ""))
        if txn is None:
            return self._answer(answer, "91", "Không tìm thấy giao dịch", None)
        if command == "refund":
            amount = int(str(body.get("vnp_Amount") or "0")) // 100
            if txn.status != "00":
                return self._answer(answer, "95", "Giao dịch gốc không thành công", txn)
            if amount <= 0 or amount > txn.amount - txn.refunded:
                return self._answer(answer, "03", "Số tiền hoàn không hợp lệ", txn)
            txn.refunded += amount
            return self._answer(answer, "00", "Hoàn tiền thành công", txn, refund=amount)
        return self._answer(answer, "00", "Truy vấn thành công", txn)

    def _answer(self, answer: dict, code: str, message: str, txn: Transaction | None, refund: int = 0) -> dict:
        answer |= {"vnp_ResponseCode": code, "vnp_Message": message, "vnp_TmnCode": self.tmn_code}
        if txn is not None:
            answer |= {
                "vnp_TxnRef": txn.txn_ref,
                "vnp_Amount": str((refund or txn.amount) * 100),
                "vnp_BankCode": txn.bank_code,
                "vnp_PayDate": txn.pay_date,
                "vnp_TransactionNo": txn.transaction_no,
                "vnp_TransactionType": "02" if refund else "01",
                "vnp_TransactionStatus": txn.status or "01",
                "vnp_OrderInfo": txn.order_info,
            }
        fields = vnpay.REFUND_RESPONSE_FIELDS if refund else vnpay.QUERYDR_RESPONSE_FIELDS
        answer["vnp_SecureHash"] = vnpay.pipe_sign(answer, fields, self.secret)
        return answer


PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Cổng thanh toán thử nghiệm</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem}}
button{{display:block;width:100%;min-height:2.75rem;margin:.4rem 0;font-size:1rem}}
.amount{{font-size:1.5rem;font-weight:700}}</style></head><body>
<h1>Cổng thanh toán thử nghiệm (VNPay 2.1.0)</h1>
<p>Không có tiền thật nào được chuyển. Chọn kết quả muốn thử.</p>
<p>Mã giao dịch: <strong id="txn-ref">{txn_ref}</strong></p>
<p>Nội dung: {info}</p><p class="amount" id="amount">{amount} đ</p>
<form method="post" action="/paymentv2/confirm"><input type="hidden" name="txn_ref" value="{txn_ref}">
{buttons}</form></body></html>"""


def make_handler(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8", headers=None):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - http.server's name
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            if url.path == "/paymentv2/vpcpay.html":
                return self.payment_page(query)
            if url.path == "/statement":
                return self._send(200, gateway.statement(query.get("date", "")), "text/csv; charset=utf-8")
            if url.path == "/healthz":
                return self._send(200, "ok", "text/plain")
            return self._send(404, "Không tìm thấy")

        def payment_page(self, query: dict):
            if not vnpay.verify(query, gateway.secret) or query.get("vnp_TmnCode") != gateway.tmn_code:
                return self._send(400, "<h1>Sai chữ ký hoặc mã website (vnp_SecureHash, vnp_TmnCode)</h1>")
            amount = query.get("vnp_Amount", "")
            if not amount.isdigit() or int(amount) % 100:
                return self._send(400, "<h1>Số tiền không hợp lệ</h1>")
            txn_ref = query.get("vnp_TxnRef", "")
            with gateway.lock:
                gateway.transactions.setdefault(
                    txn_ref,
                    Transaction(
                        txn_ref=txn_ref,
                        amount=int(amount) // 100,
                        order_info=query.get("vnp_OrderInfo", ""),
                        return_url=query.get("vnp_ReturnUrl", ""),
                        create_date=query.get("vnp_CreateDate", ""),
                    ),
                )
            buttons = "".join(
                f'<button type="submit" name="choice" value="{key}">{html.escape(label)}</button>'
                for key, (label, _, _) in CHOICES.items()
            )
            amount_text = f"{int(amount) // 100:,}".replace(",", ".")
            page = PAGE.format(
                txn_ref=html.escape(txn_ref), info=html.escape(query.get("vnp_OrderInfo", "")), amount=amount_text,
                buttons=buttons,
            )  # fmt: skip
            return self._send(200, page)

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/merchant_webapi/api/transaction":
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                return self._send(200, json.dumps(gateway.api(body), ensure_ascii=False), "application/json")
            if url.path == "/paymentv2/confirm":
                form = dict(urllib.parse.parse_qsl(raw))
                txn_ref, choice = form.get("txn_ref", ""), form.get("choice", "")
                if txn_ref not in gateway.transactions or choice not in CHOICES:
                    return self._send(400, "<h1>Giao dịch hoặc lựa chọn không hợp lệ</h1>")
                txn = gateway.settle(txn_ref, choice)
                if choice == "late_ipn":
                    gateway.send_ipn_later(txn, delay=5)
                elif choice != "lost_ipn":
                    gateway.send_ipn(txn, times=2 if choice == "double_ipn" else 1)
                target = f"{txn.return_url}?{urllib.parse.urlencode(gateway.result_params(txn))}"
                return self._send(302, "", headers={"Location": target})
            return self._send(404, "Không tìm thấy")

        def log_message(self, fmt, *args):
            if os.environ.get("SANDBOX_LOG"):
                super().log_message(fmt, *args)

    return Handler


def serve(gateway: Gateway, host: str, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(gateway))
    server.daemon_threads = True
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--ipn-url", default="http://127.0.0.1:8000/payments/vnpay/ipn/")
    parser.add_argument("--tmn-code", default=os.environ.get("VNPAY_TMN_CODE", "DEMO0001"))
    parser.add_argument("--secret", default=os.environ.get("VNPAY_HASH_SECRET", "DEMOSECRETDEMOSECRETDEMOSECRET12"))
    parser.add_argument("--statement-dir", type=Path, default=Path("var/sandbox-statements"))
    parser.add_argument("--ipn-attempts", type=int, default=5)
    args = parser.parse_args(argv)
    gateway = Gateway(
        tmn_code=args.tmn_code, secret=args.secret, ipn_url=args.ipn_url, statement_dir=args.statement_dir,
        ipn_attempts=args.ipn_attempts,
    )  # fmt: skip
    server = serve(gateway, args.host, args.port)
    print(f"Cổng thanh toán thử nghiệm: http://{args.host}:{args.port}/paymentv2/vpcpay.html (IPN → {args.ipn_url})")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0
