"""``manage.py demo_banner --url URL``: the address and the demo logins, in Vietnamese."""

from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD
from portal.demo.agencies import PROVINCE_NAME
from portal.demo.users import logins


class Command(BaseCommand):
    help = "In địa chỉ cổng và danh sách tài khoản dùng thử."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Địa chỉ của cổng.")

    def handle(self, *args, **options):
        url = options["url"]
        admin_url = url.rstrip("/") + "/quan-tri/"
        rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò")]
        rows += [(username, DEMO_PASSWORD, role) for username, role in logins()]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        rule = "─" * (widths[0] + widths[1] + 40)
        lines = [
            "",
            rule,
            f"Cổng dịch vụ công trực tuyến – {PROVINCE_NAME} (dữ liệu mẫu)",
            f"  Cổng công dân:  {url}",
            f"  Trang quản trị: {admin_url}",
            rule,
        ]
        for n, (username, password, role) in enumerate(rows):
            lines.append(f"  {username.ljust(widths[0])}  {password.ljust(widths[1])}  {role}")
            if n == 0:
                lines.append("  " + "-" * (widths[0] + widths[1] + 30))
        lines += [rule, "Nhấn Ctrl+C để dừng máy chủ.", ""]
        self.stdout.write("\n".join(lines))
