"""The authoring and publishing pipeline behind `invoke new`, `check`,
`calendar`, `publish` and `today-url`: plain modules, no Pelican plugin."""
