# Nothing to import: these slides only print.
