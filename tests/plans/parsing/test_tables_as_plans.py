"""Tables are plans too: a 分工表 as pipe rows, flattened to a paragraph a cell, in a Word table or an Excel workbook
becomes the plan's tasks, by its column headings, whatever the text around it."""

from __future__ import annotations

import pytest

from plans.parsing import PlanFormatError, parse_plan
from plans.parsing.readers import ACCEPTED, OFFERED, read_source
from plans.parsing.readers.formats import FORMATS, SANDBOXED
from tests.documents import make_docx
from tests.workbooks import xlsx_with

from .support import parse_text

NOTICE = (
    "某区人民政府办公室关于印发《某区2025年优化营商环境重点任务分工》的通知\n各街道，区政府各部门：\n"
    "现将《某区2025年优化营商环境重点任务分工》印发给你们，请认真落实。\n某区人民政府办公室\n2025年3月1日\n"
)


def units(task) -> list[tuple[str, str]]:
    return [(u.name, str(u.role)) for u in task.clause.units]


def test_a_notice_whose_duties_stand_only_in_pipe_rows_reads_them_as_tasks_with_roles_and_deadlines():
    plan = parse_text(
        NOTICE
        + "附件：某区2025年优化营商环境重点任务分工\n"
        + "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        + "| --- | --- | --- | --- | --- |\n"
        + "| 一、提升政务服务效能 |\n"
        + "| 1 | 推行“高效办成一件事”。扩大覆盖面 | 区政务服务中心 | 区发改局<br>区司法局 | 2025年6月底前 |\n"
        + "| 2 | 深化工程建设项目审批改革 | 区住建局 | 区自然资源局、区发改局 | 2025年12月底前 |\n"
    )
    assert plan.title == "某区2025年优化营商环境重点任务分工"
    first, second = plan.tasks
    assert (first.number, first.title) == ("1", "推行“高效办成一件事”")
    assert units(first) == [("区政务服务中心", "lead"), ("区发改局", "cooperating"), ("区司法局", "cooperating")]
    assert "完成时限：2025年6月底前" in first.body
    assert plan.outline[first.outline_index].title == "一、提升政务服务效能"
    assert units(second)[0] == ("区住建局", "lead")


def test_rows_that_lost_their_merged_cells_are_read_where_their_cells_belong():
    # A scrape drops the cells a merge covered: a measure row lacks 序号 and 重点任务, and its empty last cells.
    plan = parse_text(
        NOTICE
        + "附件：分工表\n"
        + "| 序号 | 重点任务 | 工作措施 | 完成时限 | 牵头部门 | 主责单位 | 协办单位 |\n"
        + "| --- | --- | --- | --- | --- | --- | --- |\n"
        + "| 1 | 推动绿色转型 | 提高绿电应用。 | 持续推进 | 区发展改革委 | 区城市管理委 |\n"
        + "| 推进氢能产业协同。 | 年底前 | 区科技信息化局 | 丰台园管委会 | 区生态环境局 |\n"
        + "| 2 | 强化协同创新 | 推进试点建设。 | 持续推进 | 区生态环境局 | —— | —— |\n"
    )
    assert [(t.number, t.title, t.parent_ref is not None) for t in plan.tasks] == [
        ("1", "提高绿电应用", False),
        ("1.2", "推进氢能产业协同", True),
        ("2", "推进试点建设", False),
    ]
    assert units(plan.tasks[1]) == [
        ("区科技信息化局", "lead"),
        ("丰台园管委会", "cooperating"),
        ("区生态环境局", "cooperating"),
    ]
    assert units(plan.tasks[2]) == [("区生态环境局", "lead")]


def test_a_cells_lines_are_its_units_and_a_name_broken_over_two_lines_is_one():
    plan = parse_text(
        NOTICE
        + "附件：分工表\n"
        + "| 序号 | 重点任务 | 牵头单位 | 配合单位 |\n"
        + "| 1 | 推进重点工作 | 区发展改革委 | "
        + "市规划自然资源委<br>丰台分局<br>区机关事务管理<br>服务中心<br>公安丰台分局 |\n"
    )
    assert [u.name for u in plan.tasks[0].clause.units] == [
        "区发展改革委",
        "市规划自然资源委丰台分局",
        "区机关事务管理服务中心",
        "公安丰台分局",
    ]


