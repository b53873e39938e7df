"""What a reader sees on the public pages, read from the rendered HTML: the source file by a name he knows, each
heading once, each target's time label once, one way to the matrix, the plan once per row of a duty list and
short agency names in the matrix headers."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from lib.abbreviation import abbreviate
from plans.labels import number_label, source_label, target_line, target_statement
from plans.models import PlanUpload, Target, Task
from tests.factories import TIANXIN_PLAN, seed_plan
from tests.pages import get_page, text, texts

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


# --- The source file -----------------------------------------------------------------------------------------------


def test_a_seed_plan_shows_its_title_as_the_source_file_not_the_hash_name(client):
    plan = seed_plan("000")
    assert plan.source_name == "000_8843b40b29777ba3.txt"
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert text(soup, "#plan-source") == "株洲市石峰区碳达峰实施方案.txt"
    assert "8843b40b" not in soup.select_one("main").get_text()
    task = Task.objects.filter(plan=plan).order_by("position").first()
    task_page = get_page(client, f"/tasks/{task.pk}/")
    assert text(task_page, "#task-source") == f"来源：株洲市石峰区碳达峰实施方案.txt 第 {task.line} 行"


def test_an_uploaded_plan_shows_the_name_it_was_uploaded_under_and_offers_the_file(administrator_client):
    data = TIANXIN_PLAN.encode()
    administrator_client.post(
        "/plans/upload/", {"file": SimpleUploadedFile("天心区方案（定稿）.txt", data), "lead_convention": "stated"}
    )
    upload = PlanUpload.objects.get()
    administrator_client.post(f"/uploads/{upload.pk}/confirm/")
    upload.refresh_from_db()
    soup = get_page(administrator_client, f"/plans/{upload.plan_id}/")
    assert text(soup, "#plan-source") == "天心区方案（定稿）.txt 下载原文件"
    assert soup.select_one("#plan-source a#original-file")["href"] == f"/plans/{upload.plan_id}/original/"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("000_8843b40b29777ba3.txt", "标题.txt"),
        ("8843b40b29777ba3.pdf", "标题.pdf"),
        ("001_7576eaf11317b0b8_湘潭市方案.docx", "湘潭市方案.docx"),
        ("株洲市碳达峰实施方案.docx", "株洲市碳达峰实施方案.docx"),
        ("202305120930.txt", "202305120930.txt"),  # digits only: a date, not a hash
        ("plan", "plan"),
    ],
)
def test_source_label(name, shown):
    assert source_label(name, "标题") == shown


# --- Headings and targets once -------------------------------------------------------------------------------------


def test_a_section_that_is_itself_a_task_prints_its_heading_once(client):
    plan = seed_plan("000")
    task = Task.objects.get(plan=plan, is_section=True, title="加强组织领导")
    soup = get_page(client, f"/plans/{plan.pk}/")
    section = soup.select_one(f"#section-{task.section_id}")
    assert section.get_text().count("加强组织领导") == 1
    assert "．" not in section.get_text() and "）." not in section.get_text()
    heading = section.select_one("h3 a")
    assert (heading.get_text(strip=True), heading["href"]) == ("（一）加强组织领导", f"/tasks/{task.pk}/")
    article = section.select_one(f"article#task-{task.pk}")
    assert "task-section" in article["class"]
    assert texts(article, ".chip") == ["共 区碳达峰碳中和工作领导小组办公室", "共 区碳达峰碳中和领导小组各成员单位"]


def test_numbered_tasks_keep_their_full_stop_and_bracketed_ones_get_none(client):
    plan = seed_plan("000")
    soup = get_page(client, f"/plans/{plan.pk}/")
    assert texts(soup, ".task-number")[:3] == ["1.", "2.", "3."]
    assert not [n for n in texts(soup, ".task-number") if n.startswith(("（", "(")) and n.endswith(".")]
    assert (number_label("1"), number_label("（1）"), number_label("(一)")) == ("1.", "（1）", "(一)")


def test_a_main_goal_shows_its_time_label_once(client):
    plan = seed_plan("000")
    goal = plan.targets.get(task__isnull=True, label="“十四五”期间")
    assert goal.text.startswith("“十四五”期间，")
    soup = get_page(client, f"/plans/{plan.pk}/")
    items = texts(soup, "section.goals li")
    first = next(item for item in items if item.startswith("“十四五”期间"))
    assert first.startswith("“十四五”期间 ：全区绿色低碳转型取得阶段性成果")
    assert not [item for item in items if item.count("期间") > 1 and "期间：“" in item.replace(" ", "")]


def test_a_task_target_that_opens_with_its_label_shows_the_label_once(client):
    target = Target.objects.filter(task__isnull=False, label="2030年", text__startswith="2030年新能源").first()
    task = target.task
    for url in (f"/plans/{task.plan_id}/", f"/tasks/{task.pk}/"):
        lines = [line.replace(" ", "") for line in texts(get_page(client, url), ".targets li")]
        assert "2030年：新能源发电装机容量规模力争达到10万千瓦" in lines, url
        assert not [line for line in lines if line.startswith("2030年：2030年")], url


def test_target_statement():
    assert target_statement("到2025年", "到2025年，全区产业结构进一步优化") == "全区产业结构进一步优化"
    assert target_statement("“十四五”期间", "“十四五”期间,我市转型") == "我市转型"
    other_year_first = "到2025年，PUE低于1.3，到2030年进一步优化"
    assert target_statement("到2030年", other_year_first) == other_year_first
    assert target_statement("到2025年", "森林覆盖率达到31.87%") == "森林覆盖率达到31.87%"
    assert target_statement("2025年", "2025年") == "2025年"  # nothing after the label: keep the text
    assert target_line("到2025年", "到2025年，目标") == "到2025年：目标"


# --- An agency's duty list -----------------------------------------------------------------------------------------


def _runs(soup, column: str) -> list[tuple[str, int]]:
    """(the name shown, rows of its run) for a column of the duty list: a run is its first cell and the cells
    marked `same` under it."""
    runs = []
    for td in soup.select(f"#duty-table td.{column}"):
        if "same" in td["class"]:
            assert td.select_one(".visually-hidden") is not None and td.select_one("a") is None
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((td.get_text(strip=True), 1))
    return runs


def test_the_duty_list_names_a_plan_once_for_its_run_of_rows(client):
    bureau = Agency.objects.get(region__full_name="株洲市石峰区", name="区发展和改革局")
    soup = get_page(client, f"/agencies/{bureau.pk}/")
    rows = soup.select("#duty-table tbody tr")
    assert len(rows) == 32
    assert _runs(soup, "plan") == [(str(seed_plan("000")), 32)]  # one plan: named in the first of 32 rows
    assert [td.get_text(strip=True) for td in soup.select("#duty-table td.plan:not(.same)")] == [str(seed_plan("000"))]
    # A run of rows of one section names it once too.
    sections = _runs(soup, "section")
    assert sections[0] == ("（1）推进能源结构低碳转型", 3)
    assert sum(span for _, span in sections) == 32
    # No rule under a cell whose run goes on; the last row of a run has one.
    assert ["more" in td["class"] for td in soup.select("#duty-table td.section")][:3] == [True, True, False]
    # Every row still has its six cells, and each says its plan to a screen reader.
    assert all(len(row.select("td")) == 6 for row in rows)
    assert set(texts(soup, "#duty-table td.plan")) == {str(seed_plan("000"))}


def test_an_agency_in_two_plans_gets_a_run_per_plan(client):
    company = Agency.objects.get(name="国网株洲供电公司")
    soup = get_page(client, f"/agencies/{company.pk}/?sort=task")
    cells = _runs(soup, "plan")
    assert [title for title, _ in cells] == [str(seed_plan("002")), str(seed_plan("000"))]  # by region code
    assert sum(span for _, span in cells) == company.duties.count()
    # A page starts a new run: its first row names its plan even when the page before ended in that plan.
    second = get_page(client, f"/agencies/{company.pk}/?sort=task&per_page=2&page=2")
    first = second.select_one("#duty-table tbody tr td.plan")
    assert "same" not in first["class"] and first.select_one("a") is not None


# --- The matrix ----------------------------------------------------------------------------------------------------


def test_the_matrix_heads_its_columns_with_short_names_and_the_full_name_as_title(client):
    plan = seed_plan("000")
    soup = get_page(client, f"/plans/{plan.pk}/matrix/")
    headers = {th["title"]: th.get_text(strip=True) for th in soup.select("#matrix thead th.agency")}
    assert headers["株洲市石峰区发展和改革局"] == "区发改局"
    assert headers["株洲市石峰区碳达峰碳中和工作领导小组办公室"] == "区双碳办"
    assert headers["株洲市石峰区住房和城乡建设局"] == "区住建局"
    assert max(len(short) for short in headers.values()) <= 14


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("区发展和改革局", "区发改局"),
        ("市发展改革委", "市发改委"),
        ("区人力资源社会保障局", "区人社局"),
        ("区科技和工业信息化局", "区科工信局"),
        ("市自然资源和规划局开福区分局", "市资规局开福区分局"),
        ("长沙金霞经济开发区管理委员会", "长沙金霞经开区管委会"),
        ("市碳达峰碳中和工作领导小组各成员单位", "市双碳成员单位"),
        ("区财政局", "区财政局"),
    ],
)
def test_abbreviate(name, short):
    assert abbreviate(name) == short


def test_a_seed_uploaded_again_unchanged_shows_the_name_it_was_uploaded_under(administrator_client):
    plan = seed_plan("001")
    data = (ROOT / "fixtures" / "plans" / plan.source_name).read_bytes()
    administrator_client.post(
        "/plans/upload/", {"file": SimpleUploadedFile("湘潭市方案（原件）.txt", data), "lead_convention": "stated"}
    )
    upload = PlanUpload.objects.get()
    administrator_client.post(f"/uploads/{upload.pk}/confirm/")
    plan.refresh_from_db()
    assert plan.source_name == "001_7576eaf11317b0b8.txt"  # the same bytes: the plan was left as it was
    soup = get_page(administrator_client, f"/plans/{plan.pk}/")
    assert text(soup, "#plan-source") == "湘潭市方案（原件）.txt 下载原文件"
