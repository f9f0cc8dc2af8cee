"""How many requests pytest-django's live server is answering, so that a test using it ends
only once it has answered them all (``tests/conftest.py``). A request still running when
the test's database is flushed (a browser's last autosave or poll, a gateway's IPN and the
receipt, notifications and report refresh that follow its commit) deadlocks with the flush
on PostgreSQL or writes into the next test's data."""

import threading


class Answering:
    """The live server's WSGI application, counting the requests in progress: from the
    call until the server closes the response (after Django's ``request_finished``, which
    closes the request's database connections)."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.done()
            raise
        return _Closing(result, self.done)

    def done(self) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait(self, timeout: float) -> bool:
        """Whether no request is in progress any more within ``timeout`` seconds."""
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout)


class _Closing:
    """A response body that reports its closing (once, whatever happened while sending)."""

    def __init__(self, result, done):
        self.result, self.done, self.closed = result, done, False

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


def answering(live_server) -> Answering:
    """The counter around ``live_server``'s application, put there the first time."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, Answering):
        app = Answering(app)
        httpd.set_app(app)
    return app
