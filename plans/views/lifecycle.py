"""A plan's editors set its state (执行中 / 已完成 / 仅作参考): only a plan in force is run under 督办."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import lifecycle
from ..access import get_plan_for_editor
from ..models import Plan

REASON_MAX = 200


@require_POST
def plan_state(request, plan_id: int):
    plan = get_plan_for_editor(request, plan_id, "更改方案状态")
    state = request.POST.get("state", "")
    if state not in Plan.State.values:
        messages.error(request, "请选择方案状态：执行中、已完成或仅作参考。")
        return redirect(plan)
    reason = request.POST.get("reason", "").strip()[:REASON_MAX]
    if lifecycle.change(plan, state, request.user, reason):
        scope = "纳入督办" if plan.is_supervised else "不再纳入督办：任务不计逾期，不开启报送轮次，不发提醒"
        messages.success(request, f"方案状态已改为“{plan.get_state_display()}”，{scope}。")
    else:
        messages.info(request, f"方案状态本来就是“{plan.get_state_display()}”，没有改动。")
    return redirect(plan)
