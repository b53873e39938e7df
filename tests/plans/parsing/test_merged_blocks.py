"""Flattened tables (one paragraph a cell) whose unit cells a merge wrote once for a block of rows, and rows whose
节点 | 指标数 sub-rows name units of their own: shapes met in real plans (a 交通委 任务清单, a district's 垃圾分类
任务清单), written small here."""

from __future__ import annotations

from .support import parse_text

NOTICE = (
    "某市交通委员会关于印发《某市交通领域精细化管理工作方案（2024-2026年）》的通知\n\n各相关部门：\n\n"
    "现将《某市交通领域精细化管理工作方案（2024-2026年）》印发给你们，请认真抓好落实。\n\n"
    "某市交通委员会\n\n2024年12月31日\n\n"
)


def read(plan) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(t.title, [(u.name, str(u.role)) for u in t.clause.units] if t.clause else []) for t in plan.tasks]


def test_unit_cells_merged_over_a_block_answer_for_the_numbered_direction_that_heads_it():
    paragraphs = [
        "任务",
        "分类",  # each heading broken over two paragraphs, as the page's narrow cells left them
        "主要方向",
        "重点任务（2024-2026）",
        "2024年工作项目",
        "2025年计划",
        "牵头",
        "部门",
        "配合",
        "部门",
        "实施",
        "主体",
        "（一）",
        "提升设施环境品质",
        "1、改善城市道路环境",
        "（1）建设精品道路300条。",
        "建设精品道路100条。",
        "建设精品道路100条。",
        "设施养护处",
        "各相关部门和单位",
        "各行业主管部门、各区",
        "2、提升慢行交通空间品质",
        "（2）完成慢行交通专项提升项目300项。",
        "完成110个。",
        "完成110个。",
        "设施运行处",  # the 牵头部门 cell written on two lines
        "设施养护处",
        "各相关部门和单位",
        "各行业主管部门、各区",
        "（3）建设慢行交通精品区域50个。",  # the units above are merged over this row
        "建设17个。",
        "建设17个。",
        "（4）开展人行道专项整治。",
        "完成150万平方米。",
        "注：以年度计划为准。",  # a note inside a cell, not the table's end
        "（二）提升出行服务体验",
        "3、提升轮渡服务水平",
        "（5）持续改善水路客运交通出行服务。",
        "增强轮渡航班信息查询。",
        "积极创建轮渡服务品牌。",
        "港监处",
        "各相关部门和单位",
        "久事集团",
    ]
    text = NOTICE + "附件\n\n交通领域精细化管理任务清单\n\n" + "\n\n".join(paragraphs) + "\n"
    plan = parse_text(text)
    tasks = read(plan)
    others = [("各相关部门和单位", "cooperating"), ("各行业主管部门", "cooperating"), ("各区", "cooperating")]
    by_title = dict(tasks)
    assert sorted(by_title["改善城市道路环境"]) == sorted([("设施养护处", "lead"), *others])
    # Four unit paragraphs for three columns: the 配合部门 and 实施主体 cells read as on every other row, so the
    # two-line cell is the 牵头部门's.
    assert sorted(by_title["提升慢行交通空间品质"]) == sorted([("设施运行处", "lead"), ("设施养护处", "lead"), *others])
    assert sorted(by_title["提升轮渡服务水平"]) == sorted(
        [("港监处", "lead"), ("各相关部门和单位", "cooperating"), ("久事集团", "cooperating")]
    )
    # The block's further rows are measures of its direction, with no units of their own (the merge holds them).
    measures = [t for t in plan.tasks if t.parent_ref]
    assert [(t.title, t.clause.units if t.clause else []) for t in measures] == [
        ("建设慢行交通精品区域50个", []),
        ("开展人行道专项整治", []),
    ]
    assert "注：以年度计划为准。" in measures[1].body or "注：以年度计划为准" in text
    sections = [n.title for n in plan.outline]
    assert "（一）提升设施环境品质" in sections and "（二）提升出行服务体验" in sections


def test_sub_rows_with_units_of_their_own_are_parts_of_the_row_and_streets_written_short_are_units():
    notice = NOTICE.replace("交通委员会", "某区人民政府").replace("交通领域精细化管理工作方案", "垃圾分类行动计划")
    paragraphs = [
        "类别",
        "序号",
        "主要任务",
        "节点",
        "指标数",
        "责任单位",
        "配合单位",
        "1.\n分\n类\n实\n效",
        "1",
        "各街道完成整区域分类覆盖",
        "2018年",
        "4个街道",
        "欧阳、曲阳、凉城、广中街道",  # streets written short before the kind they share
        "区绿化市容局\n区房管局",
        "2019年",
        "4个街道",
        "川北、嘉兴、北外滩、江湾镇街道",  # the next year's streets: units of that sub-row
        "2",
        "各条线单位强制分类全覆盖",
        "2018年",
        "党政机关全覆盖",
        "区机管局",
        "区文明办\n区城管执法局",
        "2018年",
        "教育条线全覆盖",
        "区教育局",
        "2018—2020年",
        "属地各企业、经营性场所全覆盖",
        "各街道办事处",
    ]
    plan = parse_text(notice + "附件\n\n垃圾分类行动计划任务清单\n\n" + "\n\n".join(paragraphs) + "\n")
    tasks = read(plan)
    assert tasks[0] == (
        "各街道完成整区域分类覆盖",
        [
            ("欧阳", "lead"),
            ("曲阳", "lead"),
            ("凉城", "lead"),
            ("广中街道", "lead"),
            ("区绿化市容局", "cooperating"),
            ("区房管局", "cooperating"),
        ],
    )
    assert tasks[1][1] == [("川北", "lead"), ("嘉兴", "lead"), ("北外滩", "lead"), ("江湾镇街道", "lead")]
    # Row 2's 指标数 cells name parts of its task, each with its own 责任单位: each part is a measure of row 2.
    assert tasks[2:] == [
        ("各条线单位强制分类全覆盖", []),
        ("党政机关全覆盖", [("区机管局", "lead"), ("区文明办", "cooperating"), ("区城管执法局", "cooperating")]),
        ("教育条线全覆盖", [("区教育局", "lead")]),
        ("属地各企业、经营性场所全覆盖", [("各街道办事处", "lead")]),
    ]
    assert {t.parent_ref for t in plan.tasks[3:]} == {plan.tasks[2].ref}
