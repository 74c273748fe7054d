"""`sunlight demo`: load the demo county (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from sunlight.org.choices import Role
from sunlight.org.demo import DEMO_PASSWORD, ROLE_USERS, load_demo


class Command(BaseCommand):
    help = "载入演示县（临泉县）：区划、执法主体、承办机构、100余名执法人员、各角色演示账户。可重复执行。"

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo()
        self.stdout.write(
            "演示数据已就绪（本次新增：区划 {regions}，执法主体 {agencies}，承办机构 {units}，用户 {users}，"
            "期限 {deadlines}）。".format(**created)
        )
        self.stdout.write(
            f"演示账户（密码均为 {DEMO_PASSWORD}）：admin（系统管理员）、"
            + "、".join(
                f"{u}（{'、'.join(str(Role(r).label) for r in roles)}）" for u, _name, roles, *_rest in ROLE_USERS
            )
        )
