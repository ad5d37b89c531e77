"""remarkdeck: Remark.js lecture decks built from Markdown, with code that is run and tested."""

__version__ = "0.1.0"