def test_a_table_flattened_to_a_paragraph_a_cell_with_its_header_repeated_is_read_row_by_row():
    cells = ["序号", "任务类型", "重点内容", "责任单位"]
    rows = [
        ["1", "海绵城市\n建设管理", "区建设管理委负责指导推进。", "区建设管理委、区水务局，\n各街镇"],
        ["2", "系统方案", "编制系统方案。", "区建设管理委"],
    ]
    text = "\n\n".join([*cells, *rows[0], *cells, *rows[1]])  # the header again at the next page's top
    plan = parse_text(NOTICE + "附件：重点任务分解表\n\n" + text + "\n")
    assert [(t.title, [u.name for u in t.clause.units]) for t in plan.tasks] == [
        ("区建设管理委负责指导推进", ["区建设管理委", "区水务局", "各街镇"]),
        ("编制系统方案", ["区建设管理委"]),
    ]


def test_a_flattened_row_whose_unit_cell_ran_over_two_paragraphs_keeps_its_time_and_the_next_rows():
    header = ["序号", "任务名称", "任务内容", "牵头部门", "配合部门", "时间节点"]
    rows = [
        ["1", "加强组织领导", "召开全区动员大会。", "区政府办公室", "各联席会议成员单位", "2019年3月"],
        # The task name merged down (no cell), and the 配合部门 cell's lines put apart by the page.
        ["2", "党政机关垃圾分类全覆盖。", "区机管局", "区绿化市容局", "区党政机关、公共机构", "2019年9月"],
        ["3", "推进全面覆盖", "开展示范街镇创建。", "各街镇", "区绿化市容局、", "区农业农村委", "2019年"],
        ["4", "加强宣贯。", "区绿化市容局", "各街镇", "2019年"],
    ]
    text = "\n\n".join([*header, *(cell for row in rows for cell in row)])
    plan = parse_text(NOTICE + "附件1\n\n重点任务分工表\n\n" + text + "\n\n附件2\n\n联席会议成员名单\n")
    assert [
        (t.title, [(u.name, str(u.role)) for u in t.clause.units], t.clause.line is not None) for t in plan.tasks
    ] == [
        ("召开全区动员大会", [("区政府办公室", "lead"), ("各联席会议成员单位", "cooperating")], True),
        (
            "党政机关垃圾分类全覆盖",
            [
                ("区机管局", "lead"),
                ("区绿化市容局", "cooperating"),
                ("区党政机关", "cooperating"),
                ("公共机构", "cooperating"),
            ],
            True,
        ),
        (
            "开展示范街镇创建",
            [("各街镇", "lead"), ("区绿化市容局", "cooperating"), ("区农业农村委", "cooperating")],
            True,
        ),
        ("加强宣贯", [("区绿化市容局", "lead"), ("各街镇", "cooperating")], True),
    ]


def test_a_flattened_table_with_its_number_second_and_merged_type_and_unit_cells_reads_each_row():
    header = ["任务类型", "序号", "工作任务", "推进单位"]
    paragraphs = [
        *header,
        "行动一：再造发展新极行动",
        "1",
        "推进走马塘片区规划研究",
        "区规划资源局、区建设管理委",
        "2",
        "推进大徐家阁地区规划研究",
        "区规划资源局、区商务委",
        "行动二：重塑美丽新居行动",
        "旧区改造",  # 任务类型, written on the first row of its block only
        "3",
        "全面完成零星旧里改造",
        "区“两旧”专班、区房管局",
        "4",
        "推进老旧住房成套改造",  # the 推进单位 cell merged over this row
    ]
    plan = parse_text(NOTICE + "附件\n\n城市更新行动重点任务清单\n\n" + "\n\n".join(paragraphs) + "\n")
    read = [(t.number, t.title, [u.name for u in t.clause.units] if t.clause else []) for t in plan.tasks]
    assert read == [
        ("1", "推进走马塘片区规划研究", ["区规划资源局", "区建设管理委"]),
        ("2", "推进大徐家阁地区规划研究", ["区规划资源局", "区商务委"]),
        ("3", "全面完成零星旧里改造", ["区“两旧”专班", "区房管局"]),
        ("4", "推进老旧住房成套改造", []),
    ]
    assert [plan.outline[t.outline_index].title for t in plan.tasks[1:3]] == [
        "行动一：再造发展新极行动",
        "行动二：重塑美丽新居行动",
    ]


