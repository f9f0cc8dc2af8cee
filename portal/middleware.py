"""Language selection: Vietnamese unless the visitor chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, and many phones in
Vietnam run with an English system language; their owners still expect the public
service portal in Vietnamese. So only an explicit choice (the language form in the
footer, stored in the language cookie) switches to English.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
