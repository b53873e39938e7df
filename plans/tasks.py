"""Work that takes too long for a web request, run by the task worker (`manage.py db_worker`, django-tasks).

Converting a .doc/.wps upload with LibreOffice takes seconds; the upload page says 正在转换… and
refreshes until the converted file is there.
"""

from django.conf import settings
from django_tasks import task

from .models import PlanUpload


@task()
def convert_upload(upload_id: int) -> None:
    """Convert an uploaded .doc/.wps to .docx and keep it on the upload (or why it failed)."""
    upload = PlanUpload.objects.filter(pk=upload_id, status=PlanUpload.Status.PENDING).first()
    if upload is not None and upload.converting:
        upload.convert(settings.SOFFICE)
