"""门户 / the public front door: what the programme is, open rounds, 通知公告 (notices the
department publishes), the 下载中心 (guide, criteria PDFs, Excel templates, 承诺书) and the
objection lookup by reference number."""
