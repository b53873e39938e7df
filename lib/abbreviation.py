"""The short form of an agency's name for a narrow place (the matrix's vertical column headers). Pure Python.

Chinese offices have conventional short forms (区发展和改革局 → 区发改局, 市住房和城乡建设局 → 市住建局), which the
people who read a matrix use themselves. Only those are applied, and only for display: names are never stored
or compared in this form (lib.naming does the comparing).
"""

from __future__ import annotations

import re

# Longest forms first within a body, so 发展和改革委员会 is taken before 委员会 could be.
_FORMS = (
    (r"发展(?:和)?改革委员会|发展(?:和)?改革委", "发改委"),
    (r"发展(?:和)?改革局", "发改局"),
    (r"人力资源(?:和)?社会保障局", "人社局"),
    (r"住房(?:和)?城乡建设局", "住建局"),
    (r"科技(?:和)?工业信息化局", "科工信局"),
    (r"工业(?:和)?信息化局", "工信局"),
    (r"自然资源(?:和)?规划局", "资规局"),
    (r"城市管理(?:和)?综合执法局", "城管局"),
    (r"市场监督管理局", "市场监管局"),
    (r"文化旅游广电体育局", "文旅广体局"),
    (r"文化旅游体育局", "文旅体局"),
    (r"文化(?:和)?旅游局", "文旅局"),
    (r"交通运输局", "交通局"),
    (r"卫生健康委员会|卫生健康委", "卫健委"),
    (r"卫生健康局", "卫健局"),
    (r"应急管理局", "应急局"),
    (r"医疗保障局", "医保局"),
    (r"行政审批服务局", "行政审批局"),
    (r"退役军人事务局", "退役军人局"),
    (r"机关事务服务中心", "机关事务中心"),
    (r"机关事务管理局", "机关事务局"),
    (r"环境卫生服务中心", "环卫中心"),
    (r"碳达峰碳中和(?:工作)?领导小组办公室", "双碳办"),
    (r"碳达峰碳中和(?:工作)?领导小组各?成员单位", "双碳成员单位"),
    (r"高新技术产业开发区", "高新区"),
    (r"经济技术开发区|经济开发区", "经开区"),
    (r"管理委员会", "管委会"),
    (r"人民政府", "政府"),
    (r"人民银行", "人行"),
    (r"交通警察", "交警"),
)
_PATTERN = re.compile("|".join(f"(?P<f{i}>{pattern})" for i, (pattern, _) in enumerate(_FORMS)))


def abbreviate(name: str) -> str:
    """区发展和改革局 → 区发改局, 市碳达峰碳中和工作领导小组办公室 → 市双碳办; other names as they are."""
    return _PATTERN.sub(lambda match: _FORMS[int(match.lastgroup[1:])][1], name)
