"""A VNPay 2.1.0 sandbox gateway shipped with the portal (``python -m payments.sandbox``)."""
