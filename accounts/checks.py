from django.core.checks import Warning, register


@register()
def national_sso_configured(app_configs, **kwargs):
    """NATIONAL_SSO enabled without its addresses or client id shows no button: say why."""
    from . import sso

    if sso.config().get("ENABLED") and sso.missing_settings():
        missing = ", ".join(f"NATIONAL_SSO_{key}" for key in sso.missing_settings())
        return [
            Warning(
                "NATIONAL_SSO is enabled but not fully configured; national login stays off.",
                hint=f"Set {missing} in the environment.",
                id="accounts.W001",
            )
        ]
    return []
