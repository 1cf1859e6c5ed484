"""The review board's table is kept per data version (review/views.py): what an officer sees
after an assignment, a decline or a new application in review is the board as it is now, and
each officer's forms carry their own CSRF token."""

import re

from flask import g

from assessor.review import services
from tests.fixtures import PASSWORD, TODAY
from tests.review.test_review import experts, in_review  # noqa: F401  (fixture)

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_the_kept_board_shows_every_change_at_once(app, dbs, engine, people, factory_round,
                                                   experts, sign_in):  # noqa: F811
    application = in_review(dbs, engine, people, factory_round)
    officer = sign_in(people["province_officer"])
    path = f"/review/rounds/{factory_round.id}"
    before = officer.get(path).get_data(as_text=True)
    assert f"{application.id} " in before and "评审中" not in before
    assert officer.get(path).get_data(as_text=True) == before  # kept: the same page again
    assignment = services.assign(dbs, people["province_officer"], application, experts[0],
                                 TODAY)
    after = officer.get(path).get_data(as_text=True)
    assert f"{experts[0].name}：待声明" in after
    services.decline(dbs, experts[0], assignment, "出差在外")
    declined = officer.get(path).get_data(as_text=True)
    assert "已谢绝（出差在外）" in declined


def test_each_officer_gets_their_own_token_in_the_kept_rows(app, dbs, engine, people,
                                                            factory_round, experts,  # noqa: F811
                                                            sign_in):
    from assessor.accounts.models import PROVINCE_OFFICER
    from assessor.accounts.services import create_staff

    application = in_review(dbs, engine, people, factory_round)
    second = create_staff(dbs, email="p2@x.cn", name="省厅二", role=PROVINCE_OFFICER,
                          password=PASSWORD, actor_id=people["admin"].id)
    path = f"/review/rounds/{factory_round.id}"
    pages = [sign_in(user) for user in (people["province_officer"], second)]
    app.config["WTF_CSRF_ENABLED"] = True
    tokens = []
    for client in pages:
        g.pop("csrf_token", None)  # the tests' app context outlives requests; a server's does not
        tokens.append(set(TOKEN.findall(client.get(path).get_data(as_text=True))))
    assert all(len(found) == 1 for found in tokens) and tokens[0] != tokens[1]
    assigned = pages[1].post(f"/review/applications/{application.id}/assign",
                             data={"expert": experts[1].id, "csrf_token": tokens[1].pop()})
    assert assigned.status_code == 302
    assert f"{experts[1].name}：待声明" in pages[0].get(path).get_data(as_text=True)
