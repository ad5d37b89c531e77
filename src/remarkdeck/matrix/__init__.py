"""``remarkdeck matrix``: every deck's items run on several sets of library versions, the lock first,
ahead of the students; ``build/matrix.json`` and ``build/matrix.html`` say what passes where.

    run.py           the command: each cell prepared and run, build/matrix.json and matrix.html written
    cells.py         the cells: requirements.lock, then those of [tool.remarkdeck.matrix]
    environments.py  each cell resolved and installed by uv, under build/.cache/matrix/<cell>/
    testrun.py       the decks' pytest items run with the cell's Python
    results.py       pytest plugin: --matrix-results, each item's outcome as JSON
    outcomes.py      passed, failed (its last line, its slide), known failure ...
    report.py        the outcomes of every cell, matrix.json
    table.py         the table: text, Markdown for a CI summary, matrix.html
    verified.py      the versions each deck's code last passed with (`make test`)
"""
