"""The pages: 登录, 首页, 新建, 任务, 区局报送, 批复, 签发, 登记簿, 标牌 (one module each group)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from web.accounts import permissions as perm
from web.accounts.forms import ThrottledAuthenticationForm
from web.documents.models import Status

from .common import Page, menu, page_context


class LoginView(auth_views.LoginView):
    """登录, throttled by web.accounts (too many failures lock the user name from that address)."""

    template_name = "registration/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


TILES = {  # what each page of the menu is for, on the home page
    "new": "选择文种，填写表单或上传记录文件",
    "reports": "查看各区县报送情况，汇总附件2–6，起草通报",
    "replies": "从待批复的联系点申请起草批复，提交签发",
    "sign": "预览草稿，签发编号或退回",
    "register": "查询发文登记，下载归档的正式文件",
    "plaques": "下载标牌印刷文件，查看校样，确认制作完成",
    "jobs": "生成任务的进度、下载和预览",
}
CLERK_REPORTS = "上传本区县的报送工作簿，查看并改正错误行"


@login_required
def home(request):
    """A tile for every page of the user's menu (the same permission checks), with what it is for."""
    user = request.user
    tiles = []
    for url, label, section in menu(user):
        text = CLERK_REPORTS if section == "reports" and Page.clerk_reports(user) else TILES[section]
        if section == "sign":
            label += f"（{perm.register_visible_to(user).filter(status=Status.DRAFT).count()} 件待签）"
        tiles.append((url, label, text))
    return render(request, "pages/home.html", page_context(request, "home", tiles=tiles))