def test_a_flattened_table_without_numbers_is_read_by_its_units_and_a_project_heading_names_its_task():
    paragraphs = [
        "类别",
        "项目",
        "主要任务",
        "牵头单位",
        "配合单位",
        "一、做好政策保障",
        "1.做好规划配套",
        "将基层消防工作纳入规划。",
        "区消防救援支队",
        "区应急局、区公安分局",
        "2.完善规章标准",
        "细化街道消防安全委员会职责。",
        "区消防救援支队",
        "各街道",
        "贯彻执行本市检查指引。",
        "区消防救援支队",
        "各街道、",
        "相关委、办、局",
        "二、推进组织建设",
        "3.设立消防安全管理办公室",
        "年底前设立办公室。",
        "区委编办、",
        "各街道",
        "区消防救援支队",
    ]
    plan = parse_text(NOTICE + "附件：重点任务清单\n\n" + "\n\n".join(paragraphs) + "\n")
    read = [(t.number, t.title, [(u.name, str(u.role)) for u in t.clause.units]) for t in plan.tasks]
    assert read == [
        ("1", "做好规划配套", [("区消防救援支队", "lead"), ("区应急局", "cooperating"), ("区公安分局", "cooperating")]),
        ("2", "完善规章标准", [("区消防救援支队", "lead"), ("各街道", "cooperating")]),
        (
            "2.2",
            "贯彻执行本市检查指引",
            [("区消防救援支队", "lead"), ("各街道", "cooperating"), ("相关委、办、局", "cooperating")],
        ),
        ("3", "设立消防安全管理办公室", [("区委编办", "lead"), ("各街道", "lead"), ("区消防救援支队", "cooperating")]),
    ]


def test_a_list_of_powers_and_duties_reads_each_row_by_its_name_and_the_bodies_that_exercise_it():
    body = "某区农村公路管理养护实施方案\n一、主要任务\n1.落实路长制。设立三级路长。（责任单位：区交通委）\n"
    paragraphs = [
        "序号",
        "权力责任名称",
        "行使  主体",
        "权力责任类别",
        "行使层级",
        "权力责任事项",  # a heading spaced out
        "1",
        "农村公路规划编制",
        "区交通委",
        "规划",
        "区级",
        "县道规划由区交通委编制。",
        "2",
        "农村公路废弃",
        "区规划资源部门、区交通委",
        "废弃",
        "区级",
        "区交通委对失去使用功能的公路宣布废弃。",
        "区交通委应当将废弃公路向社会公告。",  # one cell, two paragraphs
        "3",
        "乡道、村道的相关工作",
        "各街镇",
        "管理",
        "镇级",
        "街镇负责乡道、村道的相关工作。",
    ]
    plan = parse_text(body + "附件1\n\n某区农村公路管理养护权力和责任清单\n\n" + "\n\n".join(paragraphs) + "\n")
    rows = [(r.number, r.title, [u.name for u in r.units]) for r in plan.appendix_rows]
    assert rows == [
        ("1", "农村公路规划编制", ["区交通委"]),
        ("2", "农村公路废弃", ["区规划资源部门", "区交通委"]),
        ("3", "乡道、村道的相关工作", ["各街镇"]),
    ]
    assert "向社会公告" in plan.appendix_rows[1].text


