"""A plan's original file as it was uploaded. (Workbooks to save and to read back are lib/workbooks.py's.)"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from ..models import Plan, PlanUpload
from ..parsing.readers import sniff

# By the reader that reads the file (plans.parsing.readers.sniff), what a browser needs to open it.
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pdf": "application/pdf",
    "html": "text/html",
    "rtf": "application/rtf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ofd": "application/ofd",
}


def plan_original(request, plan_id: int):
    """The file the plan was read from, as uploaded, under its own name; for anyone who may read the plan."""
    plan = get_object_or_404(Plan.objects.with_original(), pk=plan_id)
    if plan.original_upload_id is None:
        raise Http404("这个方案不是通过网页上传的，没有保存原文件。")
    upload = PlanUpload.objects.only("file_name", "data").get(pk=plan.original_upload_id)
    data = bytes(upload.data)
    kind = sniff(data, upload.file_name)
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(kind, "text/plain; charset=utf-8"))
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=upload.file_name)
    return response
