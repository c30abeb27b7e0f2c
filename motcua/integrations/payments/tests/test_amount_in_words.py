import pytest

from motcua.integrations.payments.words import amount_in_words


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (25, "Hai mươi lăm đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (1_000, "Một nghìn đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (600_000, "Sáu trăm nghìn đồng"),
    (1_000_500, "Một triệu năm trăm đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (2_015_000, "Hai triệu không trăm mười lăm nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (3_000_021_000, "Ba tỷ không trăm hai mươi mốt nghìn đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words
