"""The sandbox gateway on a free port for a test, pointed at the live portal's IPN, with
the portal's settings pointed at it (shared by the payments, fault and browser tests).

Nothing the sandbox does outlives the test: on the way out it waits for the IPNs it is
still sending in the background (a late IPN writes to the database through the live
server; flushing the database under it deadlocks) and for the requests it is answering."""

import contextlib
import threading

from payments.sandbox.server import Gateway, serve

SETTLE_SECONDS = 30  # an IPN on the wire: at most a 10 s call and its retries' waits


@contextlib.contextmanager
def serving(gateway: Gateway, settings):
    """Serve ``gateway`` on a free port and point the portal's VNPay settings at it."""
    server = serve(gateway, "127.0.0.1", 0)
    server.daemon_threads = False  # server_close() then waits for the requests being answered
    thread = threading.Thread(target=server.serve_forever, name="vnpay-sandbox", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.VNPAY_PAYMENT_URL = f"{base}/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = f"{base}/merchant_webapi/api/transaction"
    settings.VNPAY_STATEMENT_URL = f"{base}/statement"
    gateway.base = base
    try:
        yield gateway
    finally:
        settled = gateway.close(timeout=SETTLE_SECONDS)  # late IPNs not yet due are dropped
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert settled, f"the sandbox was still sending {gateway.pending_deliveries} IPN(s) {SETTLE_SECONDS} s on"
    assert not thread.is_alive(), "the sandbox server did not stop"


@contextlib.contextmanager
def running_sandbox(live_server, tmp_path, settings, *, ipn_attempts: int = 3):
    gateway = Gateway(
        tmn_code=settings.VNPAY_TMN_CODE,
        secret=settings.VNPAY_HASH_SECRET,
        ipn_url=f"{live_server.url}/payments/vnpay/ipn/",
        statement_dir=tmp_path / "statements",
        ipn_attempts=ipn_attempts,
    )
    with serving(gateway, settings):
        yield gateway
