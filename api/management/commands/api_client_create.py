"""``manage.py api_client_create --user <username> --name "…" --scope catalog:read …``:
a new API key for the account; the key is printed once and never stored."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import services
from api.constants import SCOPES


class Command(BaseCommand):
    help = "Tạo khóa API cho một tài khoản (khóa chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Tên đăng nhập của tài khoản mà khóa đại diện")
        parser.add_argument("--name", required=True, help="Tên hệ thống, ứng dụng dùng khóa")
        parser.add_argument("--scope", action="append", default=[], help=f"Phạm vi: {', '.join(SCOPES)}")
        parser.add_argument("--rate", default="", help="Giới hạn tần suất, ví dụ 600/min")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{options['user']}”.")
        try:
            client, key = services.client_create(
                user=user, name=options["name"], scopes=options["scope"], rate=options["rate"]
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(f"Khóa API của “{client.name}” (chỉ hiện một lần, hãy lưu lại):\n{key}")
