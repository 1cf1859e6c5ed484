import pytest

from assessor.accounts.uscc import USCCError, check_character, make, normalise


def test_known_code_and_lower_case():
    assert normalise(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(("code", "message"), [
    ("91350100M000100Y4", "18位"), ("91350100M000100Y44", "校验位"),
    ("91350100M000100I43", "无效字符"), ("913501A0M000100Y43", "行政区划"),
])
def test_refusals_say_why(code, message):
    with pytest.raises(USCCError, match=message):
        normalise(code)


def test_make_builds_valid_codes():
    for body in ("91520000MA6DL5XX0", "12520000000000000", "91520115MA6J0AAAA"):
        assert normalise(make(body)) == make(body)
        assert check_character(body) == make(body)[-1]
