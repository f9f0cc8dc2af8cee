"""The sandbox gateway on a free port for a test, pointed at the live portal's IPN, with
the portal's settings pointed at it (shared by the payments and browser tests)."""

import contextlib
import threading

from payments.sandbox.server import Gateway, serve


@contextlib.contextmanager
def running_sandbox(live_server, tmp_path, settings, *, ipn_attempts: int = 3):
    gateway = Gateway(
        tmn_code=settings.VNPAY_TMN_CODE,
        secret=settings.VNPAY_HASH_SECRET,
        ipn_url=f"{live_server.url}/payments/vnpay/ipn/",
        statement_dir=tmp_path / "statements",
        ipn_attempts=ipn_attempts,
    )
    server = serve(gateway, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.VNPAY_PAYMENT_URL = f"{base}/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = f"{base}/merchant_webapi/api/transaction"
    settings.VNPAY_STATEMENT_URL = f"{base}/statement"
    gateway.base = base
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
