"""A refused upload says in Chinese only what is wrong, naming the file and the line, and what to do; a file no
reader takes is told which formats are accepted."""

import re
import zipfile
from io import BytesIO

import pytest

from plans.models import PlanUpload
from plans.parsing import PlanFormatError, parse_plan
from plans.parsing.readers import ACCEPTED
from tests.pages import get_page_from, text

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/plans/upload/"
# Names of products and formats a Chinese message may spell in letters; anything else in letters is English.
NAMES = re.compile(r"Word|WPS|PDF|Excel|LibreOffice|UTF-8|GB18030|OFD|\.[a-z]{2,4}\b")


def refusal(client, content: bytes, name: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content), "lead_convention": "stated"})
    assert response.status_code == 400
    assert not PlanUpload.objects.exists()
    return text(get_page_from(response), ".errorlist")


def english_in(message: str, file_name: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", NAMES.sub("", message.replace(file_name, "")))


def old_excel_workbook() -> bytes:
    """The head of an .xls: an OLE compound file whose directory names its Workbook stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "Workbook".encode("utf-16-le") + b"\0" * 600


def zip_archive() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("方案.txt", "长沙市天心区碳达峰实施方案")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("分工表.xls", old_excel_workbook(), "这是旧版 Excel 工作簿（.xls）；请在 Excel/WPS 中另存为 .xlsx"),
        ("方案.zip", zip_archive(), "这是压缩包；请解压后上传其中的方案文件"),
        ("方案.bin", bytes([0, 0x13, 0x7F, 0x90, 0x05, 0, 0xFF, 0x01]) * 1000, "不是文本文件，也不是可识别的文档格式"),
    ],
)
def test_a_file_no_reader_takes_is_told_in_chinese_which_formats_are_accepted(
    administrator_client, name, content, says
):
    message = refusal(administrator_client, content, name)
    assert message.startswith(f"{name}: {says}")
    assert ACCEPTED in message
    assert english_in(message, name) == []


def test_a_file_without_tasks_names_its_first_line_in_chinese(administrator_client):
    message = refusal(administrator_client, "\n\n会议纪要\n\n大家讨论了很多事情。\n".encode(), "minutes.txt")
    assert message.startswith("minutes.txt: 未找到任何任务")
    assert "“会议纪要”" in message
    assert english_in(message, "minutes.txt") == []


def test_a_plan_without_tasks_says_what_a_task_looks_like_in_chinese(administrator_client):
    message = refusal(
        administrator_client, "长沙市天心区碳达峰实施方案\n\n一、总体要求\n坚持系统观念。\n".encode(), "empty.txt"
    )
    assert message.startswith("empty.txt: 未找到任何任务")
    assert english_in(message, "empty.txt") == []


def test_an_empty_file_and_an_undecodable_line_are_told_in_chinese():
    for content, name, expected in [
        (b"  \n", "blank.txt", "blank.txt: 文件是空的"),
        ("长沙市天心区碳达峰实施方案\n第二行\n".encode() + b"\xff\xfe\xfa bad\n", "broken.txt", "broken.txt 第3行: "),
    ]:
        with pytest.raises(PlanFormatError) as error:
            parse_plan(content, name)
        assert str(error.value).startswith(expected)
        assert english_in(str(error.value), name) == []
