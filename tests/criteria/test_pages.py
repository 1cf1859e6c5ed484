"""The criteria pages as province officers and criteria editors use them."""

from tests.criteria.helpers import editors, version


def test_officers_see_the_versions_and_others_do_not(province_client, applicant_client, dbs):
    version(dbs, "GZ-F-2024")
    page = province_client.get("/criteria/")
    assert page.status_code == 200 and "GZ-F-2024" in page.text and "已发布" in page.text
    assert applicant_client.get("/criteria/").status_code == 404


def test_an_editor_makes_a_draft_and_a_bad_yaml_edit_saves_nothing(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    base = version(dbs, "GZ-F-2024")
    client = sign_in(author)
    page = client.get(f"/criteria/{base.id}")
    assert page.status_code == 200 and "以此版本为基础新建草稿" in page.text
    made = client.post(f"/criteria/{base.id}/drafts", data={
        "key": "GZ-F-2025", "label": "2025.1", "note": "2025 年版"})
    assert made.status_code == 302
    draft = version(dbs, "GZ-F-2025")
    yaml_page = client.get(f"/criteria/{draft.id}/yaml")
    assert yaml_page.status_code == 200 and "id: GZ-F-2025" in yaml_page.text
    name, text = next((n, t) for n, t in draft.files.items() if n.startswith("factory/"))
    bad = client.post(f"/criteria/{draft.id}/yaml", data={
        "text": text.replace("total_points: 100", "total_pionts: 100"),
        "lock_version": draft.lock_version})
    line = text[:text.index("total_points: 100")].count("\n") + 1
    assert bad.status_code == 422 and "未保存" in bad.text
    assert f"第 {line} 行第 1 列" in bad.text and "total_pionts" in bad.text
    dbs.expire_all()
    assert version(dbs, "GZ-F-2025").files[name] == text
    good = client.post(f"/criteria/{draft.id}/yaml", data={
        "text": text.replace('version: "2025.1"', 'version: "2025.1a"'),
        "lock_version": draft.lock_version})
    assert good.status_code == 302
    dbs.expire_all()
    assert version(dbs, "GZ-F-2025").label == "2025.1a"
    compare = client.get(f"/criteria/compare?old={base.id}&new={draft.id}")
    assert compare.status_code == 200 and "2025.1a" in compare.text
    pdf = client.get(f"/criteria/compare.pdf?old={base.id}&new={draft.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    export = client.get(f"/criteria/{draft.id}/export.zip")
    assert export.status_code == 200 and export.data.startswith(b"PK")
