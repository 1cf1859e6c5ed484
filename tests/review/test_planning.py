"""planning.plan() without a database: properties over random pools, needs and loads, and a few
examples of the rules (speciality, conflicts and their Chinese reasons)."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.review.conflicts import Applicant, ExpertTies, conflict
from assessor.review.planning import Expert, Need, plan

USCCS = [f"9152010000000000{n:02d}" for n in range(8)]  # a small pool: collisions are common
INDUSTRIES = ["C26", "C30", "C31", "C32", "C3216", "D44", "I65", ""]
APPLICANT_INDUSTRIES = ["C2619", "C3011", "C3140", "C3216", "D4411", "I6550", "S9221"]
RELATIONS = ["近三年提供咨询服务", "曾在该单位任职", "亲属任高管"]


@st.composite
def experts(draw, min_size=0, quiet=False):
    """Experts with unique ids; `quiet`: ties that can never meet an applicant's."""
    ids = draw(st.lists(st.integers(1, 40), min_size=min_size, max_size=9, unique=True))
    pool = []
    for expert_id in ids:
        if quiet:
            ties = ExpertTies(expert_id, None, None, {})
        else:
            ties = ExpertTies(
                expert_id, draw(st.none() | st.integers(1, 6)),
                draw(st.none() | st.sampled_from(USCCS)),
                draw(st.dictionaries(st.sampled_from(USCCS), st.sampled_from(RELATIONS),
                                     max_size=3)))
        pool.append(Expert(ties, tuple(draw(st.lists(st.sampled_from(INDUSTRIES), max_size=3)))))
    return pool


@st.composite
def needs(draw, expert_ids=(), quiet=False):
    application_ids = draw(st.lists(st.integers(1, 60), max_size=7, unique=True))
    out = []
    for application_id in application_ids:
        applicant = Applicant(draw(st.integers(1, 6)), draw(st.sampled_from(USCCS)),
                              tuple(draw(st.lists(st.sampled_from([*USCCS, ""]), max_size=3))))
        excluded = frozenset() if quiet else frozenset(draw(st.lists(
            st.sampled_from([*expert_ids, 99]) if expert_ids else st.just(99), max_size=4)))
        out.append(Need(application_id, applicant, draw(st.sampled_from(APPLICANT_INDUSTRIES)),
                        draw(st.integers(-1, 6)), excluded))
    return out


@st.composite
def problems(draw):
    pool = draw(experts())
    ids = [e.id for e in pool]
    load = draw(st.dictionaries(st.sampled_from(ids), st.integers(0, 5)) if ids else st.just({}))
    return draw(needs(tuple(ids))), pool, load


def eligible(need: Need, pool: list[Expert]) -> list[Expert]:
    return [e for e in pool if e.id not in need.excluded and conflict(e.ties, need.applicant) is None]


@settings(max_examples=200, deadline=None)
@given(problems())
def test_never_a_blocked_excluded_or_repeated_pair(problem):
    wanted, pool, load = problem
    pairs = plan(wanted, pool, load)
    by_id = {e.id: e for e in pool}
    by_application = {n.application_id: n for n in wanted}
    assert len(pairs) == len(set(pairs))
    for application_id, expert_id in pairs:
        need = by_application[application_id]
        assert conflict(by_id[expert_id].ties, need.applicant) is None
        assert expert_id not in need.excluded


@settings(max_examples=200, deadline=None)
@given(problems())
def test_each_application_gets_what_it_wants_or_every_eligible_expert(problem):
    wanted, pool, load = problem
    got = Counter(application_id for application_id, _ in plan(wanted, pool, load))
    for need in wanted:
        assert got[need.application_id] == min(max(need.wanted, 0), len(eligible(need, pool)))


@settings(max_examples=200, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_input_order(problem, random):
    wanted, pool, load = problem
    first = plan(wanted, pool, load)
    assert plan(wanted, pool, dict(load)) == first
    shuffled_needs, shuffled_pool = list(wanted), list(pool)
    random.shuffle(shuffled_needs)
    random.shuffle(shuffled_pool)
    assert sorted(plan(shuffled_needs, shuffled_pool, load)) == sorted(first)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_balanced_when_nothing_blocks_and_nobody_is_loaded(data):
    pool = data.draw(experts(min_size=1, quiet=True))
    wanted = data.draw(needs(quiet=True))
    assert all(conflict(e.ties, n.applicant) is None for e in pool for n in wanted)
    loads = Counter({e.id: 0 for e in pool})
    loads.update(expert_id for _, expert_id in plan(wanted, pool, {e.id: 0 for e in pool}))
    assert max(loads.values()) - min(loads.values()) <= 1


# -- examples -------------------------------------------------------------------------------------

APPLICANT = Applicant(organisation_id=1, uscc=USCCS[0], member_usccs=(USCCS[1], USCCS[2]))


def expert(expert_id, industries=(), organisation_id=None, affiliation=None, related=None):
    return Expert(ExpertTies(expert_id, organisation_id, affiliation, related or {}),
                  tuple(industries))


def test_speciality_match_preferred_among_equally_loaded():
    pool = [expert(1, ["C30"]), expert(2, ["D44"]), expert(3, ["C32"]), expert(4, ["C31"])]
    need = Need(10, APPLICANT, "C3216", 1)
    assert plan([need], pool, {}) == [(10, 3)]  # C32 covers C3216
    assert plan([need], pool, {3: 1}) == [(10, 1)]  # but a lighter load comes first
    assert plan([Need(10, APPLICANT, "C3216", 2)], pool, {}) == [(10, 3), (10, 1)]


def test_scarce_experts_go_where_they_are_needed():
    pool = [expert(1), expert(2, affiliation=USCCS[5])]
    scarce = Need(20, Applicant(2, USCCS[5]), "C3011", 1)  # only expert 1 may review it
    easy = Need(10, Applicant(3, USCCS[6]), "C3011", 1)
    assert sorted(plan([easy, scarce], pool, {})) == [(10, 2), (20, 1)]


def test_conflicts_give_their_reason():
    cases = [
        (expert(1, organisation_id=1), "专家属于申报单位"),
        (expert(2, affiliation=USCCS[0]), "专家工作单位与申报单位统一社会信用代码相同"),
        (expert(3, related={USCCS[0]: "近三年提供咨询服务"}),
         "专家申报了与该单位的关系：近三年提供咨询服务"),
        (expert(4, affiliation=USCCS[2]), "专家工作单位是该园区的成员企业"),
        (expert(5, related={USCCS[1]: "亲属任高管"}), "专家申报了与园区成员企业的关系：亲属任高管"),
    ]
    for blocked, reason in cases:
        assert conflict(blocked.ties, APPLICANT) == reason
    free = expert(6, ["C30"], organisation_id=2, affiliation=USCCS[3],
                  related={USCCS[4]: "曾在该单位任职"})
    assert conflict(free.ties, APPLICANT) is None
    pool = [blocked for blocked, _ in cases] + [free]
    assert plan([Need(10, APPLICANT, "S9221", 3)], pool, {}) == [(10, 6)]


def test_excluded_experts_and_empty_member_usccs():
    pool = [expert(1, affiliation=None), expert(2), expert(3)]
    park = Applicant(1, USCCS[0], ("", USCCS[1]))  # a member without a USCC blocks nobody
    assert plan([Need(10, park, "S9221", 3, frozenset({2}))], pool, {}) == [(10, 1), (10, 3)]
    assert plan([Need(10, park, "S9221", 0)], pool, {}) == []
    assert plan([Need(10, park, "S9221", -2)], pool, {}) == []
