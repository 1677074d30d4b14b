"""Import of office Excel sheets: the member list as the opening balance and the lists of
events of a period (admissions, transfers, cards, badges), through the ledger services' checks.

``fields`` names what each kind of sheet holds, ``values`` reads what offices type,
``sheet`` finds the header row and the columns, ``check``/``write`` test and record the rows
all or nothing, ``workbooks`` builds the template and the workbook returned with its errors.
"""