def test_a_flattened_table_with_year_sub_rows_and_numbers_starting_again_reads_every_task():
    paragraphs = [
        "类别",
        "序号",
        "主要任务",
        "节点",
        "指标数",
        "责任单位",
        "配合单位",
        "1.\n分\n类",
        "1",
        "推进绿色账户覆盖",
        "2018年",
        "24.3万户",
        "各街道办事处",
        "区绿化市容局",
        "2019年",
        "26.5万户",  # a further year of the same task: no cell of the next row
        "2",
        "创建达标分类小区",
        "2018年",
        "345个",
        "各街道办事处",
        "区文明办\n区房管局",
        "2.\n运\n输",
        "1",
        "干垃圾车标识更新",
        "2018年",
        "89辆",
        "区绿化市容局",
        "各街道办事处",
    ]
    plan = parse_text(NOTICE + "附件\n\n生活垃圾分类行动计划任务分解表\n\n" + "\n\n".join(paragraphs) + "\n")
    read = [(t.title, [(u.name, str(u.role)) for u in t.clause.units]) for t in plan.tasks]
    # 责任单位 beside 配合单位 and no 牵头 column: the answering units lead, as 「A负责，B配合」.
    assert read == [
        ("推进绿色账户覆盖", [("各街道办事处", "lead"), ("区绿化市容局", "cooperating")]),
        ("创建达标分类小区", [("各街道办事处", "lead"), ("区文明办", "cooperating"), ("区房管局", "cooperating")]),
        ("干垃圾车标识更新", [("区绿化市容局", "lead"), ("各街道办事处", "cooperating")]),
    ]


def test_a_column_headed_with_qiantou_leads_whatever_stands_between():
    rows = ["| 序号 | 重点任务 | 牵头责任部门 | 完成时限 |", "| --- | --- | --- | --- |"]
    rows += [
        "| 1 | 组织实施技术改造项目 | 市工信局 | 2024年底 |",
        "| 2 | 技术改造煤电机组 | 市发改委、市能源局 | 2025年 |",
    ]
    plan = parse_text(NOTICE + "附件1\n\n重点任务清单\n\n" + "\n".join(rows) + "\n")
    assert [[(u.name, str(u.role)) for u in t.clause.units] for t in plan.tasks] == [
        [("市工信局", "lead")],
        [("市发改委", "lead"), ("市能源局", "lead")],
    ]


def test_a_section_row_of_a_numeral_and_a_name_heads_the_rows_under_it():
    text = "\n\n".join(
        [
            "序号",
            "重点任务",
            "具体工作",
            "时间进度",
            "责任部门",
            "一",
            "推进综合管理",
            "1",
            "明确年度重点工作任务。",
            "全年推进",
            "发展改革委、生态环境局",
        ]
    )
    plan = parse_text(NOTICE + "附表\n\n" + text + "\n")
    [task] = plan.tasks
    assert (task.title, plan.outline[task.outline_index].title) == ("明确年度重点工作任务", "一、推进综合管理")
    assert [u.name for u in task.clause.units] == ["发展改革委", "生态环境局"]


def test_a_column_whose_heading_the_vocabulary_does_not_know_is_read_for_units_when_its_cells_name_bodies():
    plan = parse_text(
        NOTICE
        + "附件：分工表\n"
        + "| 序号 | 重点任务 | 承担科室 | 责任领导 |\n"
        + "| 1 | 推进第一项工作 | 区发改局、区财政局 | 张三 |\n"
        + "| 2 | 推进第二项工作 | 区商务局 | 李四 |\n"
    )
    assert [u.name for u in plan.tasks[0].clause.units] == ["区发改局", "区财政局"]  # never 张三, a person


