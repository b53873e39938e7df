"""Plans stored before they had a state get one, as a new plan would (plans.lifecycle.judge), except that a plan
with 督办 rounds stays 执行中: someone is already running it. Every plan's first state is logged."""

from django.db import migrations
from django.utils import timezone


def judge_stored_plans(apps, schema_editor):
    from plans.lifecycle import judge

    Plan = apps.get_model("plans", "Plan")
    Target = apps.get_model("plans", "Target")
    Round = apps.get_model("progress", "ReportingRound")
    Change = apps.get_model("plans", "PlanStateChange")
    today = timezone.localdate()
    with_rounds = set(Round.objects.values_list("plan_id", flat=True).distinct())
    years: dict[int, list[int]] = {}
    for plan_id, year in Target.objects.exclude(year=None).values_list("plan_id", "year"):
        years.setdefault(plan_id, []).append(year)
    changes = []
    for plan in Plan.objects.only("pk", "title", "issued_on").iterator():
        if plan.pk in with_rounds:
            state, reason = "active", "已有报送轮次，保持执行中"
        else:
            judgement = judge(
                    title=plan.title,
                issued_on=plan.issued_on,
                target_years=years.get(plan.pk, []),
                today=today,
            )
            state, reason = judgement.state.value, judgement.basis
        if state != "active":
            Plan.objects.filter(pk=plan.pk).update(state=state)
        changes.append(Change(plan_id=plan.pk, before="", after=state, reason=reason[:200]))
    Change.objects.bulk_create(changes, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0017_plan_state"),
        ("progress", "0003_plan_with_rounds_is_protected"),
    ]

    operations = [migrations.RunPython(judge_stored_plans, migrations.RunPython.noop)]
