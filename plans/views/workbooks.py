"""A workbook sent with a form (a 分工表, a round sheet), read once for every upload page that takes one."""

from lib.spreadsheets.reading import MAX_BYTES


def uploaded_workbook(request, field: str = "workbook") -> tuple[bytes, str, str]:
    """(the file's bytes, its name, "") or (b"", its name, the reason it was not read), naming the file.

    The size is checked before a byte is read; what the bytes hold is checked by the reader
    (lib.spreadsheets.reading), which the caller runs.
    """
    upload = request.FILES.get(field)
    if upload is None:
        return b"", "", "请选择要上传的 Excel 文件。"
    if upload.size > MAX_BYTES:
        size, limit = upload.size / 1024 / 1024, MAX_BYTES // 1024 // 1024
        return b"", upload.name, f"{upload.name}：文件太大（{size:.1f} MB），上限为 {limit} MB。"
    return upload.read(), upload.name, ""
