"""ETags computed from the rendered body (weak, as Django's ConditionalGetMiddleware does):
a client that sends the ETag back in ``If-None-Match`` gets 304 without the body."""

from django.views.decorators.http import conditional_page

with_etag = conditional_page
