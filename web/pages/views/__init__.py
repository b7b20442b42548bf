"""The pages: 登录, 首页, 新建, 任务, 区局报送, 批复, 签发, 登记簿, 标牌 (one module each group)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from web.accounts import permissions as perm
from web.accounts.forms import ThrottledAuthenticationForm
from web.documents.models import Status

from .common import Page, page_context


class LoginView(auth_views.LoginView):
    """登录, throttled by web.accounts (too many failures lock the user name from that address)."""

    template_name = "registration/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@login_required
def home(request):
    user = request.user
    tiles = []
    if Page.reports(user):
        tiles.append(("pages:reports", "区局报送", "上传本区县的报送工作簿，查看并改正错误行" if Page.clerk_reports(user)
                      else "查看各区县报送情况，汇总附件2–6，起草通报"))
    if Page.new(user):
        tiles.append(("pages:new", "新建", "选择文种，填写表单或上传记录文件"))
    if Page.staff(user):
        tiles.append(("pages:replies", "批复", "从待批复的联系点申请起草批复，提交签发"))
    if Page.sign(user):
        waiting = perm.register_visible_to(user).filter(status=Status.DRAFT).count()
        tiles.append(("pages:sign", f"签发（{waiting} 件待签）", "预览草稿，签发编号或退回"))
    if Page.register(user):
        tiles.append(("pages:register", "登记簿", "查询发文登记，下载归档的正式文件"))
    if Page.plaques(user):
        tiles.append(("pages:plaques", "标牌", "下载标牌印刷文件，查看校样，确认制作完成"))
    if Page.jobs(user):
        tiles.append(("pages:jobs", "任务", "生成任务的进度、下载和预览"))
    return render(request, "pages/home.html", page_context(request, "home", tiles=tiles))
