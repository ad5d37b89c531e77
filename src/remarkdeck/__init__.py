"""remarkdeck: Remark.js lecture decks built from Markdown, with code that is run and tested.

Code map, in pipeline order (``build.py`` runs the stages in this order for each deck)::

    cli.py            the command line: parses arguments, calls a command, prints errors
    project.py        where a project keeps slides/, snippets/, templates/, img/, build/
    errors.py         DeckError and its kinds, each carrying a source Location
    logs.py           the warning channel (logging) and --strict
    config.py         stage 1: the deck's TOML front matter, each option declared once
    syntax.py         Remark's Markdown syntax, every pattern written once
    slides.py         Remark's view of a deck: slides, properties, increments, notes
    render.py         stage 2: Jinja renders the deck, asking snippets/ for code and outputs
    snippets/         snippet files, the worker that runs them, sessions, cache, outputs, known failures
    validate.py       stage 3: the rendered Markdown checked before anything is written
    macros.py         Remark macros: where a deck uses them, run at build time
    jsbrowser.py      the stand-in browser a page's scripts run in (V8)
    formulas.py       stage 4: every formula typeset (katex.py runs KaTeX in V8)
    html.py           stage 5: the deck's page, theme and figures; the index page
    assets/           what the page loads: Remark.js, KaTeX, fonts, Remark's stylesheet
    notebook/         stage 6: a Jupyter notebook per deck, and running it
    staging.py        stage 7: the new build swapped in whole, or the last one kept
    build.py          the straight line through the stages above
    standalone.py     a deck as one self-contained file
    browser.py        the one place that finds and launches Chromium
    pdf.py            the PDFs, printed from the built page (progress.py: its progress bar)
    pdf_document.py   what Chromium leaves out of a PDF: its author, one bookmark per slide
    serve.py          rebuild on every change; livereload.py: the preview server
    pytest_plugin.py  every snippet, session and notebook as a pytest item
    matrix/           `remarkdeck matrix`: the items run on other library versions (cells, by uv);
                      the versions each deck's code was verified with
    importer/         `remarkdeck import`: another author's Remark deck brought in
    upgrade/          `remarkdeck upgrade`: snippets rewritten for Keras 3, NumPy 2, pandas, scikit-learn
    init.py           `remarkdeck init`: a new project from scaffold/
"""

__version__ = "0.1.0"
