"""Rendering of official documents: PDF (receipts, slips), DOCX (letters), XLSX (report forms).

Layout follows Nghị định 30/2020/NĐ-CP: A4, national header, agency name, number and symbol,
place and date, title, body, signature block, Times New Roman or a metric-compatible serif with
full Vietnamese coverage. We bundle Liberation Serif 2 (SIL OFL) so documents look the same on
every machine without system fonts.
"""
