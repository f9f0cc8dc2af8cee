"""The gateway seam: methods map to adapters by settings."""

import pytest

from payments import gateways


class RecordingGateway(gateways.VNPayGateway):
    """Another adapter, as the national payment platform's would be plugged in."""

    method = "paygov"


def test_adapters_come_from_settings(settings):
    assert isinstance(gateways.adapter("vnpay"), gateways.VNPayGateway)
    with pytest.raises(gateways.GatewayError):
        gateways.adapter("cash")  # no gateway behind cash at the counter
    settings.PAYMENT_GATEWAYS = {**settings.PAYMENT_GATEWAYS, "paygov": "tests.payments.test_gateways.RecordingGateway"}
    assert gateways.adapter("paygov").method == "paygov"


def test_every_adapter_implements_the_whole_seam():
    with pytest.raises(TypeError):
        type("Half", (gateways.Gateway,), {"method": "x", "redirect_url": lambda *a, **k: ""})()