def test_an_excel_division_table_is_a_plan_of_its_own():
    data = xlsx_with(
        [
            ["某区2025年重点工作任务分工表"],
            ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["一、优化营商环境"],
            [1, "推进一网通办。提升办件效率", "区政务服务中心", "区发改局\n区司法局", "2025年底前"],
            [None, "推进帮办代办", "区政务服务中心", "各街道", "长期坚持"],
            [2, "开展营商环境评价", "区发改局", "", "2025年10月"],
        ],
        merges=("A1:E1", "A3:E3", "A4:A5"),
    )
    source = read_source(data, "分工表.xlsx")
    plan = parse_plan(source, "分工表.xlsx")
    assert plan.title == "某区2025年重点工作任务分工表"
    assert [(t.number, t.title) for t in plan.tasks] == [
        ("1", "推进一网通办"),
        ("1.2", "推进帮办代办"),
        ("2", "开展营商环境评价"),
    ]
    assert units(plan.tasks[0]) == [
        ("区政务服务中心", "lead"),
        ("区发改局", "cooperating"),
        ("区司法局", "cooperating"),
    ]
    assert "完成时限：2025年底前" in plan.tasks[0].body
    assert plan.locate(plan.tasks[0].line).startswith("工作表“表”第4行")


def test_a_workbook_without_a_division_table_is_refused_saying_what_it_needs():
    with pytest.raises(PlanFormatError, match="分工表.xlsx: 工作簿中没有分工表"):
        read_source(xlsx_with([["姓名", "电话"], ["张三", "123"]]), "分工表.xlsx")


def test_a_notice_whose_duties_stand_only_in_a_word_table_is_read_from_the_table():
    text = (
        NOTICE
        + "附件：某区2025年优化营商环境重点任务分工\n"
        + "\t序号\n\t重点任务\n\t牵头单位\n\t配合单位\n\n"
        + "\t1\n\t推进一网通办\n\t区政务服务中心\n\t区发改局\n\n"
        + "\t2\n\t开展营商环境评价\n\t区发改局\n\t各街道\n"
    )
    plan = parse_plan(read_source(make_docx(text), "分工.docx"), "分工.docx")
    assert [(t.title, units(t)) for t in plan.tasks] == [
        ("推进一网通办", [("区政务服务中心", "lead"), ("区发改局", "cooperating")]),
        ("开展营商环境评价", [("区发改局", "lead"), ("各街道", "cooperating")]),
    ]


def test_one_registry_names_every_format_the_readers_take():
    assert ".xlsx" in ACCEPTED and "Excel 分工表（.xlsx）" in OFFERED
    assert SANDBOXED == {kind for kind, f in FORMATS.items() if f.sandboxed} >= {"docx", "pdf", "html", "xlsx", "doc"}
    assert FORMATS["xls"].refusal.startswith("这是旧版 Excel 工作簿")


def test_a_flattened_row_is_read_by_its_columns_kinds_where_units_stand_between_text_columns():
    # 内容 | 牵头部门 | 配合部门 | 2024年工作任务 | 2025年工作计划: a 配合部门 cell over two paragraphs is one cell, a
    # 内容 cell a merge covered is absent (the row starts with its units, its own work names it), and a column
    # headed by a year is that year's work on the row's task, never the task.
    header = ["序号", "内容", "牵头部门", "配合部门", "2024年工作任务", "2025年工作计划", "备注"]
    rows = [
        ["1", "有序推进快速干线交通系统建设", "综合规划处", "—", "推进轨道交通建设规划编制。", "深化研究相关项目。"],
        ["2", "交通建设处", "设施养护处", "有序推进漕宝路快速路项目建设。", "有序推进漕宝路快速路项目建设。"],
        [
            "3",
            "加快开展绿色慢行交通系统建设",
            "设施运行处",
            "综合规划处",
            "设施养护处",
            "完成慢行交通品质提升项目120项。",
            "完成项目120项。",
        ],
    ]
    text = "\n\n".join([*header, *(cell for row in rows for cell in row)])
    plan = parse_text("某市综合交通体系建设工作方案\n\n为加快建设，制定本方案。\n\n" + text + "\n")
    assert [(t.title, [(u.name, str(u.role)) for u in t.clause.units]) for t in plan.tasks] == [
        ("有序推进快速干线交通系统建设", [("综合规划处", "lead")]),
        ("有序推进漕宝路快速路项目建设", [("交通建设处", "lead"), ("设施养护处", "cooperating")]),
        (
            "加快开展绿色慢行交通系统建设",
            [("设施运行处", "lead"), ("综合规划处", "cooperating"), ("设施养护处", "cooperating")],
        ),
    ]
